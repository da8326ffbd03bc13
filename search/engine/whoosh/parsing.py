"""A search request as a Whoosh query: parsed, widened to the folded and
alias spellings of each word, checked; and explained.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import partial

from whoosh import query as Q
from whoosh.qparser import AndGroup, FuzzyTermPlugin, MultifieldParser

from ...errors import QueryError
from ...query.request import SearchRequest, check_size, check_syntax, shown
from ...text.names import Aliases, fold
from .schema import TEXT_FIELDS, outlet_key, query_schema

EXACT_BOOST = 2.0
"""How much more a word's exact form counts than its folded or alias spellings."""


NO_ALIASES = Aliases({})


def parse_text(request: SearchRequest, aliases: Aliases | None = None, quotes: bool = False) -> Q.Query:
    """The Whoosh query for the request's text; everything when it is empty.
    It searches the title and body, or with `quotes` the words quoted.

    Each word is widened to its exact form, its folded form and the other
    spellings of the alias table, the exact form counting most.
    """
    text = request.text
    if not text.strip():
        return Q.Every()
    check_size(text)
    boosts = {"quotes": 1.0} if quotes else {"title": request.ranking.title_boost, "body": 1.0}
    query = _bag_of_words(request, boosts) if request.bag_of_words else _parse(request, boosts)
    return query.accept(partial(_widen, aliases or NO_ALIASES))


def speaker_filter(request: SearchRequest, aliases: Aliases | None) -> Q.Query | None:
    """The documents quoting someone of the surname (the last word) of one of
    the request's speakers, in any spelling; None when it names none. (Which
    of their quotes are that person's is `quoting`'s to tell.)"""
    if not request.speakers:
        return None
    widen = partial(_widen, aliases or NO_ALIASES)
    return Q.Or([Q.Term("speakers", words[-1]).accept(widen) for words in speaker_words(request)])


def speaker_words(request: SearchRequest) -> list[list[str]]:
    """The analysed words of each speaker's name the request asks for."""
    analyse = query_schema()["speakers"].analyzer
    names = [[token.text for token in analyse(name)] for name in request.speakers]
    if not all(names):
        raise QueryError(f"no name to look for in the speaker {request.speakers[names.index([])]!r}")
    return names


def _widen(aliases: Aliases, query: Q.Query) -> Q.Query:
    if isinstance(query, Q.Phrase) and query.fieldname in TEXT_FIELDS:
        return Q.Phrase(query.fieldname, [fold(word) for word in query.words], slop=query.slop, boost=query.boost)
    if type(query) in (Q.Prefix, Q.Wildcard) and fold(query.text) != query.text:
        return Q.Or([query, type(query)(query.fieldname, fold(query.text), boost=query.boost)])
    if type(query) is not Q.Term or query.fieldname not in TEXT_FIELDS:
        return query
    others = widened_terms(query.text, aliases) - {query.text}
    if not others:
        return query
    exact = Q.Term(query.fieldname, query.text, boost=query.boost * EXACT_BOOST)
    return Q.Or([exact, *(Q.Term(query.fieldname, other, boost=query.boost) for other in sorted(others))])


def widened_terms(term: str, aliases: Aliases) -> set[str]:
    """An analysed word with its folded form and the alias table's other spellings."""
    return {term, fold(term)} | aliases.variants(term)


def _parse(request: SearchRequest, boosts: dict[str, float]) -> Q.Query:
    check_syntax(request.text)
    parser = MultifieldParser(list(boosts), query_schema(), fieldboosts=boosts, group=AndGroup)
    parser.add_plugin(FuzzyTermPlugin())  # `sanction~`, `sanction~2`
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
        bounded = isinstance(leaf, Q.NumericRange) and None not in (leaf.start, leaf.end)  # date:[2021 TO] is not
        if bounded and leaf.fieldname == "date" and leaf.start > leaf.end:
            raise QueryError("a date range in the query runs backwards; put the earlier date first")


def _bag_of_words(request: SearchRequest, boosts: dict[str, float]) -> Q.Query:
    """Every word of the text, weighted by how often the text repeats it.

    Whoosh's parser would merge repeated words into one; long topics say
    what matters by repeating it (CISI nDCG@10 0.31 merged, 0.38 weighted).
    """
    counts = Counter(token.text for token in query_schema()["body"].analyzer(request.text, mode="query"))
    if not counts:
        raise QueryError(f"nothing to search for in {shown(request.text)}: common words like 'the' are not indexed")
    return Q.Or(
        [Q.Term(field, term, boost=count * boost) for term, count in counts.items() for field, boost in boosts.items()]
    )


def outlet_filter(request: SearchRequest, known_outlets: list[str]) -> Q.Query | None:
    """The documents of the request's outlets; None when it names none.

    (Its dates are a filter on the date column: searching.py.)
    """
    if not request.outlets:
        return None
    return Q.Or([Q.Term("outlet_key", known_outlet(name, known_outlets)) for name in request.outlets])


def facet_filter(name: str, values: tuple[str, ...], known: list[str]) -> Q.Query:
    """The documents with one of `values` of a facet of `search.fields`, its case ignored."""
    by_key = {value.casefold(): value for value in known}
    missing = [value for value in values if value.casefold() not in by_key]
    if missing:
        listing = "; ".join(sorted(known)) or "none yet"
        raise QueryError(f"no {name} {missing[0]!r} in the index; {name} values: {listing}")
    return Q.Or([Q.Term(name, by_key[value.casefold()]) for value in values])


def known_outlet(name: str, known: list[str]) -> str:
    """The key `--outlet NAME` is matched by; a QueryError listing the outlets when none has it."""
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
    limits.extend(f"{name} " + " or ".join(map(repr, values)) for name, values in request.filters)
    if request.speakers:
        limits.append(f"speaker {speaker_filter(request, aliases)}")
    return f"query: {query}\nfilter: {'; '.join(limits) or 'none'}\nsort: {request.sort}"
