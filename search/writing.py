"""Whoosh's segment writer, with each field's lengths read once when it commits.

At commit Whoosh asks the new segment, for every posting it writes, the
length of the posting's field in its document, to keep each block's
shortest and longest. It looks each one up through a column reader, and
for a field that stores no lengths (ids, keywords, the twins of
`schema.COUNTS`) asks the disk whether the column's file exists, once per
posting: half the postings of a document, and a fifth of the writing time
of a build. Here each field's lengths are read whole, once.
"""

from __future__ import annotations

from typing import Any

from whoosh.codec.base import PerDocumentReader
from whoosh.index import Index
from whoosh.writing import SegmentWriter

from .columns import segment_lengths


def open_writer(ix: Index, **options: Any) -> SegmentWriter:
    """A writer for `ix`, taking the options of `Index.writer`."""
    return _Writer(ix, **options)


class _Writer(SegmentWriter):  # type: ignore[misc]
    def per_document_reader(self) -> _Lengths:
        return _Lengths(super().per_document_reader())


class _Lengths:
    """The part of a new segment's per-document reader that the commit uses."""

    def __init__(self, reader: PerDocumentReader) -> None:
        self._reader = reader
        self._lengths: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str) -> int:
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            lengths = self._lengths[fieldname] = segment_lengths(self._reader, fieldname)
        return lengths[docnum]

    def close(self) -> None:
        self._reader.close()
