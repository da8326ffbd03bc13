"""Quotes and speakers as text for people and as JSON and rows for programs."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..model import QuoteHit, QuoteResults
from .results import count, day, facet_line, iso_day

if TYPE_CHECKING:
    from ..evaluate.quotes import QuoteScores
    from ..explore.quotes import Speaker
    from ..query.request import SearchRequest

WIDTH = 88


def quotes_lines(results: QuoteResults) -> Iterator[str]:
    words = results.request.text or "everything"
    shown = f" ({len(results.quotes)} shown)" if results.total > len(results.quotes) else ""
    yield f"{results.total} {'quote' if results.total == 1 else 'quotes'} for {words!r}{shown}"
    for quote in results.quotes:
        yield ""
        speaker, outlet = quote.speaker or "(speaker not found)", quote.outlet or "(no outlet)"
        yield f"{quote.rank}. {speaker} · {day(quote.date)} · {outlet}"
        yield from textwrap.wrap(f"“{quote.text}”", WIDTH, initial_indent="   ", subsequent_indent="   ")
        yield f"   {quote.doc_id}" + (f" · {quote.title}" if quote.title else "")
    if results.total:
        yield ""
        for name, counts in results.facets.items():
            yield f"By {name}: ".ljust(12) + facet_line(counts)


def quotes_json(results: QuoteResults) -> dict[str, Any]:
    return {
        "query": results.request.text,
        "total": results.total,
        "facets": results.facets,
        "quotes": list(quote_rows(results)),
    }


def quote_rows(results: QuoteResults) -> Iterator[dict[str, Any]]:
    yield from (_quote(quote) for quote in results.quotes)


def _quote(quote: QuoteHit) -> dict[str, Any]:
    return {
        "rank": quote.rank,
        "text": quote.text,
        "speaker": quote.speaker,
        "id": quote.doc_id,
        "title": quote.title,
        "date": iso_day(quote.date),
        "outlet": quote.outlet,
    }


def speakers_lines(request: SearchRequest, speakers: list[Speaker]) -> Iterator[str]:
    noun = "speaker" if len(speakers) == 1 else "speakers"
    yield f"{len(speakers)} {noun} quoted on {request.text or 'everything'!r}, most quoted first"
    for rank, speaker in enumerate(speakers, 1):
        yield ""
        quotes = f"{count(speaker.quotes, 'quote')} in {count(speaker.documents, 'document')}"
        yield f"{rank}. {speaker.name} · {quotes} · {day(speaker.first)} to {day(speaker.last)}"
        yield "   " + facet_line(speaker.outlets)


def speakers_json(request: SearchRequest, speakers: list[Speaker]) -> dict[str, Any]:
    return {"query": request.text, "speakers": list(speaker_rows(speakers))}


def speaker_rows(speakers: list[Speaker]) -> Iterator[dict[str, Any]]:
    for rank, speaker in enumerate(speakers, 1):
        yield {
            "rank": rank,
            "name": speaker.name,
            "quotes": speaker.quotes,
            "documents": speaker.documents,
            "outlets": speaker.outlets,
            "first": speaker.first,
            "last": speaker.last,
        }


def quote_scores_lines(scores: QuoteScores, details: bool) -> Iterator[str]:
    yield f"{count(scores.documents, 'document')} scored" + (
        f" ({scores.skipped} not found, skipped)" if scores.skipped else ""
    )
    yield f"quote recall       {scores.recall:.3f}  ({scores.found} of {scores.speech} speech spans found)"
    yield f"speaker accuracy   {scores.speaker_accuracy:.3f}  ({scores.speaker_right} of {scores.found} found)"
    yield f"non-speech taken   {scores.other_taken_share:.3f}  ({scores.other_taken} of {scores.other} spans)"
    if details:
        for miss in scores.misses:
            yield f"  {miss.why}: {miss.begins!r} in {miss.file}"


def quote_scores_json(scores: QuoteScores, details: bool) -> dict[str, Any]:
    document: dict[str, Any] = {
        "documents": scores.documents,
        "skipped": scores.skipped,
        "speech_spans": scores.speech,
        "found": scores.found,
        "recall": round(scores.recall, 4),
        "speaker_accuracy": round(scores.speaker_accuracy, 4),
        "non_speech_spans": scores.other,
        "non_speech_taken": round(scores.other_taken_share, 4),
    }
    if details:
        document["misses"] = [miss._asdict() for miss in scores.misses]
    return document
