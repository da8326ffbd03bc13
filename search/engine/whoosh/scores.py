"""Every document a query matches, with its score.

Counts and facets need every match, so every match is scored, and Whoosh
scores one match at a time through a tree of matcher objects, slow for a
common word (docs/performance.md). Queries of
words (terms joined by AND, OR, NOT, ANDNOT and ANDMAYBE, with boosts: what
most searches are) are scored here a term at a time instead, with
each document's length normalisation looked up from its stored length byte
(256 norms a field, computed once a query), from the documents and
frequencies the segments' positions files keep in arrays (`positions`), or
from the posting blocks for a field without positions (and in a segment
without a positions file: one of Whoosh's writer). The scores are Whoosh's
BM25F ones, the same expression summed in another order (they agree to
1e-9). Phrases are scored as Whoosh scores them, the sum of their words'
scores, for the documents where the positions files show the words in
order (`positions.phrase_documents`). Anything else
(wildcards, fuzzy words, ranges) is scored by Whoosh.

The block reading uses private parts of Whoosh 2.7.4's codec; the version
is pinned (it is the last release).
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib
from bisect import bisect_left
from collections.abc import Collection, Container, Iterable, Iterator, Sequence
from itertools import accumulate, compress
from typing import Any, cast

from whoosh import collectors, scoring
from whoosh import query as Q
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.reading import IndexReader, TermNotFound
from whoosh.searching import Searcher

from ...deadline import NO_DEADLINE, Deadline
from .columns import Columns, leaves, length_norms
from .positions import counted, phrase_documents

Scores = dict[int, float]
"""Document number to score."""

Block = tuple[Sequence[int], Sequence[float], Sequence[Any]]
"""A block of a term's postings: document numbers, term frequencies, values (positions, in a field that has them)."""

NOT_SCORE = 1.0
"""What a NOT clause adds to each match's score, as Whoosh's inverse matcher does."""


def scores(
    searcher: Searcher, query: Q.Query, weighting: scoring.BM25F, columns: Columns, deadline: Deadline = NO_DEADLINE
) -> Scores:
    """Each document `query` matches that is not deleted, with its score.
    (Date and outlet filters apply to these matches: searcher.allowed.)"""
    found = _Words(searcher, weighting, columns, deadline).scores(query)
    if found is None:
        return _whoosh_scores(searcher, query, weighting, deadline)
    for docnum in columns.deleted & found.keys():
        del found[docnum]
    return found


def _whoosh_scores(
    searcher: Searcher, query: Q.Query, weighting: scoring.BM25F, deadline: Deadline = NO_DEADLINE
) -> Scores:
    every = collectors.UnlimitedCollector()
    left = deadline.left()
    # A timer thread, not SIGALRM: a query may run in any thread.
    timed = every if left is None else collectors.TimeLimitCollector(every, left, use_alarm=False)
    try:
        searcher.search_with_collector(query, timed, context=searcher.context(weighting=weighting))
    except collectors.TimeLimit:
        deadline.expired("matching and scoring with Whoosh")
    return {docnum: score for score, docnum in every.items}


class _Words:
    """Scores queries of words from their postings; None for any other query."""

    def __init__(
        self, searcher: Searcher, weighting: scoring.BM25F, columns: Columns, deadline: Deadline = NO_DEADLINE
    ) -> None:
        self.searcher = searcher
        self.weighting = weighting
        self.columns = columns
        self.deadline = deadline
        self._counted: dict[tuple[str, bytes], list[Block]] = {}
        """Each word's documents and frequencies read so far: an AND reads its rarest twice."""

    def scores(self, query: Q.Query) -> Scores | None:
        self.deadline.check("scoring")
        kind = type(query)
        if query is Q.NullQuery:
            return {}
        if kind is Q.Term:
            return self._term(query)
        if kind is Q.Not:
            return self._not(query.query)
        if kind in (Q.Or, Q.And) and not getattr(query, "scale", None):
            return self._compound(query)
        if kind in (Q.AndNot, Q.AndMaybe):
            return self._binary(query)
        if kind is Q.Phrase and self._has_positions(query.fieldname):
            return self._phrase(query)
        return None

    def _compound(self, query: Q.CompoundQuery) -> Scores | None:
        """AND and OR: scores summed; the boost applies to the sum (as in Whoosh, not to a lone clause)."""
        if len(query.subqueries) < 2:
            return self.scores(query.subqueries[0]) if query.subqueries else {}
        if type(query) is Q.And:
            return self._and(query)
        parts = [part for part in map(self.scores, query.subqueries) if part is not None]
        if len(parts) < len(query.subqueries):
            return None
        return _boosted(_union(parts) if type(query) is Q.Or else _intersection(parts), query.boost)

    def _and(self, query: Q.And) -> Scores | None:
        """AND: each clause scored only among the documents matched so far
        (`_among`), from the clause of the fewest documents on, so that the
        blocks of a common word holding none of them are not even decoded.
        The first clause, where it is words, is scored last, for the
        documents every clause matches (`_documents`)."""
        first, *others = sorted(query.subqueries, key=self._size)
        matched = self._documents(first)
        documents = matched
        parts: list[Scores] = []
        for clause in others:
            part = None if documents is None else self._among(clause, documents)
            if part is None:
                return None
            parts.append(part)
            documents = part.keys()
        head = matched if isinstance(matched, dict) else self._among(first, cast(Collection[int], documents))
        return None if head is None else _boosted(_intersection([head, *parts]), query.boost)

    def _documents(self, query: Q.Query) -> Collection[int] | None:
        """The documents a clause matches: unscored where it is words (their
        postings' documents), else its scores."""
        if type(query) is Q.Term:
            blocks = self._postings_of(query)
            return None if blocks is None else set().union(*(documents for documents, _, _ in blocks))
        if type(query) is Q.Or and not getattr(query, "scale", None):
            parts = [self._documents(clause) for clause in query.subqueries]
            return None if any(part is None for part in parts) else set().union(*cast(list[Collection[int]], parts))
        return self.scores(query)

    def _among(self, query: Q.Query, among: Collection[int]) -> Scores | None:
        """The scores of `query` for the documents of `among` it matches."""
        if type(query) is Q.Term:
            return self._term(query, among)
        if type(query) is Q.Or and not getattr(query, "scale", None):
            parts = [self._among(clause, among) for clause in query.subqueries]
            if any(part is None for part in parts):
                return None
            return _boosted(_union(cast(list[Scores], parts)) if parts else {}, query.boost)
        found = self.scores(query)
        return None if found is None else {docnum: found[docnum] for docnum in found.keys() & among}

    def _size(self, query: Q.Query) -> float:
        """How many documents a clause may match, to score the smallest first (any other clause: last)."""
        if type(query) is Q.Term:
            text = self._text(query)
            return 0 if text is None else float(self.searcher.reader().doc_frequency(query.fieldname, text))
        if type(query) is Q.Or:
            return sum(map(self._size, query.subqueries))
        if type(query) is Q.And:
            return min(map(self._size, query.subqueries), default=0)
        return float("inf")

    def _binary(self, query: Q.BinaryQuery) -> Scores | None:
        """ANDNOT: the first's matches not in the second; ANDMAYBE: the first's,
        plus the second's score where both match. (Whoosh ignores their boost.)"""
        first, second = self.scores(query.a), self.scores(query.b)
        if first is None or second is None:
            return None
        if type(query) is Q.AndNot:
            return {docnum: score for docnum, score in first.items() if docnum not in second}
        return {docnum: score + second[docnum] if docnum in second else score for docnum, score in first.items()}

    def _phrase(self, query: Q.Phrase) -> Scores | None:
        """Whoosh's phrase (an ordered SpanNear2): the documents where each word
        follows the last within `slop` positions, scored as the AND of its
        words. The documents come from the segments' positions files
        (`positions.phrase_documents`), and only they are scored."""
        terms = [self._text(Q.Term(query.fieldname, word)) for word in query.words]
        if any(term is None for term in terms):
            return {}
        found = phrase_documents(self.searcher.reader(), query.fieldname, cast(list[bytes], terms), query.slop)
        if found is None:
            return self._phrase_from_blocks(query)
        found -= self.columns.deleted  # kept until their segment merges: not scored
        parts = [self._term(Q.Term(query.fieldname, word), found) for word in query.words]
        if any(part is None for part in parts):
            return None
        return _boosted(_intersection(cast(list[Scores], parts)), query.boost)

    def _phrase_from_blocks(self, query: Q.Phrase) -> Scores | None:
        """A phrase matched from the posting blocks, where a segment has no
        positions file (one of Whoosh's writer) or the slop is wider than
        they allow: each word's blocks are read once; positions are decoded
        only for the documents holding every word."""
        scored = [self._scored(Q.Term(query.fieldname, word), positions=True) for word in query.words]
        if not scored or any(word is None for word in scored):
            return None
        words = cast(list[tuple[Scores, list[Block]]], scored)
        found = _intersection([scores for scores, _ in words])
        positions = [_positions(blocks, found) for _, blocks in words]
        boost = query.boost
        return {
            docnum: score * boost
            for docnum, score in found.items()
            if _in_order([at[docnum] for at in positions], query.slop)
        }

    def _text(self, query: Q.Term) -> bytes | None:
        """The term's bytes in the index; None for a field the schema lacks or a value it cannot take."""
        try:
            text: bytes = self.searcher.schema[query.fieldname].to_bytes(query.text)
        except (KeyError, ValueError):
            return None
        return text

    def _has_positions(self, field: str) -> bool:
        schema = self.searcher.schema
        return field in schema and bool(schema[field].format.supports("positions"))

    def _not(self, query: Q.Query) -> Scores | None:
        excluded = self.scores(query)
        if excluded is None:
            return None
        live = self.columns.live
        return {docnum: NOT_SCORE for docnum in live if docnum not in excluded}

    def _term(self, query: Q.Term, among: Collection[int] | None = None) -> Scores | None:
        scored = self._scored(query, among=among)
        return None if scored is None else scored[0]

    def _scored(
        self, query: Q.Term, positions: bool = False, among: Collection[int] | None = None
    ) -> tuple[Scores, list[Block]] | None:
        """BM25F of one term (for the documents of `among` only, if given), and
        the postings it was read from (`_postings_of`):
        the searcher gives the idf and average length (as to Whoosh's BM25F
        scorer), the loop Whoosh's formula,
        idf * tf (k1 + 1) / (tf + k1 (1 - b + b len / avglen))."""
        blocks = self._postings_of(query, positions, among)
        if not blocks:
            return None if blocks is None else ({}, [])
        # What Whoosh's BM25F scorer takes from the searcher (its setup also reads the term's information
        # in every segment again, for bounds these scores do not use); the searcher keeps the idf.
        field, text, parent = query.fieldname, self._text(query), self.searcher.get_parent()
        idf, avgfl = parent.idf(field, text), parent.avg_field_length(field) or 1
        k1, boost = self.weighting.K1, query.boost
        k1_plus_1 = k1 + 1
        norms, lengths = length_norms(k1, self.weighting.B, avgfl), self.columns.lengths(field)
        pairs: Iterator[Iterable[tuple[int, float]]] = (zip(n, tf, strict=True) for n, tf, _ in blocks)
        if among is not None:
            pairs = (_picked(n, tf, among) for n, tf, _ in blocks)
        found = {n: idf * ((tf * k1_plus_1) / (tf + norms[lengths[n]])) * boost for block in pairs for n, tf in block}
        return found, blocks

    def _postings_of(
        self, query: Q.Term, positions: bool = False, among: Collection[int] | None = None
    ) -> list[Block] | None:
        """A term's postings (none for a word the index lacks; None for a
        field these scores do not score): its documents and frequencies
        from the positions files where they are kept, unless the `positions`
        are wanted, else its posting blocks (only those that may hold a
        document of `among`)."""
        searcher, field = self.searcher, query.fieldname
        if field not in searcher.schema or not searcher.schema[field].scorable:
            return None
        text = self._text(query)
        if text is None or (field, text) not in searcher.reader():
            return []
        if not positions and self._has_positions(field):
            if (field, text) in self._counted:
                return self._counted[field, text]
            arrays = counted(searcher.reader(), field, text)
            if arrays is not None:
                read: list[Block] = [(documents, frequencies, ()) for documents, frequencies in arrays]
                self._counted[field, text] = read
                return read
        wanted = None if among is None else sorted(among)
        return list(_postings(searcher.reader(), field, text, wanted))


def _postings(reader: IndexReader, field: str, text: bytes, wanted: Sequence[int] | None = None) -> Iterator[Block]:
    """Each posting block of a term, across segments; with `wanted` (sorted),
    only the blocks that may hold one of those documents. Deleted documents
    are among them (`scores` leaves them out).

    Read from each segment's term information: Whoosh's `postings` would
    look the term up again, make a matcher that decodes its first block in
    Python, and a set of the segment's deleted documents, for every term of
    every segment a query reads."""
    for leaf, offset in leaves(reader):
        terms = leaf._terms
        try:
            info = terms.term_info(field, text)
        except TermNotFound:
            continue
        if info.is_inlined():  # postings kept in the term index
            ids, weights, values = info.inlined_postings()
            yield list(map(offset.__add__, ids)), weights, values
        else:
            start, length = info.extent()
            raw = terms._postfile.get(start, length[0] if isinstance(length, tuple) else length)  # a 1-tuple, read
            yield from _blocks(raw, offset, wanted)


_BLOCK_LENGTH = struct.Struct("!i")
_POSITION_COUNT = struct.Struct("!I")
"""What a positions value starts with, before the pickled list of position deltas."""


def _blocks(raw: bytes, offset: int, wanted: Sequence[int] | None) -> Iterator[Block]:
    """The blocks of a term's postings in a segment, decoded from one read of their bytes.

    Whoosh reads a block's header through a dozen small file reads and
    decodes its document numbers in a Python generator: half the time of
    a one-word query. A block is its length (negative for the last), a
    pickled tuple of facts (count, last document, compressed or not, ...),
    and a pickled, maybe compressed, tuple of delta-coded document numbers,
    frequencies (None when all are 1, one float when all are equal) and
    values (positions, in a field that has them). The facts tell which
    `wanted` documents a block may hold before its data is read.
    """
    view, stream = memoryview(raw), io.BytesIO(raw)
    position, last, after = len(WHOOSH3_HEADER_MAGIC), False, offset
    while not last:
        (length,) = _BLOCK_LENGTH.unpack_from(raw, position)
        last, end = length < 0, position + _BLOCK_LENGTH.size + abs(length)
        stream.seek(position + _BLOCK_LENGTH.size)
        count, last_docnum, _, compressed, _, _ = pickle.load(stream)
        first, after = after, offset + last_docnum + 1
        if wanted is None or bisect_left(wanted, first) < bisect_left(wanted, after):
            data = view[stream.tell() : end]
            deltas, weights, values = pickle.loads(zlib.decompress(data) if compressed else data)
            docnums = list(accumulate(deltas, initial=offset))
            del docnums[0]
            frequencies = weights if isinstance(weights, tuple) else [1.0 if weights is None else weights] * count
            yield docnums, frequencies, values
        position = end


def _picked(
    documents: Sequence[int], frequencies: Sequence[float], among: Collection[int]
) -> Iterable[tuple[int, float]]:
    """The postings of the documents of `among`: picked out in C (`compress`)
    or, when they are few beside the postings, each looked up (`bisect`)."""
    if len(among) * _LOOKUP_RATIO >= len(documents):
        return compress(zip(documents, frequencies, strict=True), map(among.__contains__, documents))
    found = []
    for docnum in sorted(among):
        at = bisect_left(documents, docnum)
        if at < len(documents) and documents[at] == docnum:
            found.append((docnum, frequencies[at]))
    return found


_LOOKUP_RATIO = 8
"""Postings a document of `among` must be outnumbered by for it to be looked up: a
lookup (a binary search in Python) costs about as much as testing eight postings in C."""


def _positions(blocks: list[Block], wanted: Container[int]) -> dict[int, list[int]]:
    """The positions of a term in each of the `wanted` documents its blocks
    hold. A value is the count and the pickled deltas of the positions."""
    skip = _POSITION_COUNT.size
    return {
        docnum: list(accumulate(pickle.loads(value[skip:])))
        for docnums, _, values in blocks
        for docnum, value in zip(docnums, values, strict=True)
        if docnum in wanted
    }


def _in_order(positions: list[list[int]], slop: int) -> bool:
    """Whether a position of each word follows one of the last's, 1 to `slop` positions after it."""
    steps, ends = range(1, slop + 1), set(positions[0])
    for following in positions[1:]:
        ends = {at for at in following for step in steps if at - step in ends}
        if not ends:
            return False
    return True


def _boosted(found: Scores, boost: float) -> Scores:
    return found if boost == 1.0 else {docnum: score * boost for docnum, score in found.items()}


def _union(parts: list[Scores]) -> Scores:
    """Documents matching any part, their scores summed (the smaller parts
    into the largest: a word's title matches into its body matches)."""
    parts = sorted(parts, key=len, reverse=True)
    found = dict(parts[0])
    get = found.get
    for part in parts[1:]:
        for docnum, score in part.items():
            found[docnum] = get(docnum, 0.0) + score
    return found


def _intersection(parts: list[Scores]) -> Scores:
    """Documents matching every part, their scores summed (in C: a phrase's
    parts hold thousands of documents)."""
    smallest: Scores = min(parts, key=len)
    common = list(set(smallest).intersection(*parts))
    totals = map(sum, zip(*(map(part.__getitem__, common) for part in parts), strict=True))
    return dict(zip(common, totals, strict=True))
