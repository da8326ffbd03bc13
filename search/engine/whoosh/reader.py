"""One opened Whoosh index as the engine's `Reader`: requests in, records
and ids out; document numbers stay here."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from functools import cached_property
from typing import TYPE_CHECKING, Any

from whoosh import query as Q
from whoosh.columns import ColumnReader
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from ...model import Article, FoundQuote, Hit, Member, Quote, SearchResults, Snippet, Statistics, StoredDocument
from ...query.request import SearchRequest
from ...text.analysis import Analysis
from ...text.names import Aliases
from .. import Known, Published, Sample
from . import searching
from .columns import Columns, column_reader, column_values, deleted_documents, live_documents
from .parsing import explain
from .schema import column_text, to_fields

if TYPE_CHECKING:
    from whoosh.index import Index


class WhooshReader:
    """A searcher kept open on one index, with its columns."""

    def __init__(self, ix: Index) -> None:
        self.searcher: Searcher = searching.open_searcher(ix)
        self.columns = Columns(self.searcher.reader())
        self._docnums: dict[str, int] | None = None
        self._columns: dict[tuple[str, bool], ColumnReader] = {}

    def up_to_date(self) -> bool:
        return bool(self.searcher.up_to_date())

    def close(self) -> None:
        self.searcher.close()

    def __enter__(self) -> WhooshReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Searching

    def search(
        self,
        request: SearchRequest,
        aliases: Aliases | None,
        *,
        ranked: int | None = None,
        snippets: bool = True,
        only: Collection[str] | None = None,
    ) -> tuple[SearchResults, Iterator[Hit]]:
        numbers = None if only is None else set(self._numbers(only))
        return searching.search(self.searcher, request, aliases, self.columns, ranked, snippets, numbers)

    def quotes(self, request: SearchRequest, aliases: Aliases | None) -> list[FoundQuote]:
        from .quoting import found_quotes

        return found_quotes(self.searcher, request, aliases, self.columns)

    def ranked(self, request: SearchRequest, aliases: Aliases | None) -> list[tuple[str, float]]:
        return searching.ranked_ids(self.searcher, request, aliases, self.columns)

    def published(self, request: SearchRequest | None, aliases: Aliases | None) -> Published:
        documents = self.columns.live if request is None else self._matching(request, aliases)
        days, outlets = self.columns.days, self.columns.outlets
        names = {code: code.decode("utf-8") or None for code in set(outlets)}
        return [(days[n], names[outlets[n]]) for n in documents]

    def versions(self, request: SearchRequest, aliases: Aliases | None) -> dict[str, bytes]:
        ids, shas = self.columns.ids, self.columns.shas
        return {column_text(ids[n]): shas[n] for n in self._matching(request, aliases)}

    def sample(self, request: SearchRequest, aliases: Aliases | None, size: int) -> Sample:
        best, total, terms = searching.best(self.searcher, request, aliases, self.columns, size)
        return Sample([self.searcher.stored_fields(n).get("body", "") for n in best], total, terms)

    def explain(self, request: SearchRequest, aliases: Aliases | None) -> str:
        return explain(request, searching.known_outlets(self.searcher), aliases)

    def opensearch_request(self, request: SearchRequest, aliases: Aliases | None) -> dict[str, Any]:
        from .cluster import opensearch_request

        return opensearch_request(self.searcher, request, aliases)

    def _matching(self, request: SearchRequest, aliases: Aliases | None) -> list[int]:
        return searching.matching(self.searcher, request, aliases, self.columns)

    # Documents and the vocabulary

    def document(self, doc_id: str) -> StoredDocument:
        return searching.stored(self.searcher.stored_fields(searching.number(self.searcher, doc_id)))

    def highlight(self, doc_id: str, request: SearchRequest, aliases: Aliases | None) -> Snippet:
        return searching.highlight(self.searcher, doc_id, request, aliases)

    def documents(self) -> Iterator[StoredDocument]:
        quoted, people = self._column("quoted"), self._column("people_names")
        for docnum, fields in self.searcher.reader().iter_docs():
            quotes = tuple(Quote(text, speaker) for text, speaker in json.loads(quoted[docnum] or b"[]"))
            names = searching.names(people[docnum]) if people[docnum] else ()
            yield searching.stored(fields, quotes, names)

    def similar(self, doc_id: str, limit: int) -> SearchResults:
        return searching.similar(self.searcher, doc_id, limit)

    def story(self, doc_id: str, request: SearchRequest | None = None) -> list[Member]:
        from .stories import Stories

        docnum = searching.number(self.searcher, doc_id)
        members = Stories(self.searcher).members(docnum)
        if request is None:
            return [member for _, member in members]
        within = set(searching.allowed(self.searcher, request, self.columns, [n for n, _ in members]))
        return [member for n, member in members if n in within or n == docnum]

    def statistics(self, mostly_cut: int, aliases: Aliases | None = None) -> Statistics:
        return searching.statistics(self.searcher, mostly_cut, aliases)

    def document_count(self) -> int:
        return int(self.searcher.doc_count())

    def document_frequency(self, term: str) -> int:
        return int(self.searcher.doc_frequency("body", term))

    def phrase_frequency(self, terms: list[str]) -> int:
        return sum(1 for _ in self.searcher.docs_for_query(Q.Phrase("body", terms)))

    @property
    def analysis(self) -> Analysis:
        return searching.body_analysis(self.searcher)

    # What the indexer compares raw/ with

    def stamps(self, doc_ids: Collection[str] | None = None) -> dict[str, bytes]:
        """From the columns read whole for every document, looked up one by
        one for a few (`search add` needs no more than its own).

        (The ids are decoded joined, in one call: one by one, it took as long
        as reading the columns.)"""
        reader = self.searcher.reader()
        if doc_ids is not None:
            ids, stamps = self._column("id"), self._column("stamp")
            return {column_text(ids[n]): stamps[n] for n in self._numbers(doc_ids)}
        if reader.doc_count_all() == 0:
            return {}
        ids = b"\0".join(column_values(reader, "id")).decode("utf-8").split("\0")  # no path holds a NUL
        live = live_documents(reader)
        numbered = zip(ids, range(len(ids)), strict=True)
        self._docnums = dict(numbered) if isinstance(live, range) else {i: n for i, n in numbered if n in live}
        stamps = column_values(reader, "stamp")
        return {doc_id: stamps[n] for doc_id, n in self._docnums.items()}

    def known(self, doc_ids: Iterable[str]) -> dict[str, Known]:
        """Looked up one by one: the documents that changed, went or are
        cleaned again. (When every stamp changed, as after a copy that did not
        keep times, that is all of them; a lookup is then little beside
        reading and cleaning each document again.)"""
        ids, stamps, shas = self._column("id"), self._column("stamp"), self._column("sha")
        return {column_text(ids[n]): Known(stamps[n], shas[n]) for n in self._numbers(doc_ids)}

    def line_keys(self, doc_ids: Iterable[str]) -> list[list[str]]:
        return self._line_keys(self._numbers(doc_ids))

    def line_frequency(self, key: str) -> int:
        """Whoosh's count still includes deleted documents (and is 0 for a key
        no segment has: one lookup a segment)."""
        return int(self.searcher.reader().doc_frequency("lines", key)) - self._deleted_keys[key]

    def holders(self, keys: Collection[str]) -> list[str]:
        reader = self.searcher.reader()
        numbers = {n for key in keys if ("lines", key) in reader for n in reader.postings("lines", key).all_ids()}
        ids = self._column("id")
        return [column_text(ids[n]) for n in sorted(numbers)]

    def _column(self, name: str, translate: bool = False) -> ColumnReader:
        """A column's reader, made once: making one decodes where each
        document's value lies, a Python loop over the archive (0.3 s at
        100,000 documents), and `holds` is asked of every document cleaned again."""
        key = (name, translate)
        if key not in self._columns:
            self._columns[key] = column_reader(self.searcher.reader(), name, translate)
        return self._columns[key]

    def holds(self, article: Article) -> bool:
        """Compared: the stored fields, the date, the stamp and the hash;
        every other field is made from those."""
        reader = self.searcher.reader()
        docnum = self._numbers([article.doc_id])[0]
        fields = to_fields(article)
        stored = reader.stored_fields(docnum)
        dated = self._column("dated", translate=True)[docnum]
        date = self._column("date", translate=True)[docnum] if dated else None
        stamp, sha = self._column("stamp")[docnum], self._column("sha")[docnum]
        return (
            fields["stamp"] == stamp
            and fields["sha"] == sha
            and all(fields.get(name) == stored.get(name) for name in reader.schema.stored_names())
            and fields.get("date") == date
        )

    @cached_property
    def _deleted_keys(self) -> Counter[str]:
        """Line keys of the deleted documents not yet merged away, from their stored fields."""
        deleted = sorted(deleted_documents(self.searcher.reader()))
        return Counter(key for keys in self._line_keys(deleted) for key in keys)

    def _line_keys(self, docnums: Iterable[int]) -> list[list[str]]:
        reader = self.searcher.reader()
        return [reader.stored_fields(n).get("lines", "").split() for n in docnums]

    def _numbers(self, doc_ids: Iterable[str]) -> list[int]:
        """The numbers of the live documents of those ids the index holds:
        from the table `stamps` made when it read every id, else looked up."""
        if self._docnums is not None:
            docnums = self._docnums
            return [docnums[doc_id] for doc_id in doc_ids if doc_id in docnums]
        return numbers(self.searcher.reader(), doc_ids)


def numbers(reader: IndexReader, doc_ids: Iterable[str]) -> list[int]:
    """The numbers of the live documents of those ids the index holds, looked up one by one."""
    return [n for doc_id in doc_ids if ("id", doc_id) in reader for n in reader.postings("id", doc_id).all_ids()]
