"""The passages of a body that best show why a document matched.

A window of the body is scored by how many different query terms it shows,
then by how many matches; the best one or two windows, in reading order,
make the snippet. Terms are compared after analysis, so "talks" in a query
marks "talked" in the text and "vucic" marks "Vučić".
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .schema import NewsAnalyzer

WIDTH = 200
LEAD = 50
WINDOWS = 2


class Snippet(NamedTuple):
    """A passage of the body as (text, is_match) pieces, in order."""

    pieces: tuple[tuple[str, bool], ...]

    def marked(self, opening: str = "**", closing: str = "**") -> str:
        return "".join(f"{opening}{text}{closing}" if hit else text for text, hit in self.pieces)


NO_SNIPPET = Snippet(())
"""What exports that do not show text carry instead of a snippet."""


class _Match(NamedTuple):
    start: int
    end: int
    term: str


def snippet(body: str, terms: set[str], analyzer: NewsAnalyzer) -> Snippet:
    """The best passages of `body` for the analysed query `terms`."""
    matches = [
        _Match(start, end, next(term for term in found if term in terms))
        for start, end, found in analyzer.spans(body, terms)
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


def _best_windows(matches: list[_Match], length: int) -> list[tuple[int, int]]:
    candidates = []
    for first in matches:
        start = max(0, first.start - LEAD)
        end = min(length, start + WIDTH)
        inside = [m for m in matches if start <= m.start and m.end <= end]
        candidates.append(((len({m.term for m in inside}), len(inside)), start, end))
    candidates.sort(key=lambda c: (-c[0][0], -c[0][1], c[1]))
    chosen: list[tuple[int, int]] = []
    for _, start, end in candidates:
        if all(end <= s or start >= e for s, e in chosen):
            chosen.append((start, end))
        if len(chosen) == WINDOWS:
            break
    return sorted(chosen)


def _word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a window to whole words."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
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
