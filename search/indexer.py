"""Bring the index in line with `raw/`: `update()` incrementally, `rebuild()` anew.

A file is read again only when its size or modification time (or its
sidecar's) changed, and written again only when its bytes did. Whether a
line is an outlet's boilerplate depends on how many of that outlet's
documents carry it; the index itself holds those counts (the `lines` field),
and when a change moves a line across the threshold, the other documents
carrying it are cleaned again. So the text in the index depends only on what
is in `raw/`, not on the order in which files were added.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from whoosh.index import Index
from whoosh.reading import IndexReader
from whoosh.writing import IndexWriter

from .columns import column_reader, column_values, deleted_documents, live_documents
from .documents import Article, Skipped
from .errors import IndexFailed, SchemaMismatch, SourceError
from .report import IndexReport as IndexReport
from .report import Progress as Progress
from .rules import Rules
from .schema import column_text, to_fields
from .sources import SourceFile, scan, source_files
from .store import IndexStore, damaged_message, engine_failure
from .writing import open_writer

# The parsers and cleaners are imported when a document is to be read, not to check an unchanged archive.
if TYPE_CHECKING:
    from .pipeline import Prepared


class Known(NamedTuple):
    """A live document of the index, its change stamp and content hash as stored (bytes)."""

    docnum: int
    stamp: bytes
    sha: bytes


def update(
    store: IndexStore,
    raw_root: Path,
    rules: Rules,
    progress: Progress | None = None,
    workers: int | None = None,
    only: list[str] | None = None,
) -> IndexReport:
    """Add new files, re-index changed ones, remove deleted ones.

    With no index yet, or rules that changed since the last build (every
    document is then cleaned again), this is a full build. With `only`, the
    documents of those ids are brought up to date without listing `raw/`
    (what `search add` needs after copying them).
    """
    with store.write_lock(), _write_failures(store):
        if not store.exists():
            return _rebuild_locked(store, raw_root, rules, progress, workers)
        try:
            if store.manifest().rules != rules.digest:
                report = _rebuild_locked(store, raw_root, rules, progress, workers)
                report.rules_changed = True
                return report
            return _sync(store.open(), raw_root, rules, progress, only)
        except Exception as exc:
            if not isinstance(exc, SchemaMismatch) and not engine_failure(exc):
                raise
            # The index is derived from raw/: one that cannot be read is built again.
            report = _rebuild_locked(store, raw_root, rules, progress, workers)
            report.unreadable = str(exc) if isinstance(exc, SchemaMismatch) else damaged_message(store.folder, exc)
            return report


def rebuild(
    store: IndexStore, raw_root: Path, rules: Rules, progress: Progress | None = None, workers: int | None = None
) -> IndexReport:
    """Build a fresh index; the old one stays live until the new one is complete."""
    with store.write_lock(), _write_failures(store):
        return _rebuild_locked(store, raw_root, rules, progress, workers)


@contextmanager
def _write_failures(store: IndexStore) -> Iterator[None]:
    """A failed write (a full disk, a folder we may not write to) as one
    message: the index stays as it was, since a Whoosh commit or our manifest
    switch is the last step of every change."""
    try:
        yield
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        raise IndexFailed(
            f"writing the index in {store.folder} failed: {exc.strerror or exc}{where}. "
            "The index is as it was before; free some space or fix the folder's permissions, then run it again"
        ) from exc


def _rebuild_locked(
    store: IndexStore, raw_root: Path, rules: Rules, progress: Progress | None, workers: int | None
) -> IndexReport:
    found, skipped = scan(raw_root)
    generation, _ = store.create_generation()
    try:
        from .build import build, default_workers

        built = build(store.folder / generation, found, rules, workers or default_workers(), progress)
    except BaseException:
        shutil.rmtree(store.folder / generation, ignore_errors=True)
        raise
    store.publish(generation, rules.digest)
    built.skipped = skipped + built.skipped
    built.rebuilt = True
    return built


def _sync(ix: Index, raw_root: Path, rules: Rules, progress: Progress | None, only: list[str] | None) -> IndexReport:
    found, skipped = scan(raw_root) if only is None else source_files(raw_root, only)
    report = IndexReport(skipped=skipped)
    with ix.reader() as reader:
        indexed = _indexed(reader) if only is None else _indexed_of(reader, _numbers(reader, only))
        stale = [f for f in found if not indexed.has(f.doc_id, f.stamp.encode())]
        removed = sorted(indexed.docnums.keys() - {f.doc_id for f in found}) if only is None else []
        known = _known_of(reader, indexed.numbers([*(f.doc_id for f in stale), *removed]))
        batch = _prepare_all(stale, rules, report, progress)
        # One rule with a rebuild: the index holds the documents raw/ has that can be read.
        removed = sorted([*removed, *(f.doc_id for f in stale if f.doc_id not in batch and f.doc_id in known)])
        replaced = [known[i].docnum for i in [*batch, *removed] if i in known]
        counts = Repetition(
            reader, rules.repeat_min_docs, _stored_keys(reader, replaced), (p.line_keys for p in batch.values())
        )
        held = _holders(reader, counts.flipped())
        known |= held
        holders, _ = source_files(raw_root, sorted(set(held) - set(batch) - set(removed)))
        recleaned = _prepare_all(holders, rules, report, None)
        articles = [
            article
            for article in _finish_all(batch | recleaned, rules, counts)
            if article.doc_id not in recleaned or not _as_indexed(reader, article, known[article.doc_id])
        ]
    _classify(report, articles, known, recleaned)
    report.removed = removed
    if articles or removed:
        with open_writer(ix) as writer:
            _write(writer, articles, removed, known)
    with ix.searcher() as searcher:
        report.documents = searcher.doc_count()
    report.unchanged = report.documents - len(report.added) - len(report.updated) - len(report.recleaned)
    return report


class Indexed(NamedTuple):
    """The live documents of the index: each one's number by id, and the
    change stamps (bytes) by number. All that an unchanged archive needs: a
    Known, with its hash, is made only for a document that changed."""

    docnums: dict[str, int]
    stamps: Sequence[bytes] | dict[int, bytes]

    def has(self, doc_id: str, stamp: bytes) -> bool:
        """Whether the index holds this document with this change stamp."""
        docnum = self.docnums.get(doc_id)
        return docnum is not None and self.stamps[docnum] == stamp

    def numbers(self, doc_ids: Iterable[str]) -> list[int]:
        """The numbers of those of `doc_ids` the index holds."""
        docnums = self.docnums
        return [docnums[doc_id] for doc_id in doc_ids if doc_id in docnums]


def _indexed(reader: IndexReader) -> Indexed:
    """Every live document's id and stamp, from the columns read whole.

    (The ids are decoded joined, in one call: one by one, it took as long
    as reading the columns.)"""
    if reader.doc_count_all() == 0:
        return Indexed({}, [])
    ids = b"\0".join(column_values(reader, "id")).decode("utf-8").split("\0")  # no path holds a NUL
    live = live_documents(reader)
    numbered = zip(ids, range(len(ids)), strict=True)
    docnums = dict(numbered) if isinstance(live, range) else {doc_id: n for doc_id, n in numbered if n in live}
    return Indexed(docnums, column_values(reader, "stamp"))


def _indexed_of(reader: IndexReader, docnums: Iterable[int]) -> Indexed:
    """The id and stamp of a few documents, looked up one by one."""
    ids, stamps = (column_reader(reader, name) for name in ("id", "stamp"))
    docnums = list(docnums)
    return Indexed({column_text(ids[n]): n for n in docnums}, {n: stamps[n] for n in docnums})


def _known_of(reader: IndexReader, docnums: Iterable[int]) -> dict[str, Known]:
    """Id, change stamp and content hash of some documents, looked up one by one:
    those that changed, went or are cleaned again. (When every stamp changed,
    as after a copy that did not keep times, that is all of them; a lookup is
    then little beside reading and cleaning each document again.)"""
    ids, stamps, shas = (column_reader(reader, name) for name in ("id", "stamp", "sha"))
    return {column_text(ids[n]): Known(n, stamps[n], shas[n]) for n in docnums}


def _numbers(reader: IndexReader, doc_ids: list[str]) -> list[int]:
    """The numbers of the live documents of given ids (for `add`: not every stamp of the index)."""
    return [n for doc_id in doc_ids if ("id", doc_id) in reader for n in reader.postings("id", doc_id).all_ids()]


def _finish_all(prepared: dict[str, Prepared], rules: Rules, counts: Repetition) -> list[Article]:
    if not prepared:
        return []
    from .pipeline import finish

    return [finish(p, rules, counts.is_repeated) for p in prepared.values()]


def _prepare_all(
    files: list[SourceFile], rules: Rules, report: IndexReport, progress: Progress | None
) -> dict[str, Prepared]:
    if not files:
        return {}
    from .pipeline import prepare

    prepared: dict[str, Prepared] = {}
    for done, source in enumerate(files, 1):
        try:
            prepared[source.doc_id] = prepare(source, rules)
        except SourceError as exc:
            report.skipped.append(Skipped(source.doc_id, str(exc)))
        if progress:
            progress(done, len(files))
    return prepared


def _stored_keys(reader: IndexReader, docnums: list[int]) -> list[list[str]]:
    return [reader.stored_fields(n).get("lines", "").split() for n in docnums]


class Repetition:
    """How many documents of an outlet carry each line, once the batch is written."""

    def __init__(
        self, reader: IndexReader, min_docs: int, old: Iterable[Iterable[str]], new: Iterable[Iterable[str]]
    ) -> None:
        self.reader = reader
        self.min_docs = min_docs
        self.delta: Counter[str] = Counter()
        for keys in old:
            self.delta.subtract(keys)
        for keys in new:
            self.delta.update(keys)
        self.deleted = _deleted_keys(reader)
        self.before = {key: self._live_frequency(key) for key in self.delta}

    def _live_frequency(self, key: str) -> int:
        """Documents carrying `key` now: Whoosh's count still includes deleted
        ones (and is 0 for a key no segment has: one lookup a segment)."""
        return int(self.reader.doc_frequency("lines", key)) - self.deleted[key]

    def is_repeated(self, key: str) -> bool:
        before = self.before[key] if key in self.before else self._live_frequency(key)
        return before + self.delta.get(key, 0) >= self.min_docs

    def flipped(self) -> set[str]:
        """Lines whose status as boilerplate the batch changes."""
        return {
            key
            for key, change in self.delta.items()
            if (self.before[key] >= self.min_docs) != (self.before[key] + change >= self.min_docs)
        }


def _deleted_keys(reader: IndexReader) -> Counter[str]:
    """Line keys of the deleted documents not yet merged away, from their stored fields."""
    return Counter(key for keys in _stored_keys(reader, sorted(deleted_documents(reader))) for key in keys)


def _holders(reader: IndexReader, keys: set[str]) -> dict[str, Known]:
    """The live documents that carry any of `keys`."""
    docnums = {n for key in keys if ("lines", key) in reader for n in reader.postings("lines", key).all_ids()}
    return _known_of(reader, sorted(docnums))


def _as_indexed(reader: IndexReader, article: Article, indexed: Known) -> bool:
    """Whether an article cleaned again is what the index holds already, so
    that it need not be written again (most are: a line that became
    boilerplate was often left out of them by another rule already).
    Compared: the stored fields, the date, the stamp and the hash; every
    other field is made from those."""
    fields = to_fields(article)
    stored = reader.stored_fields(indexed.docnum)
    dated = column_reader(reader, "dated", translate=True)[indexed.docnum]
    return (
        fields["stamp"] == indexed.stamp
        and fields["sha"] == indexed.sha
        and all(fields.get(name) == stored.get(name) for name in reader.schema.stored_names())
        and fields.get("date") == (column_reader(reader, "date", translate=True)[indexed.docnum] if dated else None)
    )


def _classify(
    report: IndexReport, articles: list[Article], known: dict[str, Known], recleaned: dict[str, Prepared]
) -> None:
    for article in articles:
        if article.doc_id in recleaned:
            report.recleaned.append(article.doc_id)
        elif article.doc_id not in known:
            report.added.append(article.doc_id)
        elif known[article.doc_id].sha != article.sha.encode():
            report.updated.append(article.doc_id)
        report.note(article)


def _write(writer: IndexWriter, articles: list[Article], removed: list[str], known: dict[str, Known]) -> None:
    """Delete the old versions by document number, then add the new ones.

    The writer sees the index `known` was read from (the write lock is held
    throughout). Whoosh's update_document and delete_by_term would open a
    new reader of every segment for each document.
    """
    for doc_id in [*removed, *(a.doc_id for a in articles)]:
        if doc_id in known:
            writer.delete_document(known[doc_id].docnum)
    for article in articles:
        writer.add_document(**to_fields(article))
