"""Whoosh's segment writer, with postings pooled in arrays and written a
term at a time, and segments merged by size, their terms read once each.

Whoosh's writer turns a text field into Token objects, a posting into a
tuple for a pool it sorts, and writes the postings one call at a time; a
third of a build went to those objects. `_Writer` keeps Whoosh's
per-document files and its segment's layout, and replaces the rest: text
fields are analysed in one pass into each term's positions, postings are
pooled in arrays (`postings.Pool`) and written a term at a time
(`codec.FieldWriter`), each field's lengths read once, not once a posting.

Every commit (an `add`, an `index` that found changes) makes a segment, and
Whoosh's policy for merging them (MERGE_SMALL) merges only while the
smallest five hold fewer than 34 documents, and keeps a segment whose
documents are all deleted: an archive's segments pile up, and each costs
every query a lookup per term and a new process its columns. `_merge` is
a logarithmic policy (Lucene's before its tiered one): segments of the same
order of size are merged once there are MERGE_AT of them, so a document is
rewritten once per tenfold growth, up to MERGE_MAX_DOCS; empty segments are
dropped. A writer's commit only drops the empty segments (`_keep`): merging
is `merge`'s, which `search index` runs after its changes, so that no `add`
waits for the merge of the segments before it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from functools import partial
from typing import Any

from whoosh.codec.base import Segment
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.fields import FieldType
from whoosh.formats import Positions
from whoosh.index import Index
from whoosh.matching import Matcher
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

from .codec import codec
from .columns import segment_lengths
from .postings import Pool
from .schema import NewsAnalyzer


def open_writer(ix: Index, merge: bool = False, **options: Any) -> SegmentWriter:
    """A writer for `ix`, taking the options of `Index.writer`; its commit
    merges segments by `_merge` if `merge`, and only drops empty ones if not."""
    writer = _Writer(ix, codec=codec(), **options)
    writer.mergetype = _merge if merge else _keep
    return writer


def merge(ix: Index) -> int:
    """Merge the segments of `ix` that `_merge` would, and drop the empty
    ones; how many segments were merged. Killed midway, it leaves `ix` as it
    was: Whoosh's commit writes the new segment first, and the table of
    contents that names it last."""
    segments = ix._segments()
    kept, merged = _plan(segments)
    if len(kept) == len(segments):
        return 0  # nothing to merge or drop: no commit, no new generation for readers to open
    with open_writer(ix, merge=True):
        pass  # commits on leaving, merging by `_merge`; cancelled if it raises
    return len(merged)


MERGE_AT = 10
"""Segments of one order of size (documents alive: 1-9, 10-99, 100-999) merged into one when this many."""

MERGE_MAX_DOCS = 1_000
"""Segments of this many live documents or more are never merged by a commit.

Merging goes through Whoosh's writer, no faster than indexing, and a
rebuild leaves segments of up to `build.PART_DOCS` documents: at 1,000,000
documents twenty of 50,000, all of one order, so the first `add` after it
set about merging the whole archive. Below the cap, a merge rewrites fewer
than 10,000 documents (an `add` of 100 documents that follows ten others
merges their 1,000, several times the cost of each of the ten); above it, segments (a rebuild's parts, batches of
1,000 documents or more, what merges made) stay as they are until a rebuild
writes the archive anew, as Lucene's merge policies leave segments above
their maximum size."""


def _merge(writer: SegmentWriter, segments: list[Segment]) -> list[Segment]:
    """The segments `writer` keeps as they are: the others are merged into its new one, or dropped when empty."""
    kept, merged = _plan(segments)
    for segment in merged:
        with SegmentReader(writer.storage, writer.schema, segment) as reader:
            writer.add_reader(reader)
    return kept


def _keep(writer: SegmentWriter, segments: list[Segment]) -> list[Segment]:
    """Every segment but the empty ones (a commit that merges nothing)."""
    return [segment for segment in segments if segment.doc_count()]


def _plan(segments: list[Segment]) -> tuple[list[Segment], list[Segment]]:
    """The segments kept as they are, and those to merge (the empty ones are in neither)."""
    orders: defaultdict[int, list[Segment]] = defaultdict(list)
    kept: list[Segment] = []
    merged: list[Segment] = []
    for segment in segments:
        if segment.doc_count() >= MERGE_MAX_DOCS:
            kept.append(segment)
        elif segment.doc_count():
            orders[len(str(segment.doc_count()))].append(segment)
    for order in orders.values():
        (kept if len(order) < MERGE_AT else merged).extend(order)
    return kept, merged


class _Writer(SegmentWriter):  # type: ignore[misc]
    """Whoosh's segment writer with its pool of postings replaced (`postings.Pool`) and the text fields analysed
    by `NewsAnalyzer.positions`."""

    def __init__(self, ix: Index, **options: Any) -> None:
        super().__init__(ix, **options)
        self.pool = Pool()

    def add_document(self, **fields: Any) -> None:
        """Whoosh's `add_document` for the fields a schema of ours has (no boosts, vectors or spelling fields)."""
        self._check_state()
        names = sorted(fields)
        self._check_fields(self.schema, names)
        docnum, perdoc = self.docnum, self.perdocwriter
        perdoc.start_doc(docnum)
        for name in names:
            value, field = fields[name], self.schema[name]
            length = 0
            if field.indexed:
                postings = _index(field, value)
                length = sum(frequency for _, frequency, _, _ in postings) if field.scorable else 0
                self.pool.add(name, ((term, docnum, weight, data) for term, _, weight, data in postings))
            perdoc.add_field(name, field, value if field.stored else None, length)
            if field.column_type:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        """The postings written from the pool, each field's lengths read once for the blocks' statistics."""
        self.perdocwriter.close()
        perdoc = self.per_document_reader()
        try:
            self.pool.write(self.fieldwriter, self.schema, partial(segment_lengths, perdoc))
        finally:
            perdoc.close()
        self.fieldwriter.close()

    def add_postings_to_pool(self, reader: SegmentReader, startdoc: int, docmap: dict[int, int] | None) -> None:
        """The postings of a segment being merged, into the pool of the new one.

        Whoosh's own walks the segment's terms in order, then looks each one
        up again by name in the term index's hash table to read its postings
        a posting at a time: half the time of an `add` that merges. Here each term's postings are read
        from the term information met on the walk, a block at a time. When
        the segment has deletions, `docmap` renumbers its live documents
        (Whoosh's `write_per_doc` made it of them alone), and the postings of
        a document not in it are left out, as Whoosh's reader leaves them."""
        terms, schema = reader._terms, self.schema
        for (field, text), info in terms.items():
            if field not in schema:
                continue
            matcher = terms._codec.postings_reader(terms._postfile, info, schema[field].format, term=(field, text))
            postings = _postings(matcher)
            if docmap is None:
                self.pool.add(field, ((text, startdoc + doc, weight, value) for doc, weight, value in postings))
            else:
                self.pool.add(
                    field, ((text, docmap[doc], weight, value) for doc, weight, value in postings if doc in docmap)
                )


def _index(field: FieldType, value: Any) -> list[tuple[bytes, int, float, bytes]]:
    """(term, frequency, weight, encoded value) of each term of a field's
    value, as Whoosh's `field.index` gives them; a text field with positions
    from `NewsAnalyzer.positions`, without Whoosh's Token a word."""
    if not isinstance(field.analyzer, NewsAnalyzer) or not isinstance(field.format, Positions):
        return list(field.index(value))
    encode, boost = field.format.encode, field.format.field_boost
    return [
        (term.encode(), len(at), len(at) * boost, encode(at)) for term, at in field.analyzer.positions(value).items()
    ]


def _postings(matcher: Matcher) -> Iterator[tuple[int, float, bytes]]:
    """(document, weight, value) of each posting of a term's matcher in one
    segment, as its `id`, `weight` and `value` give them (b"" for no value,
    which a block of a format without values gives as None); a block at a
    time from a posting file's blocks."""
    if isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            matcher._read_values()
            yield from zip(matcher._ids, matcher._weights, (value or b"" for value in matcher._values), strict=True)
            matcher._next_block()
        return
    while matcher.is_active():  # postings kept in the term index
        yield matcher.id(), matcher.weight(), matcher.value() or b""
        matcher.next()
