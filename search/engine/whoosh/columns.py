"""Dates, outlets and years of every document, read once per version of the index.

Whoosh filters a date range by expanding it into index terms (a cost that
grows with the archive) and counts facets with a lookup per
match through its column readers. Read whole once (lists, arrays, one byte
a document for outlets and years), the same columns make a date filter and
a facet count one pass over the matches. A searcher that stays open keeps
them (`archive.Reading`).
"""

from __future__ import annotations

import math
import sys
from array import array
from collections import Counter
from collections.abc import Collection
from datetime import date, datetime
from functools import cached_property
from itertools import compress
from operator import itemgetter
from typing import Any

from whoosh.codec.base import PerDocumentReader
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.columns import ColumnReader, MultiColumnReader, NumericColumn, RefBytesColumn, VarBytesColumn
from whoosh.reading import IndexReader, SegmentReader
from whoosh.util.numeric import byte_to_length
from whoosh.util.times import datetime_to_long, long_to_datetime

_LENGTHS = [byte_to_length(n) for n in range(256)]
"""Field lengths as Whoosh decodes its one-byte encoding of them."""

FEW = 20
"""Fewer than one document in FEW asked for, and a column not yet read is looked up one by one."""


def leaves(reader: IndexReader) -> list[tuple[SegmentReader, int]]:
    """The segments of `reader` and the number of each one's first document.

    Whoosh reads an index of no segment (made empty, or never written to)
    with an `EmptyReader` that calls itself a segment but has no columns;
    it has none here."""
    return [(leaf, offset) for leaf, offset in reader.leaf_readers() if isinstance(leaf, SegmentReader)]


def column_reader(reader: IndexReader, name: str, translate: bool = False) -> ColumnReader:
    """A column's reader over every segment of `reader`, for lookups by document number.

    Always this, never `reader.column_reader`: Whoosh 2.7.4's multi-segment
    reader leaves out the segments that hold no value of the column (every
    document of an update without a date, say) and then reads the documents
    after them in the wrong segment: another document's value, or an
    IndexError. Each segment's own reader gives the default for those."""
    segments = leaves(reader)
    columns = [leaf.column_reader(name, translate=translate) for leaf, _ in segments]
    return columns[0] if len(columns) == 1 else MultiColumnReader(columns, [offset for _, offset in segments])


def column_values(reader: IndexReader, name: str) -> list[Any]:
    """A column as a list, one value per document number, read segment by
    segment: 30 times faster than a lookup per document, and right where a
    segment has no value at all (Whoosh's multi-segment reader then yields
    nothing for it)."""
    values: list[Any] = []
    for leaf, _ in leaves(reader):
        values += _whole(leaf.column_reader(name, translate=False), leaf.doc_count_all())
    return values


def column_numbers(reader: IndexReader, name: str) -> array[int]:
    """A numeric column as an array, one number a document: each segment's
    numbers read at once (as `_whole` reads other columns), Whoosh's default
    for the documents after the last that has one."""
    numbers = array(reader.schema[name].column_type._typecode)
    for leaf, _ in leaves(reader):
        column, count = leaf.column_reader(name, translate=False), leaf.doc_count_all()
        if isinstance(column, NumericColumn.Reader):
            numbers += _numbers(column._typecode, column._dbfile.get(column._basepos, column._count * column._fixedlen))
            numbers.extend([column._default] * (count - column._count))
        else:
            numbers.extend(_whole(column, count))
    return numbers


def _whole(column: ColumnReader, count: int) -> list[Any]:
    """Every value of one segment's column, its bytes read at once.

    Whoosh's readers read a value at a time, a cost every new process would
    pay for every document; the layouts our
    schema uses are read here whole (private parts of Whoosh 2.7.4, pinned;
    numbers: `column_numbers`, references: `_references`).
    """
    if isinstance(column, VarBytesColumn.Reader) and len(column._lengths) == count:
        offsets, lengths = column._offsets, column._lengths
        data = column._dbfile.get(column._basepos, offsets[-1] + lengths[-1]) if count else b""
        return [data[offset : offset + length] for offset, length in zip(offsets, lengths, strict=True)]
    return list(column)


def _numbers(typecode: str, data: bytes) -> array[Any]:
    """Numbers Whoosh wrote big-endian, as an array."""
    values = array(typecode, data)
    if sys.byteorder == "little" and values.itemsize > 1:
        values.byteswap()
    return values


def facet_codes(reader: IndexReader, name: str) -> tuple[bytes | array[int], list[bytes]]:
    """A facet's column (outlet, year) as codes: each document's value as a
    number, and the values the numbers stand for.

    Whoosh stores each segment's distinct values once and a document's as a
    one-byte reference while there are at most 256; the references of every
    segment are renumbered into one table, with `bytes.translate` where they
    are bytes, so the codes are bytes and counting them takes no Python step
    per document (`facet_counts`).
    """
    names: dict[bytes, int] = {}
    parts = []
    for leaf, _ in leaves(reader):
        references, values = _references(leaf.column_reader(name, translate=False), leaf.doc_count_all())
        parts.append((references, [names.setdefault(value, len(names)) for value in values]))
    if len(names) <= 256:
        narrow = [refs.translate(bytes(table).ljust(256, b"\0")) for refs, table in parts if isinstance(refs, bytes)]
        if len(narrow) == len(parts):
            return b"".join(narrow), list(names)
    wide = array("I")
    for references, table in parts:
        wide.extend(map(table.__getitem__, references))
    return wide, list(names)


def _references(column: ColumnReader, count: int) -> tuple[bytes | array[int], list[bytes]]:
    """One segment's references (bytes while they fit in one) and the values they refer to."""
    if isinstance(column, RefBytesColumn.Reader):
        data = bytes(column._dbfile.get(column._basepos, count * column._itemsize))
        return (data if column._itemsize == 1 else _numbers(column._typecode, data)), list(column._uniques)
    values = _whole(column, count)  # a segment without the column: Whoosh's default for each document
    index = {value: n for n, value in enumerate(dict.fromkeys(values))}
    references = map(index.__getitem__, values)
    return (bytes(references) if len(index) <= 256 else array("I", references)), list(index)


def facet_counts(codes: bytes | array[int], names: list[bytes], documents: Collection[int]) -> Counter[bytes]:
    """How many of `documents` have each value, from `facet_codes`: the codes
    of the documents are gathered by one `itemgetter` (half the time of a
    `map` of `codes.__getitem__`) and, where they are bytes, each value
    counted by `bytes.count` (a third of the time of a Counter)."""
    picked = itemgetter(*documents)(codes) if len(documents) > 1 else [codes[n] for n in documents]
    if isinstance(codes, bytes):
        gathered = bytes(picked)
        return Counter({names[code]: found for code in range(len(names)) if (found := gathered.count(code))})
    return Counter({names[code]: found for code, found in Counter(picked).items()})


def _year_tables(names: list[bytes], low: float, high: float) -> tuple[bytes, bytes]:
    """Two tables for `bytes.translate` of year codes (the year column's
    `names`): 1 in the first for a year wholly from `low` to `high` (dates as
    Whoosh stores them), 1 in the second for a year partly so, or not a year;
    0 for a year outside them and for none (undated documents)."""
    inside, partly = bytearray(256), bytearray(256)
    for code, name in enumerate(names):
        if not name:
            continue
        try:
            year = int(name)
            first, after = datetime_to_long(datetime(year, 1, 1)), datetime_to_long(datetime(year + 1, 1, 1))
        except ValueError:
            partly[code] = 1
            continue
        if low <= first and after - 1 <= high:
            inside[code] = 1
        elif after > low and first <= high:
            partly[code] = 1
    return bytes(inside), bytes(partly)


def live_documents(reader: IndexReader) -> set[int] | range:
    """The numbers of the documents not deleted."""
    if not reader.has_deletions():
        return range(reader.doc_count_all())
    return set(range(reader.doc_count_all())) - deleted_documents(reader)


def deleted_documents(reader: IndexReader) -> set[int]:
    """The numbers of the deleted documents (Whoosh keeps them until segments merge), from each segment's list."""
    deleting = ((leaf, offset) for leaf, offset in leaves(reader) if leaf.has_deletions())
    return {offset + n for leaf, offset in deleting for n in leaf.segment().deleted_docs()}


def length_norms(k1: float, b: float, average: float) -> list[float]:
    """k1 (1 - b + b len / avglen), BM25's length normalisation, for each of
    the 256 lengths Whoosh can store (a length is one byte)."""
    return [k1 * ((1 - b) + b * length / average) for length in _LENGTHS]


def length_bytes(reader: IndexReader, field: str) -> list[int]:
    """Each document's field length as Whoosh stores it (one byte), across
    segments: the segments' bytes joined, then made a list once (a list, not
    bytes, since scoring indexes it once a match)."""
    return list(b"".join(segment_length_bytes(leaf._perdoc, field) for leaf, _ in leaves(reader)))


def segment_length_bytes(perdoc: PerDocumentReader, field: str) -> bytes:
    """Each document's field length in one segment, as stored (0 for a field without lengths)."""
    column = perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    count = perdoc.doc_count_all()
    if column is None:
        return bytes(count)
    written = bytes(column._dbfile.get(column._basepos, column._count))  # one byte a document
    return written + bytes([column._default] * (count - column._count))


def segment_lengths(perdoc: PerDocumentReader, field: str) -> list[int]:
    """Each document's field length in one segment, decoded as Whoosh decodes it."""
    return list(map(_LENGTHS.__getitem__, segment_length_bytes(perdoc, field)))


class Columns:
    def __init__(self, reader: IndexReader) -> None:
        self.reader = reader
        self._lengths: dict[str, list[int]] = {}
        self._facet_codes: dict[str, tuple[bytes | array[int], list[bytes]]] = {}
        self._ranges = 0

    @cached_property
    def _outlet_codes(self) -> tuple[bytes | array[int], list[bytes]]:
        return facet_codes(self.reader, "outlet_name")

    @cached_property
    def _year_codes(self) -> tuple[bytes | array[int], list[bytes]]:
        return facet_codes(self.reader, "year")

    @cached_property
    def outlets(self) -> list[bytes]:
        """Each document's outlet (b"" for none)."""
        codes, names = self._outlet_codes
        return list(map(names.__getitem__, codes))

    @cached_property
    def _people(self) -> list[bytes]:
        return column_values(self.reader, "people_names")

    def people_of(self, documents: Collection[int]) -> Counter[bytes]:
        """How many of `documents` have each value of people_names (their
        people's names joined; b"" for none). A few are looked up one by one
        while the column is not read, as `dates_of` does."""
        if "_people" in self.__dict__ or len(documents) * FEW >= self.reader.doc_count_all():
            return Counter(map(self._people.__getitem__, documents))
        column = column_reader(self.reader, "people_names")
        return Counter(column[n] for n in documents)

    @cached_property
    def quoted(self) -> list[bytes]:
        """Each document's quotes, as JSON (b"" for none)."""
        return column_values(self.reader, "quoted")

    @cached_property
    def ids(self) -> list[bytes]:
        return column_values(self.reader, "id")

    @cached_property
    def shas(self) -> list[bytes]:
        return column_values(self.reader, "sha")

    @cached_property
    def _date_arrays(self) -> tuple[array[int], array[int]]:
        """The date column as stored (Whoosh's default where undated) and the
        dated flags, as arrays: a date range looks at its matches only, so no
        number is made for the other documents."""
        return column_numbers(self.reader, "date"), column_numbers(self.reader, "dated")

    @cached_property
    def _date_lists(self) -> tuple[list[int], list[int]]:
        """`_date_arrays` as lists, for the date ranges of a searcher kept open (`dated_among`)."""
        dates, dated = self._date_arrays
        return dates.tolist(), dated.tolist()

    @cached_property
    def dates(self) -> list[int | None]:
        """Each document's date as Whoosh stores it (a long), None when undated."""
        dates, dated = self._date_arrays
        return [when if has else None for when, has in zip(dates, dated, strict=True)]

    @cached_property
    def days(self) -> list[date | None]:
        """Each document's day, None when undated."""
        return [long_to_datetime(when).date() if when is not None else None for when in self.dates]

    @cached_property
    def live(self) -> set[int] | range:
        return live_documents(self.reader)

    @cached_property
    def deleted(self) -> set[int]:
        return deleted_documents(self.reader)

    def lengths(self, field: str) -> list[int]:
        """Each document's `field` length as stored (one byte), read once per field."""
        if field not in self._lengths:
            self._lengths[field] = length_bytes(self.reader, field)
        return self._lengths[field]

    def dated_among(self, documents: Collection[int], start: datetime | None, end: datetime | None) -> list[int]:
        """Those of `documents` dated from `start` to `end`, both included
        (either may be open), in no promised order.

        Only the documents asked are looked at (a query's matches), not every
        document of the index, so a rare word's range costs next to nothing.
        Their years are gathered from the year column the facets read (one
        `itemgetter`) and sorted by `bytes.translate` and `compress`, C loops:
        those of a year wholly in the range are kept and those of a year
        outside it left out without a look at their dates; only those of a
        year the range begins or ends in have their dates compared.
        """
        low = datetime_to_long(start) if start else 0
        high = datetime_to_long(end) if end else math.inf
        codes, names = self._year_codes
        if len(documents) < 2 or not isinstance(codes, bytes):
            return self._dated_between(list(documents), low, high)
        inside, partly = _year_tables(names, low, high)
        years = bytes(itemgetter(*documents)(codes))
        kept = list(compress(documents, years.translate(inside)))
        return kept + self._dated_between(list(compress(documents, years.translate(partly))), low, high)

    def _dated_between(self, documents: list[int], low: float, high: float) -> list[int]:
        """Those of `documents` dated from `low` to `high`, by their dates. The
        first range reads from the arrays (a query in a new process asks one);
        later ones, as in a searcher kept open, from lists made once (a lookup
        in a list is cheaper)."""
        if not documents:
            return []
        self._ranges += 1
        dates, dated = self._date_arrays if self._ranges == 1 else self._date_lists
        return [n for n in documents if dated[n] and low <= dates[n] <= high]

    def dates_of(self, documents: Collection[int]) -> dict[int, int | None]:
        """The dates of a few documents (or many) as `dates` gives them: a few
        are looked up one by one while the column is not read, since reading
        it whole costs a query in a new process more than the query itself."""
        if "_date_arrays" in self.__dict__ or len(documents) * FEW >= self.reader.doc_count_all():
            when, dated = self._date_arrays
        else:
            when, dated = column_reader(self.reader, "date"), column_reader(self.reader, "dated")
        return {n: when[n] if dated[n] else None for n in documents}

    def facets(self, documents: Collection[int]) -> tuple[Counter[bytes], Counter[bytes]]:
        """How many of `documents` each outlet and each year has."""
        return facet_counts(*self._outlet_codes, documents), facet_counts(*self._year_codes, documents)

    def facet(self, name: str, documents: Collection[int]) -> Counter[bytes]:
        """How many of `documents` each value of a facet of `search.fields` has."""
        if name not in self._facet_codes:
            self._facet_codes[name] = facet_codes(self.reader, name)
        return facet_counts(*self._facet_codes[name], documents)
