"""A search request: what to look for, within which dates and outlets, in
which order; and the checks its text must pass whatever engine runs it.

The query text uses a Lucene-like language over title and body (AND by
default; OR, NOT, -word, "phrases", field:term, wildcards, date ranges);
`search.engine` parses and runs it. Filters (dates, outlets) are applied
apart from scoring, so they never change a ranking.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from ..errors import QueryError
from ..fields import FACETS, NAMES
from ..text.dates import Period, parse_period

SORTS = ("relevance", "newest", "oldest")
SPEAKER = "speaker"
"""The filter of the speakers quoted, beside the facets'."""
QUERY_FIELDS = (
    "title",
    "body",
    "outlet",
    *NAMES,
    "date",
    "year",
    "date_source",
    "id",
    "quotes",
    "speakers",
    "people",
)
_FIELD_PREFIX = re.compile(r'(?<![\w"])([A-Za-z_]\w*):(?=\S)')
_QUOTED = re.compile(r'"[^"]*"')


class Ranking(NamedTuple):
    """BM25's parameters, and the weight of a title match added to a body match.

    The defaults are the classic k1 1.5 and b 0.75, with a title match adding
    half the weight of the same match in the body: of the grid k1 1.2-2.0,
    title weight 0.5-2, these did best on both development collections
    (`search eval`, see docs/guide.md). The title is scored apart and added, so a
    document matching in both ranks above one matching in the body alone.
    """

    k1: float = 1.5
    b: float = 0.75
    title_boost: float = 0.5


DEFAULT_RANKING = Ranking()
DEFAULT_TIMEOUT = 2.0
"""A query that takes longer is one a user would take for a hang: it stops
and says what was costly (the budget can be raised, or lifted with None)."""


@dataclass(frozen=True)
class SearchRequest:
    """What to look for, within which dates and outlets, in which order.

    With `bag_of_words`, the text is a list of words with no operators (for
    topics of test collections, which contain AND, OR and NOT as words).
    """

    text: str = ""
    start: datetime | None = None
    end: datetime | None = None
    outlets: tuple[str, ...] = ()
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Values each facet of `search.fields` must have (one of, for a field
    given several): (("language", ("en", "sr")),)."""
    speakers: tuple[str, ...] = ()
    """Names of persons (or organisations) the documents must quote, one of
    them: any spelling of each word of a name ("lavrov", "Vučić")."""
    sort: str = "relevance"
    limit: int = 10
    collapse: bool = False
    """Show the best hit of each story, with the story's other matches."""
    people: bool = False
    """Also count the persons the matches quote or name (the people facet):
    asked for, as it costs a broad query of 100,000 documents a third more."""
    bag_of_words: bool = False
    ranking: Ranking = DEFAULT_RANKING
    timeout: float | None = DEFAULT_TIMEOUT
    """Seconds the query may take to match and rank (None: no limit); past
    them it stops with a QueryTimeout naming the costly part."""

    def __post_init__(self) -> None:
        if self.timeout is not None and self.timeout <= 0:
            raise QueryError(f"the timeout must be a positive number of seconds, not {self.timeout}")
        if self.sort not in SORTS:
            raise QueryError(f"unknown sort {self.sort!r}; use one of {', '.join(SORTS)}")
        if self.limit < 1:
            raise QueryError(f"the limit must be at least 1, not {self.limit}")
        unknown = [name for name, _ in self.filters if name not in FACETS]
        if unknown:
            raise QueryError(f"no facet named {unknown[0]!r} to filter on; facets: {', '.join(FACETS)}")
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
        filters: Mapping[str, Iterable[str]] | None = None,
        **options: object,
    ) -> SearchRequest:
        """A request from dates as people type them (`--from 2021` means
        1 January 2021), and filters as a mapping: facets' values
        ({"language": ["sr"]}) and, under SPEAKER, the speakers'."""
        start = _period(date_from).start if date_from else None
        end = _period(date_to).end if date_to else None
        given = dict(filters or {})
        speakers = tuple(name for name in given.pop(SPEAKER, ()) if name.strip())
        chosen = tuple((name, tuple(values)) for name, values in given.items() if values)
        return cls(text=text, start=start, end=end, filters=chosen, speakers=speakers, **options)  # type: ignore[arg-type]

    @property
    def filtered(self) -> bool:
        """Whether anything beside its text narrows what it finds."""
        return bool(self.start or self.end or self.outlets or self.filters or self.speakers)


def _period(value: str | Period) -> Period:
    if isinstance(value, Period):
        return value
    try:
        return parse_period(value)
    except ValueError as exc:
        raise QueryError(str(exc)) from exc


MAX_WORDS = 1024
MAX_WORD_LENGTH = 255
"""The most words a query may have (Lucene's default limit of clauses) and
the longest word it may hold (Lucene's longest token): beyond them a query
would cost seconds to parse and run, and none is a question a user asks."""


def shown(text: str) -> str:
    """A query's text as an error message quotes it: shortened when long."""
    return repr(text if len(text) <= 80 else text[:79] + "…")


def check_size(text: str) -> None:
    words = text.split()
    if len(words) > MAX_WORDS:
        raise QueryError(f"the query has {len(words):,} words; ask with at most {MAX_WORDS:,}")
    longest = max(words, key=len)
    if len(longest) > MAX_WORD_LENGTH:
        raise QueryError(
            f"the query holds a word of {len(longest):,} characters ({shown(longest)}); "
            f"words of at most {MAX_WORD_LENGTH} are searched"
        )


def check_syntax(text: str) -> None:
    if text.count('"') % 2:
        raise QueryError(f'unbalanced quote in {shown(text)}; close the phrase with another "')
    outside = _QUOTED.sub(" ", text)
    for opening, closing in ("()", "[]", "{}"):
        if _unbalanced(outside, opening, closing):
            raise QueryError(f"unbalanced {opening}{closing} in {shown(text)}; close every {opening} with a {closing}")
    for name in _FIELD_PREFIX.findall(outside):
        if name not in QUERY_FIELDS:
            raise QueryError(
                f"unknown field {name!r} in {shown(text)}; fields are {', '.join(QUERY_FIELDS)} "
                "(put text with a colon in quotes)"
            )


def _unbalanced(text: str, opening: str, closing: str) -> bool:
    depth = 0
    for char in text:
        depth += (char == opening) - (char == closing)
        if depth < 0:
            return True
    return depth != 0
