"""Who said what: the quotes a request finds, ranked and counted by speaker,
outlet and year; and who is quoted most on a subject (`speakers`).

A speaker is shown in one spelling across the archive: the alias table's
name for the person, else the spelling most documents use
(`text.names.shown_names`), so "Vucic", "Vučić" and "Вучић" are one row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import NamedTuple

from ..model import NO_OUTLET, NO_VALUE, UNDATED, FoundQuote, QuoteHit, QuoteResults, StoredDocument
from ..query.request import SearchRequest
from ..text.names import Aliases, shown_names


class Speaker(NamedTuple):
    """Who is quoted on a subject: how often, where and when."""

    name: str
    quotes: int
    documents: int
    outlets: dict[str, int]
    """Quotes by outlet, most first (NO_OUTLET: documents without one)."""
    first: str | None
    last: str | None
    """The days of the first and last dated document quoting them."""


def quote_results(
    found: list[FoundQuote], request: SearchRequest, aliases: Aliases, document: Callable[[str], StoredDocument]
) -> QuoteResults:
    """The first `request.limit` quotes in the request's order, with counts
    over every quote found; `document` gives the title and date shown."""
    shown = _speakers_shown(found, aliases)
    page = _ordered(found, request)[: request.limit]
    stored = {doc_id: document(doc_id) for doc_id in {quote.doc_id for quote in page}}
    hits = tuple(
        QuoteHit(
            rank=rank,
            text=quote.text,
            speaker=shown.get(quote.speaker) if quote.speaker else None,
            doc_id=quote.doc_id,
            title=stored[quote.doc_id].title,
            date=stored[quote.doc_id].date,
            outlet=quote.outlet,
        )
        for rank, quote in enumerate(page, 1)
    )
    years = _counted((str(quote.published.year) if quote.published else None for quote in found), UNDATED)
    facets = {
        "speaker": _counted(shown.get(quote.speaker) if quote.speaker else None for quote in found),
        "outlet": _counted((quote.outlet for quote in found), NO_OUTLET),
        "year": dict(sorted(years.items(), key=lambda item: (item[0] == UNDATED, item[0]))),
    }
    return QuoteResults(request, len(found), hits, facets)


def speakers(found: list[FoundQuote], aliases: Aliases, limit: int | None = None) -> list[Speaker]:
    """Those quoted among `found`, most quoted first."""
    shown = _speakers_shown(found, aliases)
    said: dict[str, list[FoundQuote]] = {}
    for quote in found:
        if quote.speaker:
            said.setdefault(shown[quote.speaker], []).append(quote)
    rows = [_speaker(name, quotes) for name, quotes in said.items()]
    rows.sort(key=lambda row: (-row.quotes, -row.documents, row.name))
    return rows[:limit]


def _speaker(name: str, quotes: list[FoundQuote]) -> Speaker:
    days = sorted(quote.published.date().isoformat() for quote in quotes if quote.published)
    return Speaker(
        name=name,
        quotes=len(quotes),
        documents=len({quote.doc_id for quote in quotes}),
        outlets=_counted((quote.outlet for quote in quotes), NO_OUTLET),
        first=days[0] if days else None,
        last=days[-1] if days else None,
    )


def _speakers_shown(found: list[FoundQuote], aliases: Aliases) -> dict[str, str]:
    """Each speaker's name as written, to the form shown: the one most documents use."""
    documents = Counter(speaker for _, speaker in {(q.doc_id, q.speaker) for q in found if q.speaker})
    return shown_names(documents, aliases)


def _ordered(found: list[FoundQuote], request: SearchRequest) -> list[FoundQuote]:
    """By score (with words, sorted by relevance), then newest first; or by
    date (undated last either way); a document's quotes in their order."""

    def key(item: tuple[int, FoundQuote]) -> tuple[float, bool, float, str, int]:
        position, quote = item
        by_score = -round(quote.score, 6) if request.sort == "relevance" else 0.0
        when = quote.published.timestamp() if quote.published else 0.0
        return by_score, quote.published is None, when if request.sort == "oldest" else -when, quote.doc_id, position

    return [quote for _, quote in sorted(enumerate(found), key=key)]


def _counted(values: Iterable[str | None], missing_label: str = NO_VALUE) -> dict[str, int]:
    """How many of each value, most first, and last how many have none."""
    counts = Counter(values)
    missing = counts.pop(None, 0)
    named = dict(sorted(counts.items(), key=lambda item: (-item[1], item[0] or "")))
    return {str(name): count for name, count in named.items()} | ({missing_label: missing} if missing else {})
