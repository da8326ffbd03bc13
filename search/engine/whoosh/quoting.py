"""The quotes a request finds: each quote of the documents it matches that
holds its words and was said by one of its speakers, scored on its own.

Documents are matched on the words of their quotes (the `quotes` field),
then each of their quotes is read from the `quoted` column and scored with
BM25 over its own words (the idf is the field's, the length the quote's
against the average of the quotes read): a document whose one quote holds
the words lists that quote, not the others.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from whoosh.searching import Searcher
from whoosh.util.times import long_to_datetime

from ...deadline import Deadline
from ...model import FoundQuote
from ...query.request import SearchRequest
from ...text.analysis import Analysis
from ...text.names import Aliases, fold
from .columns import Columns
from .parsing import NO_ALIASES, speaker_words, widened_terms
from .schema import column_text
from .searching import collect, matched_terms


def found_quotes(
    searcher: Searcher, request: SearchRequest, aliases: Aliases | None, columns: Columns
) -> list[FoundQuote]:
    """Every quote the request finds, in no order."""
    deadline = Deadline(request.timeout)
    found, query = collect(searcher, request, aliases, columns, deadline, quotes=True)
    analysis: Analysis = searcher.schema["quotes"].analyzer.analysis
    terms = matched_terms(query, searcher, "quotes") if request.text.strip() else set()
    speakers = _speaker_terms(request, aliases or NO_ALIASES)
    dates = columns.dates_of(found)
    quotes: list[tuple[FoundQuote, dict[str, int]]] = []
    for docnum in found:
        raw = columns.quoted[docnum]
        if not raw:
            continue
        doc_id, outlet = column_text(columns.ids[docnum]), column_text(columns.outlets[docnum]) or None
        when = dates[docnum]
        published = long_to_datetime(when) if when is not None else None
        for text, speaker in json.loads(raw):
            if speakers and not _said_by(speaker, speakers, analysis):
                continue
            counts = _counts(text, terms, analysis) if terms else {}
            if terms and not counts:
                continue
            quotes.append((FoundQuote(text, speaker, doc_id, outlet, published, 0.0), counts))
        deadline.check("reading quotes")
    return list(_scored(searcher, quotes, request))


def _counts(text: str, terms: set[str], analysis: Analysis) -> dict[str, int]:
    counts: dict[str, int] = {}
    for term in analysis.words(text):
        if term in terms:
            counts[term] = counts.get(term, 0) + 1
    return counts


def _scored(
    searcher: Searcher, quotes: list[tuple[FoundQuote, dict[str, int]]], request: SearchRequest
) -> Iterator[FoundQuote]:
    """BM25 of each quote over the terms it holds."""
    lengths = [len(quote.text.split()) for quote, _ in quotes]
    average = sum(lengths) / len(lengths) if lengths else 1.0
    k1, b = request.ranking.k1, request.ranking.b
    for (quote, counts), length in zip(quotes, lengths, strict=True):
        norm = k1 * (1 - b + b * length / average)
        score = sum(searcher.idf("quotes", term) * tf * (k1 + 1) / (tf + norm) for term, tf in counts.items())
        yield FoundQuote(*quote[:-1], score)


def _speaker_terms(request: SearchRequest, aliases: Aliases) -> list[list[set[str]]]:
    """For each speaker asked, the spellings each word of the name may have."""
    return [[widened_terms(word, aliases) for word in words] for words in speaker_words(request)]


def _said_by(speaker: str | None, names: list[list[set[str]]], analysis: Analysis) -> bool:
    """Whether a quote's speaker is one of those asked: every word of the
    name asked is in the speaker's, in any spelling; only the surname when the
    document gives the speaker's surname alone ("Sergei Shoigu" is "Shoygu")."""
    if not speaker:
        return False
    said = [{fold(term) for term in analysis.terms(word.lower())} for word in speaker.split()]
    words = set().union(*said)
    return any(all(words & spellings for spellings in (name if len(said) > 1 else name[-1:])) for name in names)
