"""Whoosh's codec (W3Codec) with a term index and postings file of our own
writing, in Whoosh's format, so that Whoosh's reader reads them unchanged.

Whoosh's field writer takes a posting at a time (`add`), checking its types
and each block's statistics as it goes, and a term through four objects; a
sixth of a build. `FieldWriter.add_term` takes a term's postings as lists
and writes its term information and blocks at once. What it writes differs
from Whoosh's in two ways, both of which Whoosh's reader reads:

- Most terms of a news archive occur in one document or two (story bands,
  line keys, ids, rare names). Whoosh writes each term's postings as a block
  of their own (a header, its facts and data pickled, the data compressed)
  unless they are fewer than its codec's `inlinelimit`; but its writer calls
  a method that does not exist when they are (`set_inline` for
  `set_inlined`), so the limit is 1 and nothing is inlined. Here postings
  fewer than INLINE_LIMIT are kept in the term index. A posting with no value
  is inlined with an empty one: Whoosh reads a term's inlined postings
  without values as "", which its own merge of segments refuses.
- Blocks and inlined postings are pickled with PICKLE_PROTOCOL.

It also writes the segment's positions file (`positions`): for each term of
a field that keeps positions, its positions as keys for matching phrases,
and its documents and frequencies, which words are scored from.

tests/test_writing.py compares every posting and term statistic read back
with what Whoosh's own writer makes of the same documents.
"""

from __future__ import annotations

import struct
import zlib
from pickle import dumps
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec
from whoosh.fields import FieldType
from whoosh.filedb.filetables import HashWriter, OrderedHashWriter
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.util.numlists import GrowableArray

from .hashes import CRC32, array_buckets
from .positions import EXT, PositionsWriter

INLINE_LIMIT = 8
"""A term's postings are kept in the term index when they are fewer than this.

Inlined, they skip the block (a header, its facts and data pickled, the
data compressed) but are stored plainly (each id and weight in full), so a
higher limit trades index size for writing time; this one saves writing
time for an index a little larger (docs/performance.md, "Building")."""

PICKLE_PROTOCOL = 4
"""The pickle protocol of posting blocks and inlined postings. Whoosh's
writer pickles them with protocol 2, which has no opcode for bytes and
stores each posting's value (its positions) as a call to `_codecs.encode`.
Protocol 4 (any Python since 3.4 reads it; Whoosh's reader unpickles what it
finds) makes a block of 128 positions ten times as fast to read, and is
faster to write."""

_TERM_INFO = struct.Struct("!BfIBBfII")
"""W3TermInfo's facts: inlined or not, total weight, documents, shortest and
longest field length (as bytes), highest weight, first and last document."""


def codec() -> W3Codec:
    """The codec a writer writes a new segment with."""
    return _Codec(inlinelimit=INLINE_LIMIT)


class _Codec(W3Codec):  # type: ignore[misc]
    def field_writer(self, storage: Any, segment: Any) -> FieldWriter:
        return FieldWriter(storage, segment, self._blocklimit, self._compression)

    def __reduce__(self) -> tuple[type[W3Codec], tuple[int, int, int]]:
        """Segments pickle their codec into the table of contents: as Whoosh's, so readers need nothing of ours."""
        return W3Codec, (self._blocklimit, self._compression, self._inlinelimit)


class FieldWriter:
    """Writes a segment's term index and postings file, a field at a time, its terms in order."""

    def __init__(self, storage: Any, segment: Any, block_limit: int, compression: int) -> None:
        self._terms = _TermIndex(segment.create_file(storage, W3Codec.TERMS_EXT))
        self._fields: dict[str, int] = {}
        self._terms.extras["fieldmap"] = self._fields
        self._postings = segment.create_file(storage, W3Codec.POSTS_EXT)
        self._positions = PositionsWriter(segment.create_file(storage, EXT))
        self._block_limit = block_limit
        self._compression = compression
        self._prefix = b""
        self._field = ""
        self._positional = False
        self._value_size: int | None = None
        self.is_closed = False

    def start_field(self, name: str, field: FieldType) -> None:
        self._prefix = pack_ushort(self._fields.setdefault(name, len(self._fields)))
        self._value_size = field.format.fixed_value_size()
        self._field, self._positional = name, bool(field.format.supports("positions"))

    def add_term(
        self, term: bytes, ids: list[int], weights: list[float], values: list[bytes], lengths: list[int]
    ) -> None:
        """The postings of one term of the current field, in document order,
        with the length of the field in each posting's document (0: none kept)."""
        values = [value for value in values if value]
        inlined = len(ids) < INLINE_LIMIT
        if inlined:
            where = dumps((tuple(ids), tuple(weights), tuple(values or [b""] * len(ids))), PICKLE_PROTOCOL)
        else:
            where = self._write_blocks(ids, weights, values, lengths)
        facts = _TERM_INFO.pack(
            inlined, sum(weights), len(ids), *_length_bytes(lengths), max(0, *weights), ids[0], ids[-1]
        )
        self._terms.add(self._prefix + term, facts + where)
        if self._positional:
            self._positions.add(self._field, term, ids, values)

    def _write_blocks(self, ids: list[int], weights: list[float], values: list[bytes], lengths: list[int]) -> bytes:
        """The postings in blocks of the postings file; where they start and their length."""
        postings = self._postings
        start = postings.tell()
        postings.write(WHOOSH3_HEADER_MAGIC)
        limit = self._block_limit
        for first in range(0, len(ids), limit):
            end = first + limit
            block = self._block(ids[first:end], weights[first:end], values[first:end], lengths[first:end])
            postings.write_int(-len(block) if end >= len(ids) else len(block))  # negative: the term's last block
            postings.write(block)
        where: bytes = pack_long(start) + pack_int(postings.tell() - start)
        return where

    def _block(self, ids: list[int], weights: list[float], values: list[bytes], lengths: list[int]) -> bytes:
        """A block as Whoosh's W3PostingsWriter frames it: its facts, then its
        postings (ids as gaps, weights and values as short as they go)."""
        gaps = tuple(now - before for now, before in zip(ids, [0, *ids], strict=False))
        data = dumps((gaps, _short_weights(weights), self._short_values(values)), PICKLE_PROTOCOL)
        if self._compression:
            data = zlib.compress(data, self._compression)
        facts = (len(ids), ids[-1], max(0, *weights), self._compression, *_length_bytes(lengths))
        return dumps(facts, PICKLE_PROTOCOL) + data

    def _short_values(self, values: list[bytes]) -> tuple[bytes, ...] | bytes | None:
        if self._value_size is None or self._value_size < 0:
            return tuple(values)
        return b"".join(values) if self._value_size else None

    def finish_field(self) -> None:
        """Nothing to do between fields: a field's terms are keyed by its number."""

    def close(self) -> None:
        self._terms.close()
        self._postings.close()
        self._positions.close()
        self.is_closed = True


class _TermIndex(OrderedHashWriter):  # type: ignore[misc]
    """Whoosh's term index file, its hash tables' entries kept in arrays and
    its keys hashed with crc32 (`hashes`)."""

    def __init__(self, dbfile: Any) -> None:
        HashWriter.__init__(self, dbfile, hashtype=CRC32)  # OrderedHashWriter's own takes md5
        self.index = GrowableArray("H")  # what OrderedHashWriter's own makes
        self.lastkey = b""
        self.buckets = array_buckets()


def _length_bytes(lengths: list[int]) -> tuple[int, int]:
    """The shortest and longest field length of some postings, as Whoosh's
    length bytes; 0 for a length not kept (a field without lengths)."""
    measured = list(filter(None, lengths))
    return length_to_byte(min(measured, default=None)), length_to_byte(max(measured, default=0))


def _short_weights(weights: list[float]) -> tuple[float, ...] | float | None:
    """None when every weight is 1, the weight when all are the same, else each."""
    if all(weight == 1.0 for weight in weights):
        return None
    if all(weight == weights[0] for weight in weights):
        return weights[0]
    return tuple(weights)
