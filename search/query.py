"""A search request turned into a Whoosh query and filter, and explained.

The query text uses Whoosh's query language over title and body (AND by
default; OR, NOT, "phrases", field:term, wildcards). Filters (dates,
outlets) are applied apart from scoring, so they never change a ranking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from whoosh import query as Q
from whoosh.fields import Schema
from whoosh.qparser import MultifieldParser

from .dates import Period, parse_period
from .errors import QueryError
from .schema import outlet_key

SORTS = ("relevance", "newest", "oldest")
SEARCH_FIELDS = ("title", "body")
QUERY_FIELDS = ("title", "body", "outlet", "author", "date", "year", "date_source", "url", "id")
_FIELD_PREFIX = re.compile(r'(?<![\w"])([A-Za-z_]\w*):(?=\S)')
_QUOTED = re.compile(r'"[^"]*"')


@dataclass(frozen=True)
class SearchRequest:
    """What to look for, within which dates and outlets, in which order."""

    text: str = ""
    start: datetime | None = None
    end: datetime | None = None
    outlets: tuple[str, ...] = ()
    sort: str = "relevance"
    limit: int = 10

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise QueryError(f"unknown sort {self.sort!r}; use one of {', '.join(SORTS)}")
        if self.limit < 1:
            raise QueryError(f"the limit must be at least 1, not {self.limit}")
        if self.start and self.end and self.start > self.end:
            raise QueryError(
                f"the start date {self.start:%Y-%m-%d} is after the end date {self.end:%Y-%m-%d}; swap them"
            )

    @classmethod
    def build(
        cls,
        text: str = "",
        date_from: str | Period | None = None,
        date_to: str | Period | None = None,
        **options: object,
    ) -> SearchRequest:
        """A request from dates as people type them: `--from 2021` means 1 January 2021."""
        start = _period(date_from).start if date_from else None
        end = _period(date_to).end if date_to else None
        return cls(text=text, start=start, end=end, **options)  # type: ignore[arg-type]


def _period(value: str | Period) -> Period:
    if isinstance(value, Period):
        return value
    try:
        return parse_period(value)
    except ValueError as exc:
        raise QueryError(str(exc)) from exc


def parse_text(text: str, schema: Schema) -> Q.Query:
    """The Whoosh query for the text; everything when the text is empty."""
    if not text.strip():
        return Q.Every()
    _check_syntax(text)
    parser = MultifieldParser(list(SEARCH_FIELDS), schema)
    try:
        parsed = parser.parse(text)
    except Exception as exc:  # Whoosh's parser raises assorted errors on odd input.
        raise QueryError(f"cannot parse the query {text!r} ({exc}); check its quotes and brackets") from exc
    if parsed is Q.NullQuery:
        raise QueryError(f"nothing to search for in {text!r}: common words like 'the' are not indexed")
    return parsed


def _check_syntax(text: str) -> None:
    if text.count('"') % 2:
        raise QueryError(f'unbalanced quote in {text!r}; close the phrase with another "')
    outside = _QUOTED.sub(" ", text)
    for opening, closing in ("()", "[]", "{}"):
        if _unbalanced(outside, opening, closing):
            raise QueryError(f"unbalanced {opening}{closing} in {text!r}; close every {opening} with a {closing}")
    for name in _FIELD_PREFIX.findall(outside):
        if name not in QUERY_FIELDS:
            raise QueryError(
                f"unknown field {name!r} in {text!r}; fields are {', '.join(QUERY_FIELDS)} "
                "(put text with a colon in quotes)"
            )


def _unbalanced(text: str, opening: str, closing: str) -> bool:
    depth = 0
    for char in text:
        depth += (char == opening) - (char == closing)
        if depth < 0:
            return True
    return depth != 0


def build_filter(request: SearchRequest, known_outlets: list[str]) -> Q.Query | None:
    """Dates and outlets as one filter; None when the request has neither."""
    parts: list[Q.Query] = []
    if request.start or request.end:
        parts.append(Q.DateRange("date", request.start, request.end))
    if request.outlets:
        parts.append(Q.Or([Q.Term("outlet_key", _known_outlet(name, known_outlets)) for name in request.outlets]))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Q.And(parts)


def _known_outlet(name: str, known: list[str]) -> str:
    key = outlet_key(name)
    if key not in {outlet_key(k) for k in known}:
        listing = "; ".join(sorted(known)) or "none yet"
        raise QueryError(f"no outlet named {name!r} in the index; outlets: {listing}")
    return key


def explain(request: SearchRequest, schema: Schema, known_outlets: list[str]) -> str:
    """The query and filter as Whoosh runs them, for `--explain`."""
    query = parse_text(request.text, schema)
    filters = build_filter(request, known_outlets)
    return f"query: {query}\nfilter: {filters if filters is not None else 'none'}\nsort: {request.sort}"
