"""The passages of a body that best show why a document matched.

A window of the body is scored by how many different query terms it shows,
then by how many matches; the best one or two windows, in reading order,
make the snippet. Terms are compared after analysis, so "talks" in a query
marks "talked" in the text and "vucic" marks "Vučić".
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import islice
from typing import NamedTuple

from ..model import Snippet
from .analysis import Analysis

WIDTH = 200
LEAD = 50
WINDOWS = 2
MAX_MATCHES = 2_000
MAX_ANALYZED = 1_000_000
"""A snippet is chosen among the first MAX_MATCHES matches in the first
MAX_ANALYZED characters of the body, so that what it costs is bounded
however long the document and however often it repeats a word (as
Elasticsearch's `index.highlight.max_analyzed_offset`); a document that
matches only further on shows its beginning."""
MAX_WORD = 60
"""How far a window is widened to take in a whole word."""


"""What exports that do not show text carry instead of a snippet."""


class _Match(NamedTuple):
    start: int
    end: int
    term: str


def snippet(body: str, terms: set[str], analysis: Analysis) -> Snippet:
    """The best passages of `body` for the analysed query `terms`."""
    matches = [
        _Match(start, end, next(term for term in found if term in terms))
        for start, end, found in islice(analysis.spans(body[:MAX_ANALYZED], terms), MAX_MATCHES)
    ]
    if not matches:
        return _lead(body)
    pieces: list[tuple[str, bool]] = []
    end = 0
    for number, (start, end) in enumerate(_best_windows(matches, len(body))):
        start, end = _word_bounds(body, start, end)
        if start > 0:
            pieces.append((" … " if number else "… ", False))
        cursor = start
        for match in (m for m in matches if start <= m.start and m.end <= end):
            pieces += [(body[cursor : match.start], False), (body[match.start : match.end], True)]
            cursor = match.end
        pieces.append((body[cursor:end], False))
    if end < len(body):
        pieces.append((" …", False))
    return Snippet(tuple(_join(pieces)))


def highlighted(body: str, terms: set[str], analysis: Analysis) -> Snippet:
    """The whole of `body`, its words that have one of `terms` marked (in
    its first MAX_ANALYZED characters, as for a snippet); line breaks kept."""
    pieces: list[tuple[str, bool]] = []
    cursor = 0
    for start, end, _ in analysis.spans(body[:MAX_ANALYZED], terms) if terms else ():
        pieces += [(body[cursor:start], False), (body[start:end], True)]
        cursor = end
    pieces.append((body[cursor:], False))
    return Snippet(tuple((text, hit) for text, hit in pieces if text))


def _best_windows(matches: list[_Match], length: int) -> list[tuple[int, int]]:
    """The WINDOWS best windows, each opening LEAD characters before a match:
    the most different terms, then the most matches, then the earliest.

    The matches inside a window are those from `low` to `high`, both moving
    only forward as the window does (matches come in order and do not
    overlap): linear in the number of matches."""
    candidates = []
    terms: Counter[str] = Counter()
    low = high = 0
    for first in matches:
        start = max(0, first.start - LEAD)
        end = min(length, start + WIDTH)
        while high < len(matches) and matches[high].end <= end:
            terms[matches[high].term] += 1
            high += 1
        while low < len(matches) and matches[low].start < start:
            if low < high:
                term = matches[low].term
                terms[term] -= 1
                if not terms[term]:
                    del terms[term]
            low += 1
        high = max(high, low)
        candidates.append(((len(terms), high - low), start, end))
    candidates.sort(key=lambda c: (-c[0][0], -c[0][1], c[1]))
    chosen: list[tuple[int, int]] = []
    for _, start, end in candidates:
        if all(end <= s or start >= e for s, e in chosen):
            chosen.append((start, end))
        if len(chosen) == WINDOWS:
            break
    return sorted(chosen)


def _word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a window to whole words (by MAX_WORD characters at most)."""
    first, last = max(0, start - MAX_WORD), min(len(text), end + MAX_WORD)
    while start > first and not text[start - 1].isspace():
        start -= 1
    while end < last and not text[end].isspace():
        end += 1
    return start, end


def _join(pieces: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Merge neighbouring plain pieces and fold their white space to one space."""
    joined: list[tuple[str, bool]] = []
    for text, hit in pieces:
        if joined and not hit and not joined[-1][1]:
            joined[-1] = (joined[-1][0] + text, False)
        elif text:
            joined.append((text, hit))
    folded = [(text if hit else re.sub(r"\s+", " ", text), hit) for text, hit in joined]
    return [(text, hit) for text, hit in folded if text]


def _lead(body: str) -> Snippet:
    if len(body) <= WIDTH:
        return Snippet(((" ".join(body.split()), False),))
    _, end = _word_bounds(body, 0, WIDTH)
    return Snippet(((" ".join(body[:end].split()) + " …", False),))
