"""A search request turned into a Whoosh query and filter, and explained.

The query text uses Whoosh's query language over title and body (AND by
default; OR, NOT, "phrases", field:term, wildcards). Filters (dates,
outlets) are applied apart from scoring, so they never change a ranking.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import NamedTuple

from whoosh import query as Q
from whoosh.qparser import AndGroup, MultifieldParser

from .dates import Period, parse_period
from .errors import QueryError
from .names import Aliases, fold, read_aliases
from .schema import SCHEMA_VERSION, TEXT_FIELDS, outlet_key, query_schema

SORTS = ("relevance", "newest", "oldest")
SEARCH_FIELDS = ("title", "body")
QUERY_FIELDS = ("title", "body", "outlet", "author", "date", "year", "date_source", "url", "id")
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
    sort: str = "relevance"
    limit: int = 10
    collapse: bool = False
    """Show the best hit of each story, with the story's other matches."""
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


EXACT_BOOST = 2.0
"""How much more a word's exact form counts than its folded or alias spellings."""


NO_ALIASES = Aliases({})


def load_aliases(archive_aliases: Path | None = None, cache: Path | None = None) -> Aliases:
    """The alias table, its spellings analysed as query words are (see names.read_aliases)."""
    exact = query_schema()["body"].analyzer
    return read_aliases(
        archive_aliases, lambda text: [t.text for t in exact(text, mode="query")], f"schema {SCHEMA_VERSION}", cache
    )


def parse_text(request: SearchRequest, aliases: Aliases | None = None) -> Q.Query:
    """The Whoosh query for the request's text; everything when it is empty.

    Each word is widened to its exact form, its folded form and the other
    spellings of the alias table, the exact form counting most.
    """
    text = request.text
    if not text.strip():
        return Q.Every()
    _check_size(text)
    query = _bag_of_words(request) if request.bag_of_words else _parse(request)
    return query.accept(partial(_widen, aliases or NO_ALIASES))


def _widen(aliases: Aliases, query: Q.Query) -> Q.Query:
    if isinstance(query, Q.Phrase) and query.fieldname in TEXT_FIELDS:
        return Q.Phrase(query.fieldname, [fold(word) for word in query.words], slop=query.slop, boost=query.boost)
    if type(query) in (Q.Prefix, Q.Wildcard) and fold(query.text) != query.text:
        return Q.Or([query, type(query)(query.fieldname, fold(query.text), boost=query.boost)])
    if type(query) is not Q.Term or query.fieldname not in TEXT_FIELDS:
        return query
    others = ({fold(query.text)} | aliases.variants(query.text)) - {query.text}
    if not others:
        return query
    exact = Q.Term(query.fieldname, query.text, boost=query.boost * EXACT_BOOST)
    return Q.Or([exact, *(Q.Term(query.fieldname, other, boost=query.boost) for other in sorted(others))])


def _parse(request: SearchRequest) -> Q.Query:
    _check_syntax(request.text)
    boosts = {"title": request.ranking.title_boost, "body": 1.0}
    parser = MultifieldParser(list(SEARCH_FIELDS), query_schema(), fieldboosts=boosts, group=AndGroup)
    text = request.text
    try:
        parsed = parser.parse(_minus_as_not(text))
    except Exception as exc:  # Whoosh's parser raises assorted errors on odd input.
        raise QueryError(
            f"cannot parse the query {shown(text)}; check its quotes, brackets and date ranges (date:[2021 to 2022])"
        ) from exc
    _check_dates(parsed, bool(_DATE_TERM.search(text)))
    if isinstance(parsed, _NULL):
        raise QueryError(f"nothing to search for in {shown(text)}: common words like 'the' are not indexed")
    return parsed


_MINUS = re.compile(r'"[^"]*"|(?<![^\s(])-(?=[\w"(])')
_DATE_TERM = re.compile(r"(?<![\w\"])date:")


def _minus_as_not(text: str) -> str:
    """`-word` and `-"a phrase"` as NOT, as web search engines read them
    (a dash inside a word, "pro-Kremlin", or inside quotes, is left alone)."""
    return _MINUS.sub(lambda match: match.group() if match.group().startswith('"') else "NOT ", text)


_NULL = type(Q.NullQuery)


def _check_dates(query: Q.Query, has_dates: bool) -> None:
    """Refuse a date Whoosh could not read (it would match nothing, silently)
    and a date range that runs backwards, as --from after --to is refused."""
    for leaf in [query] if query.is_leaf() else query.leaves():
        if has_dates and isinstance(leaf, _NULL):
            raise QueryError(
                "a date in the query could not be read; write date:2021, date:202102, "
                "date:20210203 or date:[2021 TO 2022]"
            )
        if isinstance(leaf, Q.NumericRange) and leaf.fieldname == "date" and leaf.start > leaf.end:
            raise QueryError("a date range in the query runs backwards; put the earlier date first")


def _bag_of_words(request: SearchRequest) -> Q.Query:
    """Every word of the text, weighted by how often the text repeats it.

    Whoosh's parser would merge repeated words into one; long topics say
    what matters by repeating it (CISI nDCG@10 0.31 merged, 0.38 weighted).
    """
    counts = Counter(token.text for token in query_schema()["body"].analyzer(request.text, mode="query"))
    if not counts:
        raise QueryError(f"nothing to search for in {shown(request.text)}: common words like 'the' are not indexed")
    boosts = {"title": request.ranking.title_boost, "body": 1.0}
    return Q.Or(
        [Q.Term(field, term, boost=count * boost) for term, count in counts.items() for field, boost in boosts.items()]
    )


MAX_WORDS = 1024
MAX_WORD_LENGTH = 255
"""The most words a query may have (Lucene's default limit of clauses) and
the longest word it may hold (Lucene's longest token): beyond them a query
would cost seconds to parse and run, and none is a question a user asks."""


def shown(text: str) -> str:
    """A query's text as an error message quotes it: shortened when long."""
    return repr(text if len(text) <= 80 else text[:79] + "…")


def _check_size(text: str) -> None:
    words = text.split()
    if len(words) > MAX_WORDS:
        raise QueryError(f"the query has {len(words):,} words; ask with at most {MAX_WORDS:,}")
    longest = max(words, key=len)
    if len(longest) > MAX_WORD_LENGTH:
        raise QueryError(
            f"the query holds a word of {len(longest):,} characters ({shown(longest)}); "
            f"words of at most {MAX_WORD_LENGTH} are searched"
        )


def _check_syntax(text: str) -> None:
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


def outlet_filter(request: SearchRequest, known_outlets: list[str]) -> Q.Query | None:
    """The documents of the request's outlets; None when it names none.

    (Its dates are a filter on the date column: searcher.py.)
    """
    if not request.outlets:
        return None
    return Q.Or([Q.Term("outlet_key", _known_outlet(name, known_outlets)) for name in request.outlets])


def _known_outlet(name: str, known: list[str]) -> str:
    key = outlet_key(name)
    if key not in {outlet_key(k) for k in known}:
        listing = "; ".join(sorted(known)) or "none yet"
        raise QueryError(f"no outlet named {name!r} in the index; outlets: {listing}")
    return key


def explain(request: SearchRequest, known_outlets: list[str], aliases: Aliases | None = None) -> str:
    """The query and filter as Whoosh runs them, for `--explain`."""
    query = parse_text(request, aliases)
    outlet_filter(request, known_outlets)  # checks the outlets
    limits = []
    if request.start or request.end:
        limits.append(f"date from {request.start or 'the first'} to {request.end or 'the last'}")
    if request.outlets:
        limits.append("outlet " + " or ".join(repr(outlet) for outlet in request.outlets))
    return f"query: {query}\nfilter: {'; '.join(limits) or 'none'}\nsort: {request.sort}"
