"""Stories across outlets: near-duplicate and same-story documents.

A wire story re-run by several outlets, each with its own header, footer and
edits, still shares most of its word sequences. Each document is described
by its shingles (runs of SHINGLE words, folded so that "Vučić" and "Vucic"
agree) and, at index time, by a MinHash signature of them cut into bands
(locality-sensitive hashing, as in Broder's near-duplicate detection and
Leskovec, Rajaraman and Ullman, ch. 3). The bands are index terms of the
`story` field: two documents sharing one are candidates, and they belong to
the same story when their shingle sets overlap by at least SAME_STORY (the
overlap coefficient, so a shortened re-run still joins the original). The
story of a document is it and the documents linked to it that way; not the
documents linked to those in turn, which would chain articles that share a
quoted paragraph into one ever-growing story.

Only the bands are indexed, and each document's own: adding, changing or
removing one document keeps every story up to date without touching the
others. The signature is one-permutation hashing (Li, Owen and Zhang 2012,
densified by rotation): one hash per shingle instead of one per shingle and
band, which keeps indexing cost small.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable

from .analysis import LETTERS
from .names import fold

SHINGLE = 4
"""Words per shingle."""
BINS = 16
"""Hashes in a signature."""
ROWS = 2
"""Hashes per band: two documents whose shingle sets have Jaccard similarity
J share a band with probability 1 - (1 - J**ROWS) ** (BINS / ROWS): 0.90 at
J = 0.5 (a re-run of half the original), 0.996 at J = 0.7. Every band is a
term in the index, and Whoosh spends some 170 bytes on a term: 8 bands add a
quarter to the index's size, 16 would add three fifths."""
MIN_SHINGLES = 12
"""Fewer shingles than this (a caption, a teaser) and a document joins no story."""
SAME_STORY = 0.5
"""Share of the smaller document's shingles found in the other."""

_WORD = re.compile(LETTERS)
_EMPTY = 1 << 32


def shingles(text: str) -> frozenset[int]:
    """The hashed runs of SHINGLE folded words of a text."""
    words = [fold(word) for word in _WORD.findall(text)]
    runs = (" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))
    return frozenset(zlib.crc32(run.encode()) for run in runs)


def bands(text: str) -> list[str]:
    """The LSH band terms of a text: BINS / ROWS of them, or none for a short text."""
    return bands_of(shingles(text))


def bands_of(hashed: frozenset[int]) -> list[str]:
    if len(hashed) < MIN_SHINGLES:
        return []
    signature = _signature(hashed)
    rows = (signature[start : start + ROWS] for start in range(0, BINS, ROWS))
    return [f"{band:x}{zlib.crc32(repr(row).encode()):08x}" for band, row in enumerate(rows)]


def _signature(hashed: Iterable[int]) -> list[int]:
    """One-permutation MinHash: each hash goes to a bin by its low bits and the
    bin keeps the smallest; an empty bin borrows from the next full one."""
    mins = [_EMPTY] * BINS
    for value in hashed:
        slot = value % BINS
        if value < mins[slot]:
            mins[slot] = value
    full = [i for i, value in enumerate(mins) if value != _EMPTY]
    for i, value in enumerate(mins):
        if value == _EMPTY:
            donor = next((j for j in full if j > i), full[0])
            mins[i] = (mins[donor] + (donor - i) % BINS * 0x9E3779B1) & 0xFFFFFFFF
    return mins


def overlap(a: frozenset[int], b: frozenset[int]) -> float:
    """|A ∩ B| / min(|A|, |B|): 1 when the smaller is inside the larger."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))
