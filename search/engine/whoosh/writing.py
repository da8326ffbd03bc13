"""Whoosh's segment writer, with each field's lengths read once when it
commits, the postings of rare terms kept in the term index, and segments
merged by size, their terms read once each.

At commit Whoosh asks the new segment, for every posting it writes, the
length of the posting's field in its document, to keep each block's
shortest and longest. It looks each one up through a column reader, and
for a field that stores no lengths (ids, keywords, the twins of
`schema.COUNTS`) asks the disk whether the column's file exists, once per
posting: half the postings of a document, and a fifth of the writing time
of a build. Here each field's lengths are read whole, once.

Most terms of a news archive occur in one document or two (story bands,
line keys, ids, rare names), and Whoosh writes each term's postings as a
block of their own, pickled, compressed and framed, unless they are fewer
than its codec's `inlinelimit`; but its writer calls a method that does not
exist when they are (`set_inline` for `set_inlined`), so the limit is 1 and
nothing is inlined. `_Codec` mends the call; its reader, unchanged, reads
inlined postings, and the index stays a plain Whoosh index. A posting with
no value is inlined with an empty one: Whoosh reads a term's inlined
postings without values as "", which its own merge of segments refuses.

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
from typing import Any

from whoosh.codec.base import PerDocumentReader, Segment
from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher, W3PostingsWriter, W3TermInfo
from whoosh.index import Index
from whoosh.matching import Matcher
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

from .columns import segment_lengths


def open_writer(ix: Index, merge: bool = False, **options: Any) -> SegmentWriter:
    """A writer for `ix`, taking the options of `Index.writer`; its commit
    merges segments by `_merge` if `merge`, and only drops empty ones if not."""
    writer = _Writer(ix, codec=_Codec(inlinelimit=INLINE_LIMIT), **options)
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


INLINE_LIMIT = 8
"""A term's postings are kept in the term index when they are fewer than this.

Inlined, they skip the block (a header, its facts and data pickled, the
data compressed) but are stored plainly (Whoosh pickles each id and weight
in full), so a higher limit trades index size for writing time; this one
saves writing time for an index a little larger (docs/performance.md,
"Building")."""


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
    def per_document_reader(self) -> _Lengths:
        return _Lengths(super().per_document_reader())

    def add_postings_to_pool(self, reader: SegmentReader, startdoc: int, docmap: dict[int, int] | None) -> None:
        """The postings of a segment being merged, into the pool of the new one.

        Whoosh's own walks the segment's terms in order, then looks each one
        up again by name in the term index's hash table to read its postings
        a posting at a time: half the time of an `add` that merges. Here each term's postings are read
        from the term information met on the walk, a block at a time. When
        the segment has deletions, `docmap` renumbers its live documents
        (Whoosh's `write_per_doc` made it of them alone), and the postings of
        a document not in it are left out, as Whoosh's reader leaves them."""
        terms, schema, add = reader._terms, self.schema, self.pool.add
        for (field, text), info in terms.items():
            if field not in schema:
                continue
            matcher = terms._codec.postings_reader(terms._postfile, info, schema[field].format, term=(field, text))
            for docnum, weight, value in _postings(matcher):
                if docmap is None:
                    add((field, text, startdoc + docnum, weight, value))
                elif docnum in docmap:
                    add((field, text, docmap[docnum], weight, value))


def _postings(matcher: Matcher) -> Iterator[tuple[int, float, Any]]:
    """(document, weight, value) of each posting of a term's matcher in one
    segment, as its `id`, `weight` and `value` give them; a block at a time
    from a posting file's blocks."""
    if isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            matcher._read_values()
            yield from zip(matcher._ids, matcher._weights, matcher._values, strict=True)
            matcher._next_block()
        return
    while matcher.is_active():  # postings kept in the term index
        yield matcher.id(), matcher.weight(), matcher.value()
        matcher.next()


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


class _Codec(W3Codec):  # type: ignore[misc]
    def postings_writer(self, dbfile: Any, byteids: bool = False) -> W3PostingsWriter:
        return _PostingsWriter(dbfile, self._blocklimit, byteids, self._compression, self._inlinelimit)

    def __reduce__(self) -> tuple[type[W3Codec], tuple[int, int, int]]:
        """Segments pickle their codec into the table of contents: as Whoosh's, so readers need nothing of ours."""
        return W3Codec, (self._blocklimit, self._compression, self._inlinelimit)


class _PostingsWriter(W3PostingsWriter):  # type: ignore[misc]
    def finish_postings(self) -> W3TermInfo:
        if self.written() or len(self) >= self._inlinelimit:
            return super().finish_postings()
        terminfo: W3TermInfo = self._terminfo  # type: ignore[has-type]
        self._terminfo = None
        terminfo.add_block(self)
        terminfo.set_inlined(self._ids, self._weights, self._values or [b""] * len(self._ids))
        return terminfo
