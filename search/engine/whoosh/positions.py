"""Each term's positions in a segment as one array of numbers, so that a
phrase is matched by set operations in C rather than a document at a time.

Whoosh keeps a term's positions in a document as one pickled value of its
posting block: to match "oil prices", every block of both words was
unpickled, then the positions of each document holding both, then compared
in Python, some 30 ms of a 45 ms query at 100,000 documents
(docs/performance.md, "Queries"). Beside each segment's postings, a file of
its own (EXT, inside the segment's compound file, so it lives and goes with
the segment) keeps each positional term's postings as keys, a document's
number shifted left by `shift` plus a position, in one array. A phrase's
documents are then the keys of its first word moved one position on,
intersected with the keys of the next, and so on (`phrase_documents`).

A key takes 4 bytes (shift 16) when the segment's documents and the term's
positions allow it, else 8 (shift 32). A segment written by Whoosh's own
writer has no such file: `phrase_documents` and `counted` answer None, and
the phrase and its words are read from the posting blocks.

The file also keeps each such term's documents and frequencies, as two
arrays (`counted`): what a word is scored from. Read from the posting
blocks, they cost a pickle and often a zlib stream a block,
about 160 ns a posting, more than the scoring itself; as arrays they are
copied out whole.
"""

from __future__ import annotations

import pickle
import sys
from array import array
from collections.abc import Collection, Iterable, Sequence
from itertools import accumulate, chain
from typing import Any
from weakref import WeakKeyDictionary

from whoosh.filedb.filetables import HashReader, HashWriter
from whoosh.reading import IndexReader, SegmentReader

from .columns import leaves
from .hashes import CRC32, array_buckets

EXT = ".phr"
"""The extension of a segment's positions file (Whoosh's codec uses .trm, .pst, .vps, .col and .seg)."""

MAX_SLOP = 255
"""The widest slop matched from the positions file: a key's position must
not run into the next document's when moved this far on. A phrase of a
wider slop is matched from the posting blocks."""

_SHORT, _LONG = 16, 32
"""The shifts of short (4-byte) and long (8-byte) keys."""

_TYPECODES = {_SHORT: "I", _LONG: "Q"}

_COUNT = 4
"""A positions value begins with its count of positions (4 bytes, big-endian), then the pickled gaps between them."""

_FREQUENCY_TYPES = "BHI"
"""The array typecodes a term's frequencies take, the shortest that holds them."""


class PositionsWriter:
    """Writes a segment's positions file, a term at a time."""

    def __init__(self, dbfile: Any) -> None:
        self._file = HashWriter(dbfile, hashtype=CRC32)
        self._file.buckets = array_buckets()

    def add(self, field: str, term: bytes, ids: list[int], values: list[bytes]) -> None:
        """A term's postings (document numbers in order, and their positions values)."""
        loads = pickle.loads
        positions = [loads(value[_COUNT:]) for value in values]  # gaps; the first is the first position
        short = ids[-1] < 1 << _SHORT and max(map(sum, positions)) < (1 << _SHORT) - MAX_SLOP
        shift = _SHORT if short else _LONG
        keys = array(_TYPECODES[shift])
        extend = keys.extend
        for docnum, gaps in zip(ids, positions, strict=True):
            gaps[0] += docnum << shift
            extend(accumulate(gaps))
        if sys.byteorder == "big":
            keys.byteswap()
        self._file.add(_key(field, term), bytes((shift,)) + keys.tobytes())
        self._file.add(_counted_key(field, term), _counted(ids, values))

    def close(self) -> None:
        self._file.close()


def _counted(ids: list[int], values: list[bytes]) -> bytes:
    """A term's documents (4 bytes each) and frequencies (the count each
    positions value begins with, in as few bytes as they fit), after a
    byte naming the frequencies' typecode."""
    frequencies = array("I", b"".join([value[:_COUNT] for value in values]))
    if sys.byteorder == "little":
        frequencies.byteswap()
    most = max(frequencies)
    typecode = next(code for code in _FREQUENCY_TYPES if most < 1 << 8 * array(code).itemsize)
    parts = [array("I", ids), array(typecode, frequencies)]
    if sys.byteorder == "big":
        for part in parts:
            part.byteswap()
    return typecode.encode() + b"".join(part.tobytes() for part in parts)


def counted(reader: IndexReader, field: str, term: bytes) -> list[tuple[Sequence[int], array[int]]] | None:
    """A positional term's documents and frequencies in each segment of
    `reader` that holds it, numbered in the reader; None when a segment has
    no positions file."""
    found = []
    for leaf, offset in leaves(reader):
        positions = _positions_file(leaf)
        if positions is None:
            return None
        value = positions.get(_counted_key(field, term), b"")
        if value:
            found.append(_documents_and_frequencies(value, offset))
    return found


def _documents_and_frequencies(value: bytes, offset: int) -> tuple[Sequence[int], array[int]]:
    typecode = chr(value[0])
    count = (len(value) - 1) // (4 + array(typecode).itemsize)
    view = memoryview(value)[1:]
    documents, frequencies = array("I"), array(typecode)
    documents.frombytes(view[: 4 * count])
    frequencies.frombytes(view[4 * count :])
    if sys.byteorder == "big":
        documents.byteswap()
        frequencies.byteswap()
    return (list(map(offset.__add__, documents)) if offset else documents), frequencies


def phrase_documents(reader: IndexReader, field: str, terms: list[bytes], slop: int) -> set[int] | None:
    """The documents of `reader` where each term follows the one before it
    within `slop` positions; None when a segment has no positions file or
    the slop is wider than it allows."""
    if slop > MAX_SLOP or not terms:
        return None
    found: set[int] = set()
    for leaf, offset in leaves(reader):
        positions = _positions_file(leaf)
        if positions is None:
            return None
        keyed = [positions.get(_key(field, term), b"") for term in terms]
        if all(keyed):  # else a term is not in this segment
            found.update(map(offset.__add__, _in_order(*_arrays(keyed), slop)))
    return found


def _in_order(keys: list[array[int]], shift: int, slop: int) -> Iterable[int]:
    """The documents (numbered in their segment) where a key of each word
    follows a key of the word before it by 1 to `slop` positions: the keys
    of the last word that do, as their documents."""
    ends: Collection[int] = keys[0]
    steps = range(1, slop + 1)
    for following in keys[1:]:
        moved = chain.from_iterable([map(step.__add__, ends) for step in steps])
        # The same keys either way; a set is the dearer half, so it is made of the fewer.
        if len(following) < len(ends) * slop:
            ends = set(following).intersection(moved)
        else:
            ends = set(moved).intersection(following)
        if not ends:
            return ()
    return set(map(shift.__rrshift__, ends))


def _arrays(values: list[bytes]) -> tuple[list[array[int]], int]:
    """The keys of each term, all with the widest shift among them."""
    shift = max(value[0] for value in values)
    keys = []
    for value in values:
        found = array(_TYPECODES[value[0]], value[1:])
        if sys.byteorder == "big":
            found.byteswap()
        if value[0] != shift:  # short keys among long ones: rare, a segment holding a document of 65,000 words
            position = (1 << _SHORT) - 1
            found = array(_TYPECODES[shift], ((key >> _SHORT) << shift | key & position for key in found))
        keys.append(found)
    return keys, shift


_opened: WeakKeyDictionary[SegmentReader, HashReader | None] = WeakKeyDictionary()
"""Each segment reader's positions file, opened once (None: it has none)."""


def _positions_file(leaf: SegmentReader) -> HashReader | None:
    if leaf not in _opened:
        storage, name = leaf.storage(), leaf.segment().make_filename(EXT)
        _opened[leaf] = HashReader.open(storage, name) if storage.file_exists(name) else None
    return _opened[leaf]


def _key(field: str, term: bytes) -> bytes:
    return field.encode() + b"\0" + term


def _counted_key(field: str, term: bytes) -> bytes:
    return b"\0" + _key(field, term)
