"""Columns read whole give what Whoosh's own readers give, document by document.

On an index of several segments with deleted documents and undated
documents of no outlet, for every access path: date ranges over the
documents asked, few dates looked up one by one and many read whole.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, Schema
from whoosh.index import create_in
from whoosh.reading import IndexReader
from whoosh.util.numeric import byte_to_length
from whoosh.util.times import datetime_to_long

from search import Archive
from search.engine.whoosh import columns as columns_module
from search.engine.whoosh import reader as reader_module
from search.engine.whoosh.columns import Columns, column_numbers, facet_codes, facet_counts, live_documents
from search.engine.whoosh.schema import FACET
from search.ingest.pipeline import finish, never_repeated, prepare
from search.ingest.sources import scan

from .conftest import whoosh_index

RANGES = [
    (datetime(2005, 1, 1), datetime(2009, 12, 31, 23, 59)),
    (None, datetime(2003, 6, 30)),
    (datetime(2020, 1, 1), None),
    (None, None),
    (datetime(2030, 1, 1), None),
    (datetime(2011, 3, 5), datetime(2011, 9, 30)),
    (datetime(2010, 1, 1), datetime(2014, 12, 31, 23, 59, 59, 999999)),
]


def _whooshs(reader: IndexReader, name: str) -> list[object]:
    column = reader.column_reader(name, translate=False)
    return [column[n] for n in range(reader.doc_count_all())]


def _dated(reader: IndexReader, start: datetime | None, end: datetime | None) -> set[int]:
    low, high = datetime_to_long(start) if start else 0, datetime_to_long(end) if end else 2**64
    dated = zip(_whooshs(reader, "date"), _whooshs(reader, "dated"), strict=True)
    return {n for n, (when, has) in enumerate(dated) if has and low <= int(when) <= high}  # type: ignore[call-overload]


def _undated(reader: IndexReader) -> set[int]:
    return {n for n, has in enumerate(_whooshs(reader, "dated")) if not has}


def test_the_index_has_what_these_tests_need(segmented: Archive) -> None:
    with whoosh_index(segmented).searcher() as searcher:
        reader = searcher.reader()
        assert len(list(reader.leaf_readers())) > 1 and reader.has_deletions()
        assert len(_undated(reader)) == 2 and b"" in _whooshs(reader, "outlet_name")


def test_whole_columns_are_whooshs(segmented: Archive) -> None:
    with whoosh_index(segmented).searcher() as searcher:
        reader, columns = searcher.reader(), Columns(searcher.reader())
        assert columns.outlets == _whooshs(reader, "outlet_name")
        codes, names = facet_codes(reader, "year")
        assert isinstance(codes, bytes) and [names[code] for code in codes] == _whooshs(reader, "year")
        assert columns.ids == _whooshs(reader, "id")
        undated = _undated(reader)
        assert columns.dates == [None if n in undated else when for n, when in enumerate(_whooshs(reader, "date"))]
        for field in ("title", "body", "outlet_key"):  # the last has no lengths: 0 each
            # (Whoosh gives None for a stored length of 0.)
            whooshs = [reader.doc_field_length(n, field) or 0 for n in range(reader.doc_count_all())]
            assert [byte_to_length(length) for length in columns.lengths(field)] == whooshs, field


def test_facets_count_the_documents_given(segmented: Archive) -> None:
    with whoosh_index(segmented).searcher() as searcher:
        reader = searcher.reader()
        some = set(sorted(live_documents(reader))[::7]) | _undated(reader)
        outlets, years = Columns(reader).facets(some)
        assert outlets == Counter(_whooshs(reader, "outlet_name")[n] for n in some)
        assert years == Counter(_whooshs(reader, "year")[n] for n in some)
        assert outlets[b""] >= 2 and years[b""] >= 2


@pytest.mark.parametrize("distinct", [3, 300])
def test_facets_of_few_and_many_values_across_segments(tmp_path: Path, distinct: int) -> None:
    """Over 256 values, Whoosh's references take two bytes and the codes a
    wider array; a segment where no document has the field has no column."""
    schema = Schema(name=ID(stored=True), tag=ID(sortable=FACET), size=COLUMN(NumericColumn("q")))
    ix = create_in(str(tmp_path), schema)
    tags = [f"tag {n % distinct}" for n in range(600)]
    for part in (tags[:400], tags[400:], None):
        with ix.writer() as writer:
            for n, tag in enumerate(part or ["untagged"] * 5):
                writer.add_document(name=str(n), **({"tag": tag, "size": 2**40 + n} if part else {}))
    with ix.reader() as reader:
        assert len(list(reader.leaf_readers())) == 3
        sizes = [2**40 + n for n in range(400)] + [2**40 + n for n in range(200)] + [0] * 5
        assert column_numbers(reader, "size").tolist() == sizes  # the numbers' default, 0, without a column
        values = [tag.encode() for tag in tags] + [b""] * 5
        codes, names = facet_codes(reader, "tag")
        assert isinstance(codes, bytes) == (distinct <= 256)
        assert [names[code] for code in codes] == values
        some = list(range(0, 605, 3))
        assert facet_counts(codes, names, some) == Counter(values[n] for n in some)
        assert facet_counts(codes, names, [1]) == Counter([values[1]])  # one: itemgetter gives no tuple
        assert facet_counts(codes, names, []) == Counter()


@pytest.mark.parametrize(("start", "end"), RANGES)
def test_date_ranges_keep_the_dated_documents_asked(
    segmented: Archive, start: datetime | None, end: datetime | None
) -> None:
    with whoosh_index(segmented).searcher() as searcher:
        reader, columns = searcher.reader(), Columns(searcher.reader())
        every = list(range(reader.doc_count_all()))
        asked = every[::-3] + sorted(_undated(reader))  # backwards, the undated included
        expected = _dated(reader, start, end)
        assert sorted(columns.dated_among(every, start, end)) == sorted(expected)
        assert sorted(columns.dated_among(dict.fromkeys(asked), start, end)) == sorted(set(asked) & expected)
        for one in (asked[:1], [min(expected, default=0)]):
            assert columns.dated_among(one, start, end) == [n for n in one if n in expected]


def test_a_range_of_whole_years_reads_no_dates(segmented: Archive) -> None:
    """The years the facets read decide: a query in a new process need not read the date column."""
    with whoosh_index(segmented).searcher() as searcher:
        columns = Columns(searcher.reader())
        assert columns.dated_among(range(searcher.doc_count_all()), datetime(2010, 1, 1), None)
        assert "_date_arrays" not in columns.__dict__
        assert columns.dated_among(range(searcher.doc_count_all()), datetime(2010, 1, 2), None)
        assert "_date_arrays" in columns.__dict__


def test_dates_of_few_and_many(segmented: Archive) -> None:
    with whoosh_index(segmented).searcher() as searcher:
        reader = searcher.reader()
        every = list(range(reader.doc_count_all()))
        few = every[:3] + sorted(_undated(reader))
        expected = Columns(reader).dates
        assert Columns(reader).dates_of(few) == {n: expected[n] for n in few}
        assert Columns(reader).dates_of(every) == dict(enumerate(expected))


def test_the_documents_cleaned_again_read_each_column_once(archive: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    """`holds` is asked of every document an update cleans again: making a column's reader decodes where each
    document's value lies, a loop over the whole archive, so a reader makes each one once."""
    made: list[str] = []
    make = columns_module.column_reader

    def counted(reader: IndexReader, name: str, translate: bool = False) -> Any:
        made.append(name)
        return make(reader, name, translate)

    monkeypatch.setattr(reader_module, "column_reader", counted)
    rules = archive.rules
    reader = archive.store.open()
    try:
        for source in scan(archive.raw_dir)[0]:
            assert reader.holds(finish(prepare(source, rules), rules, never_repeated))
    finally:
        reader.close()
    assert sorted(made) == ["date", "dated", "sha", "stamp"]
