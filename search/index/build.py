"""A full build of the index from `raw/`: in parallel, in bounded memory.

Whether a line is an outlet's boilerplate depends on how many of the
outlet's documents carry it, so cleaning needs every document read first.
The build makes two passes, each spread over worker processes:

1. Read: read, parse and key the lines of every file (`pipeline.prepare`).
   Prepared documents go to spool files on disk, a chunk at a time; their
   line keys come back to this process, which counts them.
2. Write: the spool is split into parts of at most PART_DOCS documents;
   a worker cleans a part with those counts and writes it as an index of
   its own, in rounds of new workers. The engine then combines the parts
   into the new generation.

Memory stays bounded whatever the archive's size: documents stream through
the spool, this process keeps only the line keys, 8 bytes each, and a
worker writes no more than a part.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import pickle
import shutil
import signal
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

from ..engine import engine
from ..errors import IndexFailed, SourceError
from ..ingest.pipeline import Prepared, finish, prepare
from ..ingest.rules import Rules
from ..ingest.sources import SourceFile
from ..model import Skipped
from .report import IndexReport, Progress

CHUNK = 200
"""Documents per spool file: the unit of work of the read pass."""
PART_DOCS = 50_000
"""Documents a part holds at most. A writing worker's memory grows with its
part: the postings are held in memory until the part is written (20 bytes
each and their positions), and each distinct term has an entry of some 150
bytes (story bands and line keys are new terms in every document), so a
part is bounded to bound it: about 350 MB a worker at its peak for news
articles. Each part is a segment of the index, and each segment costs a
query a lookup per term: the fewer, the faster."""


def default_workers() -> int:
    return len(os.sched_getaffinity(0))


def build(folder: Path, files: list[SourceFile], rules: Rules, workers: int, progress: Progress | None) -> IndexReport:
    """Write `files` as the index in `folder`, an empty index until now."""
    spool, parts = folder / "spool", folder / "parts"
    chunks = [files[i : i + CHUNK] for i in range(0, len(files), CHUNK)]
    workers = max(1, min(workers, len(chunks)))
    steps = _Steps(progress, 2 * len(files))
    built = IndexReport()
    try:
        spool.mkdir()
        with _pool(workers, steps.shared) as pool:
            reads = [(_read_chunk, spool / f"{n:06d}", chunk, rules) for n, chunk in enumerate(chunks)]
            read: list[_ChunkRead] = _run(pool, steps, reads)
        built.skipped = [skip for chunk in read for skip in chunk.skipped]
        steps.add(len(built.skipped))  # never to be written
        repeated = _Repeated(read, rules.repeat_min_docs)
        shares = _shares([chunk.spool for chunk in read], workers)
        writes = [(_write_part, parts / str(k), share, rules, repeated) for k, share in enumerate(shares)]
        written: list[tuple[Path, IndexReport]] = []
        for start in range(0, len(writes), workers):
            with _pool(workers, steps.shared) as pool:  # new workers, with none of the last pass's memory
                written += _run(pool, steps, writes[start : start + workers])
        engine().combine(folder, [part for part, _ in written])
    except BrokenProcessPool as exc:
        raise IndexFailed(
            "a worker process of the build died (killed, or out of memory); the index is as it was before. "
            "Run the command again, with --workers 1 to use less memory"
        ) from exc
    finally:
        shutil.rmtree(spool, ignore_errors=True)
        shutil.rmtree(parts, ignore_errors=True)
    for _, part in written:
        built.merge(part)
    for ids in (built.added, built.undated, built.no_outlet, built.truncated, built.mostly_cut, built.repaired):
        ids.sort()
    built.documents = len(built.added)
    return built


def _shares(spools: list[Path], workers: int) -> list[list[Path]]:
    """The spool split into parts of at most PART_DOCS documents, as many as
    keep every worker busy in every round (on two workers, four equal parts
    rather than three, of which the third would be written alone)."""
    rounds = -(-len(spools) * CHUNK // (PART_DOCS * workers))
    count = min(len(spools), rounds * workers)
    return [spools[k::count] for k in range(count)]


KEY_BUCKETS = 256
"""Line keys travel split by their first byte, to be counted a bucket at a time."""


@dataclass
class _ChunkRead:
    spool: Path
    keys: list[array[int]]
    """The line keys of the chunk's documents, as 8-byte integers, by first byte."""
    skipped: list[Skipped]


def _read_chunk(spool: Path, files: list[SourceFile], rules: Rules) -> _ChunkRead:
    """Pass 1 on a chunk of files: prepare them, spool them, return their keys."""
    prepared: list[Prepared] = []
    skipped: list[Skipped] = []
    for source in files:
        try:
            prepared.append(prepare(source, rules).without_text())
        except SourceError as exc:
            skipped.append(Skipped(source.doc_id, str(exc)))
        _step()
    with open(spool, "wb") as handle:
        pickle.dump(prepared, handle, pickle.HIGHEST_PROTOCOL)
    keys = [array("Q") for _ in range(KEY_BUCKETS)]
    for key in (int(key, 16) for p in prepared for key in p.line_keys):
        keys[key >> 56].append(key)
    return _ChunkRead(spool, keys, skipped)


def _write_part(folder: Path, spools: list[Path], rules: Rules, repeated: _Repeated) -> tuple[Path, IndexReport]:
    """Pass 2 on a share of the spool: clean each document and index it in a part of its own."""
    folder.mkdir(parents=True)
    part = IndexReport()
    engine().create(folder)
    with engine().writer(folder) as writer:
        for spool in spools:
            with open(spool, "rb") as handle:
                prepared: list[Prepared] = pickle.load(handle)
            for document in prepared:
                article = finish(document, rules, repeated.holds)
                writer.add(article)
                part.added.append(article.doc_id)
                part.note(article)
                _step()
    return folder, part


_COUNTED = array("Q")
"""What a chunk holds of a bucket of keys once it is counted."""


class _Repeated:
    """The line keys carried by at least `min_docs` documents, as a sorted array.

    Most lines of an archive occur once, and the keys of a large archive
    are tens of millions: they are counted a bucket at a time (sorted as
    Python ints, 40 bytes each, only a 256th of them at once), each chunk's
    keys let go as they are counted, and what repeats is kept at 8 bytes a
    key, in this process and in each writing worker.
    """

    def __init__(self, read: list[_ChunkRead], min_docs: int) -> None:
        self.keys = array("Q")
        for bucket in range(KEY_BUCKETS):
            keys = array("Q")
            for chunk in read:
                keys.extend(chunk.keys[bucket])
                chunk.keys[bucket] = _COUNTED
            self.keys.extend(key for key, run in groupby(sorted(keys)) if sum(1 for _ in run) >= min_docs)

    def holds(self, key: str) -> bool:
        value = int(key, 16)
        at = bisect_left(self.keys, value)
        return at < len(self.keys) and self.keys[at] == value


# Workers and progress.

_counter: Any = None
"""Steps done, shared by the workers of a build (a multiprocessing.Value)."""


def _share(counter: Any) -> None:
    global _counter
    _counter = counter


def _start_worker(counter: Any, parent: int) -> None:
    """Set up a worker: share the step counter, and die with the parent.

    A worker is a fork of the indexing process and holds the archive's write
    lock with it; were it to outlive a killed parent, the lock would stay
    taken. Linux kills it when the parent dies (PR_SET_PDEATHSIG).
    """
    _share(counter)
    ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def _step() -> None:
    with _counter.get_lock():
        _counter.value += 1


class _Steps:
    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total = progress, total
        self.shared = multiprocessing.get_context("fork").Value("q", 0)
        _share(self.shared)

    def add(self, count: int) -> None:
        with self.shared.get_lock():
            self.shared.value += count
        self.show()

    def show(self) -> None:
        if self.progress:
            self.progress(self.shared.value, self.total)


def _run(pool: Executor, steps: _Steps, calls: list[tuple[Any, ...]]) -> list[Any]:
    """Run each (function, *arguments) on the pool; the results in order."""
    futures = [pool.submit(*call) for call in calls]
    while wait(futures, timeout=0.25).not_done:
        steps.show()
    steps.show()
    return [future.result() for future in futures]


@contextmanager
def _pool(workers: int, counter: Any) -> Iterator[Executor]:
    """Worker processes, forked; or this process alone for one worker.

    What this process holds (the list of files: 300 MB for a million) is
    left out of the workers' cycle collections, which would otherwise touch,
    and so copy into each worker, every page of it.
    """
    if workers == 1:
        yield _InProcess()
        return
    context = multiprocessing.get_context("fork")
    gc.freeze()
    try:
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_start_worker, initargs=(counter, os.getpid())
        ) as pool:
            yield pool
    finally:
        gc.unfreeze()


class _InProcess(Executor):
    """Runs each call at once, here: a small archive does not pay for processes."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)
        return future
