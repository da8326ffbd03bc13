"""The postings of a segment being written, in flat arrays until it is.

Whoosh's writer pools every posting as a tuple (field, term, document,
weight, value), sorts them all, spilling sorted runs to disk past a memory
limit, and reads them back merged: a fifth of a build, and most of a
writer's memory, for a tuple and five objects a posting. Here a posting is
four numbers in arrays and its value a slice of one byte string; the
postings of a term are chained, each to the term's one before, so that
nothing is sorted but the distinct terms, when the segment is written.

A posting takes 20 bytes and its value (a term's positions in a document,
about 10), a distinct term some 150: a part of a build, 50,000 news
articles of 110 postings each, pools in about 300 MB.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable

from whoosh.fields import Schema

from .codec import FieldWriter

_NONE = 0xFFFFFFFF
"""The chain's end: the term's first posting has no posting before it."""


class Pool:
    """Postings added in document order (documents numbered as they are added), written a term at a time."""

    def __init__(self) -> None:
        self._terms: defaultdict[str, dict[bytes, int]] = defaultdict(dict)
        self._last = array("I")  # by term number: the term's latest posting
        self._before = array("I")  # by posting: the term's posting before it
        self._docs = array("I")
        self._weights = array("f")
        self._starts = array("Q", [0])  # by posting: where its value starts in _values (and the next one's)
        self._values = bytearray()

    def add(self, field: str, postings: Iterable[tuple[bytes, int, float, bytes]]) -> None:
        """Postings of `field` as (term, document, weight, value), each term's in document order."""
        terms, last, before, docs, weights = self._terms[field], self._last, self._before, self._docs, self._weights
        values, starts = self._values, self._starts
        for term, docnum, weight, value in postings:
            number = terms.get(term)
            if number is None:
                number = terms[term] = len(last)
                last.append(_NONE)
            before.append(last[number])
            last[number] = len(docs)
            docs.append(docnum)
            weights.append(weight)
            values += value
            starts.append(len(values))

    def write(self, writer: FieldWriter, schema: Schema, lengths: Callable[[str], list[int]]) -> None:
        """Every term's postings, fields and terms in order, to `writer`;
        `lengths(field)` is each document's length of the field."""
        view, starts = memoryview(self._values), self._starts
        for field in sorted(self._terms):
            writer.start_field(field, schema[field])
            field_lengths = lengths(field)
            terms = self._terms[field]
            for term in sorted(terms):
                chain = self._chain(terms[term])
                ids = [self._docs[at] for at in chain]
                values = [view[starts[at] : starts[at + 1]].tobytes() for at in chain]
                weights = [self._weights[at] for at in chain]
                writer.add_term(term, ids, weights, values, [field_lengths[n] for n in ids])
            writer.finish_field()

    def _chain(self, number: int) -> list[int]:
        """A term's postings, first to last."""
        chain = []
        at, before = self._last[number], self._before
        while at != _NONE:
            chain.append(at)
            at = before[at]
        chain.reverse()
        return chain

    def cleanup(self) -> None:
        """Whoosh's writer calls this when it closes a segment: nothing is on disk."""
