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
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ArchiveError, SourceError
from .files import copy_whole
from .index.store import ALIAS_CACHE, IndexStore
from .model import Hit, SearchResults, Skipped, Snippet, Statistics, StoredDocument
from .query.request import DEFAULT_RANKING, DEFAULT_TIMEOUT, SPEAKER, Ranking, SearchRequest
from .text.dates import Period
from .text.names import Aliases

if TYPE_CHECKING:
    from .engine import Reader
    from .explore.quotes import Speaker
    from .explore.terms import Characterisation
    from .explore.timeline import Timeline
    from .explore.watches import Watch, Watches, WatchRun
    from .index.report import IndexReport, Progress
    from .ingest.rules import Rules
    from .interop.opensearch import ExportReport
    from .model import Article, Member, QuoteResults

HOME_VARIABLE = "NEWS_SEARCH_HOME"


@dataclass
class AddReport:
    """What `add` copied into `raw/`, what was there already, what it refused."""

    copied: list[str] = field(default_factory=list)
    already_there: list[str] = field(default_factory=list)
    refused: list[Skipped] = field(default_factory=list)
    index: IndexReport | None = None


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
        self.aliases_file = home / "aliases.toml"
        """The archive's own spellings of names, beside the shipped table (docs/query-syntax.md)."""
        self.store = IndexStore(home / "index")
        self._open: tuple[str, Reader] | None = None
        self._closing: weakref.finalize[[], Archive] | None = None

    @classmethod
    def locate(cls, home: str | os.PathLike[str] | None = None) -> Archive:
        """The archive at `home`, else at $NEWS_SEARCH_HOME, else here."""
        chosen = home or os.environ.get(HOME_VARIABLE) or "."
        return cls(Path(chosen).expanduser())

    @cached_property
    def rules(self) -> Rules:
        from .ingest.rules import load_rules

        return load_rules(self.home / "rules.toml")

    @cached_property
    def aliases(self) -> Aliases:
        """The alias table: shipped spellings plus the archive's `aliases.toml`,
        analysed as query words are."""
        from .engine import load_aliases

        return load_aliases(self.aliases_file, self.store.folder / ALIAS_CACHE)

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
        from .index.indexer import update

        return update(self.store, self._raw(), self.rules, progress, workers, only)

    def rebuild(self, progress: Progress | None = None, workers: int | None = None) -> IndexReport:
        """Build the index anew; the old one serves until the new one is complete."""
        from .index.indexer import rebuild

        return rebuild(self.store, self._raw(), self.rules, progress, workers)

    def ensure_index(self, progress: Progress | None = None) -> IndexReport | None:
        """Build the index if there is none yet; None if there was one."""
        return None if self.store.exists() else self.update(progress)

    def add(
        self, paths: list[Path], metadata: dict[str, str] | None = None, progress: Progress | None = None
    ) -> AddReport:
        """Copy files (or a folder's documents) into raw/, note their metadata, index them."""
        from .ingest.sources import NOT_A_DOCUMENT, is_document_name, parse_sidecar, write_sidecar

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
        from .ingest.sources import SIDECAR_SUFFIX

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
            report.refused.append(
                Skipped(str(source), f"raw/{doc_id} exists with other content; rename the file to add it")
            )
            return None
        from .ingest.sources import sidecar_path

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
        filters: Mapping[str, Sequence[str]] | None = None,
        speakers: Sequence[str] = (),
        sort: str = "relevance",
        limit: int = 10,
        collapse: bool = False,
        people: bool = False,
        ranking: Ranking = DEFAULT_RANKING,
        timeout: float | None = DEFAULT_TIMEOUT,
    ) -> SearchResults:
        """Search with dates as people type them (`date_from="Feb 2021"`),
        facet filters by field (`filters={"language": ["sr"]}`) and the
        persons the documents quote (`speakers=["lavrov"]`); the options are
        those of `SearchRequest`."""
        request = SearchRequest.build(
            text,
            date_from,
            date_to,
            {**(filters or {}), SPEAKER: speakers},
            outlets=tuple(outlets),
            sort=sort,
            limit=limit,
            collapse=collapse,
            people=people,
            ranking=ranking,
            timeout=timeout,
        )
        return self.run(request)

    def run(self, request: SearchRequest) -> SearchResults:
        ranked = None if request.collapse else request.limit
        results, hits = self._reading().search(request, self.aliases, ranked=ranked)
        return results._replace(hits=tuple(islice(hits, request.limit)))

    def stream(self, request: SearchRequest, snippets: bool = True) -> tuple[SearchResults, Iterator[Hit]]:
        """The counts of a request, and every hit, made as it is read (for exports)."""
        return self._reading().search(request, self.aliases, snippets=snippets)

    def quotes(self, request: SearchRequest) -> QuoteResults:
        """The quotes whose words the request's text matches (every quote, with
        no text), said by its speakers if it names any: the best `limit`, with
        counts by speaker, outlet and year over all of them."""
        from .explore.quotes import quote_results

        reader = self._reading()
        return quote_results(reader.quotes(request, self.aliases), request, self.aliases, reader.document)

    def speakers(self, request: SearchRequest) -> list[Speaker]:
        """Who is quoted saying the request's words, most quoted first (at most `limit`)."""
        from .explore.quotes import speakers

        return speakers(self._reading().quotes(request, self.aliases), self.aliases, request.limit)

    def timeline(self, request: SearchRequest, unit: str = "auto", by_outlet: bool = False) -> Timeline:
        """Matching documents per day, week, month or year, beside all the
        archive (or the request's outlets) published in each."""
        from .explore.timeline import timeline

        reader = self._reading()
        matches = reader.published(request, self.aliases)
        universe = reader.published(SearchRequest(outlets=request.outlets) if request.outlets else None, None)
        span = (request.start.date() if request.start else None, request.end.date() if request.end else None)
        return timeline(matches, universe, unit, by_outlet, span)

    def terms(self, request: SearchRequest, limit: int = 20) -> Characterisation:
        """The words and names that set the best matches apart from the whole archive."""
        from .explore.terms import SAMPLE, characterise

        reader = self._reading()
        return characterise(reader, reader.sample(request, self.aliases, SAMPLE), limit)

    def story(self, doc_id: str, request: SearchRequest | None = None) -> list[Member]:
        """The documents of `doc_id`'s story across outlets, oldest first; with
        a request, those its dates and outlets allow (and `doc_id` itself)."""
        return self._reading().story(doc_id, request)

    @cached_property
    def watches(self) -> Watches:
        """The archive's saved searches, in its `watches/` folder."""
        from .explore.watches import Watches

        return Watches(self.home / "watches")

    def watch_add(self, watch: Watch) -> WatchRun:
        """Save a search; what it matches now counts as seen."""
        from .explore.watches import WatchRun

        request = watch.request(limit=1)  # checks the dates
        seen = self._versions(request)
        saved = watch.ran(self.store.manifest().generation, len(seen))
        self.watches.create(replace(saved, created=saved.last_run or ""), seen.values())
        return WatchRun(saved, len(seen), (), None)

    def watch_run(self, name: str | None = None, dry_run: bool = False) -> list[WatchRun]:
        """Run one saved search, or all: the documents added or changed since
        each last ran. With `dry_run`, nothing is marked as seen."""
        chosen = [self.watches.get(name)] if name else self.watches.all()
        return [self._run_watch(watch, dry_run) for watch in chosen]

    def _run_watch(self, watch: Watch, dry_run: bool) -> WatchRun:
        from .explore.watches import WatchRun

        request = watch.request(limit=1)
        now = self._versions(request)
        seen = self.watches.seen(watch.name)
        new = {doc_id for doc_id, version in now.items() if version not in seen}
        _, hits = self._reading().search(request, self.aliases, only=new)
        found = tuple(hits)
        ran = watch.ran(self.store.manifest().generation, len(now))
        if not dry_run:
            self.watches.save(ran, now.values())
        return WatchRun(ran, len(now), found, watch.last_run)

    def _versions(self, request: SearchRequest) -> dict[str, int]:
        """Each matching document's id with the key of its version (id and content hash)."""
        from .explore.watches import key

        return {doc_id: key(doc_id, sha) for doc_id, sha in self._reading().versions(request, self.aliases).items()}

    def _reading(self) -> Reader:
        """A reader of the live index, kept open between queries for as long
        as the index does not change."""
        generation = self.store.manifest().generation
        if self._open is None or self._open[0] != generation or not self._open[1].up_to_date():
            self.close()
            reader = self.store.open()
            self._open = (generation, reader)
            self._closing = weakref.finalize(self, reader.close)
        return self._open[1]

    def close(self) -> None:
        """Close the searcher kept open between queries (also done when the
        Archive is garbage collected, or at exit)."""
        if self._closing is not None:
            self._closing()
        self._open = self._closing = None

    def explain(self, request: SearchRequest) -> str:
        """The query and filters as the engine runs them."""
        return self._reading().explain(request, self.aliases)

    def opensearch_request(self, request: SearchRequest) -> dict[str, Any]:
        """The request as the OpenSearch query DSL, for the archive once exported to a cluster."""
        return self._reading().opensearch_request(request, self.aliases)

    def similar(self, doc_id: str, limit: int = 10) -> SearchResults:
        """The documents most like `doc_id`, itself excluded."""
        return self._reading().similar(doc_id, limit)

    def document(self, doc_id: str) -> StoredDocument:
        return self._reading().document(doc_id)

    def highlight(self, doc_id: str, text: str) -> Snippet:
        """The whole body of `doc_id`, the words of the query `text` marked."""
        return self._reading().highlight(doc_id, SearchRequest(text, timeout=None), self.aliases)

    def statistics(self) -> Statistics:
        from .model import MOSTLY_CUT

        return self._reading().statistics(MOSTLY_CUT, self.aliases)

    def export_opensearch(self, folder: Path, index_name: str = "news") -> ExportReport:
        """Write an OpenSearch mapping and bulk files of every document into `folder`."""
        from .interop.opensearch import export_opensearch

        return export_opensearch(self._reading().documents(), folder, index_name, self.opensearch_mapping())

    def opensearch_mapping(self) -> dict[str, Any]:
        """The settings and mappings of an OpenSearch index that analyses as this archive does."""
        from .interop.opensearch import mapping
        from .text.names import alias_spellings

        return mapping(self._reading().analysis.stop_words, alias_spellings(self.aliases_file))

    def index_size(self) -> int:
        """Bytes the live index takes on disk (not a build under way, nor one a crash left)."""
        live = self.store.folder / self.store.manifest().generation
        return sum(p.stat().st_size for p in live.rglob("*") if p.is_file())

    def _doc_id(self, path: Path) -> str:
        """A file's id as the index has it, for a file under raw/ (its lines
        recur among its folder's), else its name."""
        resolved = path.resolve()
        inside = resolved.is_relative_to(self.raw_dir.resolve())
        return resolved.relative_to(self.raw_dir.resolve()).as_posix() if inside else path.name

    def clean(self, path: Path) -> Article:
        """What the cleaner makes of one file, using this archive's rules and
        the outlet repetition its index knows; nothing is written."""
        from .ingest.pipeline import finish, never_repeated, prepare
        from .ingest.sources import SourceFile

        if not path.is_file():
            raise SourceError(f"{path} is not a file")
        prepared = prepare(SourceFile(self._doc_id(path), path, ""), self.rules)
        if not self.store.exists():
            return finish(prepared, self.rules, never_repeated)
        from .index.indexer import Repetition

        return finish(prepared, self.rules, Repetition(self._reading(), self.rules.repeat_min_docs, [], []).is_repeated)
