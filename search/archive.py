"""The Archive facade: one folder holding `raw/` and `index/`, and every
operation the CLI offers, callable from Python.

    >>> from search import Archive
    >>> archive = Archive.locate("~/news")
    >>> archive.update()
    >>> archive.search("putin gas", date_from="2021", outlets=("The Moscow Times",))

Modules that pull in the HTML parser are imported only by the operations
that read raw files, so that a query starts fast.
"""

from __future__ import annotations

import filecmp
import json
import os
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .columns import Columns
from .dates import Period
from .errors import ArchiveError, SourceError, UnknownDocument
from .files import copy_whole
from .names import Aliases
from .query import DEFAULT_RANKING, DEFAULT_TIMEOUT, Ranking, SearchRequest, load_aliases
from .schema import column_text
from .searcher import (
    Hit,
    SearchResults,
    Statistics,
    StoredDocument,
    allowed,
    best,
    document,
    matching,
    open_searcher,
    run,
    similar,
    statistics,
    stream,
)
from .store import ALIAS_CACHE, IndexStore

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from .documents import Article, Skipped
    from .export import ExportReport
    from .indexer import IndexReport, Progress
    from .rules import Rules
    from .stories import Member
    from .terms import Characterisation
    from .timeline import Timeline
    from .watches import Watch, Watches

HOME_VARIABLE = "NEWS_SEARCH_HOME"


@dataclass
class AddReport:
    """What `add` copied into `raw/`, what was there already, what it refused."""

    copied: list[str] = field(default_factory=list)
    already_there: list[str] = field(default_factory=list)
    refused: list[Skipped] = field(default_factory=list)
    index: IndexReport | None = None


class WatchRun(NamedTuple):
    """A saved search run: what it matches now, and the new documents among them."""

    watch: Watch
    total: int
    new: tuple[Hit, ...]
    since: str | None
    """When it ran before (None: never), as the watch recorded it."""


class Archive:
    """One archive folder: its documents in `raw/`, its index in `index/`,
    its rules, aliases and saved searches; every operation of the CLI.

    Writing (`update`, `rebuild`, `add`) holds the archive's write lock;
    reading keeps one searcher open, and opens the new one when a writer has
    committed, so a long-lived process (a notebook, a server) stays current.
    """

    def __init__(self, home: Path) -> None:
        if not home.is_dir():
            what = "is a file, not a folder" if home.exists() else "does not exist"
            raise ArchiveError(f"the archive folder {home} {what}; create it or give another --home")
        self.home = home
        self.raw_dir = home / "raw"
        self.store = IndexStore(home / "index")
        self._open: tuple[str, Searcher, Columns] | None = None
        self._closing: weakref.finalize[[], Archive] | None = None

    @classmethod
    def locate(cls, home: str | os.PathLike[str] | None = None) -> Archive:
        """The archive at `home`, else at $NEWS_SEARCH_HOME, else here."""
        chosen = home or os.environ.get(HOME_VARIABLE) or "."
        return cls(Path(chosen).expanduser())

    @cached_property
    def rules(self) -> Rules:
        from .rules import load_rules

        return load_rules(self.home / "rules.toml")

    @cached_property
    def aliases(self) -> Aliases:
        """The alias table: shipped spellings plus the archive's `aliases.toml`."""
        return load_aliases(self.home / "aliases.toml", cache=self.store.folder / ALIAS_CACHE)

    def _raw(self) -> Path:
        if not self.raw_dir.is_dir():
            raise ArchiveError(f"no raw/ folder in {self.home}; put documents in {self.raw_dir} or use `search add`")
        return self.raw_dir

    # Writing the index

    def update(
        self, progress: Progress | None = None, workers: int | None = None, only: list[str] | None = None
    ) -> IndexReport:
        """Bring the index in line with raw/: add, re-index, remove.

        `workers` processes share a full build (default: one per CPU core);
        `only` limits an update to those documents (see indexer.update).
        """
        from .indexer import update

        return update(self.store, self._raw(), self.rules, progress, workers, only)

    def rebuild(self, progress: Progress | None = None, workers: int | None = None) -> IndexReport:
        """Build the index anew; the old one serves until the new one is complete."""
        from .indexer import rebuild

        return rebuild(self.store, self._raw(), self.rules, progress, workers)

    def ensure_index(self, progress: Progress | None = None) -> IndexReport | None:
        """Build the index if there is none yet; None if there was one."""
        return None if self.store.exists() else self.update(progress)

    def add(
        self, paths: list[Path], metadata: dict[str, str] | None = None, progress: Progress | None = None
    ) -> AddReport:
        """Copy files (or a folder's documents) into raw/, note their metadata, index them."""
        from .documents import Skipped
        from .sources import NOT_A_DOCUMENT, is_document_name, parse_sidecar, write_sidecar

        metadata = {k: v for k, v in (metadata or {}).items() if v}
        if metadata:
            parse_sidecar(json.dumps(metadata).encode(), "the metadata given")
        self.raw_dir.mkdir(exist_ok=True)
        report = AddReport()
        for source, target in self._placements(paths):
            if not is_document_name(source.name):
                report.refused.append(Skipped(str(source), NOT_A_DOCUMENT, failed=False))
                continue
            placed = self._place(source, target, report)
            if placed and metadata:
                write_sidecar(placed, metadata)
        report.index = self.update(progress, only=[*report.copied, *report.already_there])
        return report

    def _placements(self, paths: list[Path]) -> list[tuple[Path, Path]]:
        """Each file to add with where it goes: raw/NAME, or raw/FOLDER/... for a
        folder. Sidecars go with their documents (`_place`)."""
        from .sources import SIDECAR_SUFFIX

        pairs = []
        for path in paths:
            if not path.exists():
                raise SourceError(f"{path} does not exist")
            if path.name.endswith(SIDECAR_SUFFIX) and path.with_name(path.name.removesuffix(SIDECAR_SUFFIX)) in paths:
                continue  # it comes with its document
            if path.is_dir():
                for file in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.endswith(".meta.json")):
                    pairs.append((file, self.raw_dir / path.resolve().name / file.relative_to(path)))
            else:
                pairs.append((path, self.raw_dir / path.name))
        return pairs

    def _place(self, source: Path, target: Path, report: AddReport) -> Path | None:
        doc_id = target.relative_to(self.raw_dir).as_posix()
        if source.resolve() == target.resolve() or (target.exists() and filecmp.cmp(source, target, shallow=False)):
            report.already_there.append(doc_id)
            return target
        if target.exists():
            from .documents import Skipped

            report.refused.append(
                Skipped(str(source), f"raw/{doc_id} exists with other content; rename the file to add it")
            )
            return None
        from .sources import sidecar_path

        target.parent.mkdir(parents=True, exist_ok=True)
        # The sidecar first: the document is indexed with the metadata written for it.
        if sidecar_path(source).is_file() and not sidecar_path(target).exists():
            copy_whole(sidecar_path(source), sidecar_path(target))
        copy_whole(source, target)
        report.copied.append(doc_id)
        return target

    # Reading

    def search(
        self,
        text: str = "",
        *,
        date_from: str | Period | None = None,
        date_to: str | Period | None = None,
        outlets: Sequence[str] = (),
        sort: str = "relevance",
        limit: int = 10,
        collapse: bool = False,
        ranking: Ranking = DEFAULT_RANKING,
        timeout: float | None = DEFAULT_TIMEOUT,
    ) -> SearchResults:
        """Search with dates as people type them (`date_from="Feb 2021"`);
        the options are those of `SearchRequest`."""
        request = SearchRequest.build(
            text,
            date_from,
            date_to,
            outlets=tuple(outlets),
            sort=sort,
            limit=limit,
            collapse=collapse,
            ranking=ranking,
            timeout=timeout,
        )
        return self.run(request)

    def run(self, request: SearchRequest) -> SearchResults:
        searcher, columns = self._reading()
        return run(searcher, request, self.aliases, columns)

    def stream(self, request: SearchRequest, snippets: bool = True) -> tuple[SearchResults, Iterator[Hit]]:
        """The counts of a request, and every hit, made as it is read (for exports)."""
        searcher, columns = self._reading()
        return stream(searcher, request, self.aliases, columns, snippets)

    def timeline(self, request: SearchRequest, unit: str = "auto", by_outlet: bool = False) -> Timeline:
        """Matching documents per day, week, month or year, beside all the
        archive (or the request's outlets) published in each."""
        from .timeline import timeline

        searcher, columns = self._reading()
        matches = matching(searcher, request, self.aliases, columns)
        universe = (
            matching(searcher, SearchRequest(outlets=request.outlets), None, columns) if request.outlets else None
        )
        span = (request.start.date() if request.start else None, request.end.date() if request.end else None)
        return timeline(columns, matches, unit, by_outlet, span, universe)

    def terms(self, request: SearchRequest, limit: int = 20) -> Characterisation:
        """The words and names that set the best matches apart from the whole archive."""
        from .terms import SAMPLE, characterise

        searcher, columns = self._reading()
        sample, total, query_terms = best(searcher, request, self.aliases, columns, SAMPLE)
        return characterise(searcher, sample, total, query_terms, limit)

    def story(self, doc_id: str, request: SearchRequest | None = None) -> list[Member]:
        """The documents of `doc_id`'s story across outlets, oldest first; with
        a request, those its dates and outlets allow (and `doc_id` itself)."""
        from .stories import Stories

        searcher, columns = self._reading()
        docnum = searcher.document_number(id=doc_id)
        if docnum is None:
            raise UnknownDocument(f"no document {doc_id!r} in the index; `search query` lists ids")
        members = Stories(searcher).members(docnum)
        if request is None:
            return members
        within = set(allowed(searcher, request, columns, [m.docnum for m in members]))
        return [m for m in members if m.docnum in within or m.docnum == docnum]

    @cached_property
    def watches(self) -> Watches:
        """The archive's saved searches, in its `watches/` folder."""
        from .watches import Watches

        return Watches(self.home / "watches")

    def watch_add(self, watch: Watch) -> WatchRun:
        """Save a search; what it matches now counts as seen."""
        request = watch.request(limit=1)  # checks the dates
        searcher, columns = self._reading()
        seen = self._versions(columns, matching(searcher, request, self.aliases, columns))
        saved = watch.ran(self.store.manifest().generation, len(seen))
        self.watches.create(replace(saved, created=saved.last_run or ""), seen.values())
        return WatchRun(saved, len(seen), (), None)

    def watch_run(self, name: str | None = None, dry_run: bool = False) -> list[WatchRun]:
        """Run one saved search, or all: the documents added or changed since
        each last ran. With `dry_run`, nothing is marked as seen."""
        chosen = [self.watches.get(name)] if name else self.watches.all()
        return [self._run_watch(watch, dry_run) for watch in chosen]

    def _run_watch(self, watch: Watch, dry_run: bool) -> WatchRun:
        searcher, columns = self._reading()
        request = watch.request(limit=1)
        now = self._versions(columns, matching(searcher, request, self.aliases, columns))
        seen = self.watches.seen(watch.name)
        new = {n for n, version in now.items() if version not in seen}
        _, hits = stream(searcher, request, self.aliases, columns, only=new)
        found = tuple(hits)
        ran = watch.ran(self.store.manifest().generation, len(now))
        if not dry_run:
            self.watches.save(ran, now.values())
        return WatchRun(ran, len(now), found, watch.last_run)

    @staticmethod
    def _versions(columns: Columns, documents: list[int]) -> dict[int, int]:
        """Each document's number with the key of its version (id and content hash)."""
        from .watches import key

        ids, shas = columns.ids, columns.shas
        return {n: key(column_text(ids[n]), shas[n]) for n in documents}

    def _reading(self) -> tuple[Searcher, Columns]:
        """A searcher on the live index with its columns, kept open between
        queries for as long as the index does not change."""
        generation = self.store.manifest().generation
        if self._open is None or self._open[0] != generation or not self._open[1].up_to_date():
            self.close()
            searcher = open_searcher(self.store.open())
            self._open = (generation, searcher, Columns(searcher.reader()))
            self._closing = weakref.finalize(self, searcher.close)
        return self._open[1], self._open[2]

    def close(self) -> None:
        """Close the searcher kept open between queries (also done when the
        Archive is garbage collected, or at exit)."""
        if self._closing is not None:
            self._closing()
        self._open = self._closing = None

    def explain(self, request: SearchRequest) -> str:
        from .query import explain
        from .searcher import known_outlets

        with self.store.open().searcher() as searcher:
            return explain(request, known_outlets(searcher), self.aliases)

    def similar(self, doc_id: str, limit: int = 10) -> SearchResults:
        """The documents most like `doc_id`, itself excluded."""
        return similar(self.store.open(), doc_id, limit)

    def document(self, doc_id: str) -> StoredDocument:
        return document(self.store.open(), doc_id)

    def statistics(self) -> Statistics:
        from .documents import MOSTLY_CUT

        return statistics(self.store.open(), MOSTLY_CUT)

    def export_opensearch(self, folder: Path, index_name: str = "news") -> ExportReport:
        """Write an OpenSearch mapping and bulk files of every document into `folder`."""
        from .export import export_opensearch

        return export_opensearch(self.store.open(), folder, index_name)

    def index_size(self) -> int:
        """Bytes the live index takes on disk (not a build under way, nor one a crash left)."""
        live = self.store.folder / self.store.manifest().generation
        return sum(p.stat().st_size for p in live.rglob("*") if p.is_file())

    def clean(self, path: Path) -> Article:
        """What the cleaner makes of one file, using this archive's rules and
        the outlet repetition its index knows; nothing is written."""
        from .pipeline import finish, never_repeated, prepare
        from .sources import SourceFile

        if not path.is_file():
            raise SourceError(f"{path} is not a file")
        prepared = prepare(SourceFile(path.name, path, ""), self.rules)
        if not self.store.exists():
            return finish(prepared, self.rules, never_repeated)
        from .indexer import Repetition

        with self.store.open().reader() as reader:
            repetition = Repetition(reader, self.rules.repeat_min_docs, [], [])
            return finish(prepared, self.rules, repetition.is_repeated)
