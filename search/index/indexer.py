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
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from ..engine import Known, Reader, Writer, engine
from ..errors import IndexFailed, SchemaMismatch, SourceError
from ..ingest.rules import Rules
from ..ingest.sources import SourceFile, scan, source_files
from ..model import Article, Skipped
from .report import IndexReport, Progress
from .store import IndexStore, damaged_message, engine_failure

# The parsers and cleaners are imported when a document is to be read, not to check an unchanged archive.
if TYPE_CHECKING:
    from ..ingest.pipeline import Prepared


def update(
    store: IndexStore,
    raw_root: Path,
    rules: Rules,
    progress: Progress | None = None,
    workers: int | None = None,
    only: list[str] | None = None,
) -> IndexReport:
    """Add new files, re-index changed ones, remove deleted ones; then merge
    the pieces that writes left in the index (not with `only`, what `search
    add` does: an add returns without waiting for a merge).

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
            report = _sync(store, raw_root, rules, progress, only)
            if only is None:  # `search index`, not `search add`: an add never waits for a merge
                report.merged = engine().merge(store.live())
            return report
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
    generation = store.create_generation()
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


def _sync(
    store: IndexStore, raw_root: Path, rules: Rules, progress: Progress | None, only: list[str] | None
) -> IndexReport:
    found, skipped = scan(raw_root) if only is None else source_files(raw_root, only)
    report = IndexReport(skipped=skipped)
    with _reading(store) as reader:
        stamps = reader.stamps(only)
        stale = [f for f in found if stamps.get(f.doc_id) != f.stamp.encode()]
        removed = sorted(stamps.keys() - {f.doc_id for f in found}) if only is None else []
        known = reader.known([*(f.doc_id for f in stale), *removed])
        batch = _prepare_all(stale, rules, report, progress)
        # One rule with a rebuild: the index holds the documents raw/ has that can be read.
        removed = sorted([*removed, *(f.doc_id for f in stale if f.doc_id not in batch and f.doc_id in known)])
        replaced = [i for i in [*batch, *removed] if i in known]
        counts = Repetition(
            reader, rules.repeat_min_docs, reader.line_keys(replaced), (p.line_keys for p in batch.values())
        )
        held = reader.known(reader.holders(counts.flipped()))
        known |= held
        holders, _ = source_files(raw_root, sorted(set(held) - set(batch) - set(removed)))
        recleaned = _prepare_all(holders, rules, report, None)
        articles = [
            article
            for article in _finish_all(batch | recleaned, rules, counts)
            if article.doc_id not in recleaned or not reader.holds(article)
        ]
    _classify(report, articles, known, recleaned)
    report.removed = removed
    if articles or removed:
        with engine().writer(store.live()) as writer:
            _write(writer, articles, removed, known)
    with _reading(store) as reader:
        report.documents = reader.document_count()
    report.unchanged = report.documents - len(report.added) - len(report.updated) - len(report.recleaned)
    return report


@contextmanager
def _reading(store: IndexStore) -> Iterator[Reader]:
    reader = store.open()
    try:
        yield reader
    finally:
        reader.close()


def _finish_all(prepared: dict[str, Prepared], rules: Rules, counts: Repetition) -> list[Article]:
    if not prepared:
        return []
    from ..ingest.pipeline import finish

    return [finish(p, rules, counts.is_repeated) for p in prepared.values()]


def _prepare_all(
    files: list[SourceFile], rules: Rules, report: IndexReport, progress: Progress | None
) -> dict[str, Prepared]:
    if not files:
        return {}
    from ..ingest.pipeline import prepare

    prepared: dict[str, Prepared] = {}
    for done, source in enumerate(files, 1):
        try:
            prepared[source.doc_id] = prepare(source, rules)
        except SourceError as exc:
            report.skipped.append(Skipped(source.doc_id, str(exc)))
        if progress:
            progress(done, len(files))
    return prepared


class Repetition:
    """How many documents of an outlet carry each line, once the batch is written."""

    def __init__(
        self, reader: Reader, min_docs: int, old: Iterable[Iterable[str]], new: Iterable[Iterable[str]]
    ) -> None:
        self.reader = reader
        self.min_docs = min_docs
        self.delta: Counter[str] = Counter()
        for keys in old:
            self.delta.subtract(keys)
        for keys in new:
            self.delta.update(keys)
        self.before = {key: reader.line_frequency(key) for key in self.delta}

    def is_repeated(self, key: str) -> bool:
        before = self.before[key] if key in self.before else self.reader.line_frequency(key)
        return before + self.delta.get(key, 0) >= self.min_docs

    def flipped(self) -> set[str]:
        """Lines whose status as boilerplate the batch changes."""
        return {
            key
            for key, change in self.delta.items()
            if (self.before[key] >= self.min_docs) != (self.before[key] + change >= self.min_docs)
        }


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


def _write(writer: Writer, articles: list[Article], removed: list[str], known: dict[str, Known]) -> None:
    """Delete the old versions, then add the new ones."""
    writer.delete([*removed, *(a.doc_id for a in articles if a.doc_id in known)])
    for article in articles:
        writer.add(article)
