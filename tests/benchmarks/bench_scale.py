"""The product at archive scale, against SQLite FTS5 doing the same work in the same run.

Not part of the test run. Builds an archive of N documents from Reuters-21578
(tests/benchmarks/corpus.py; needs ../shared/dev/news) and measures, through
the product itself (the `search` CLI in fresh processes, or the Archive API
for warm queries):

  - full `rebuild`: docs/s, MB/s of raw text, peak memory of all its
    processes together, index size
  - `index` with nothing changed, and `add` of 100 new documents
  - warm query latency, median and p95: one term, two terms, a phrase, a
    date range, outlet and year facets, a date range plus facets
  - cold CLI latency: a new process running `search query`

and the same documents and queries through SQLite FTS5 (Python's sqlite3;
porter stemming, diacritics removed; FTS5 is given the clean fields the
product has to recover from the raw files). Every product query also
counts hits by outlet and year; FTS5 counts the hits of each query, and runs
GROUP BY queries where the row says facets.

The product's processes run as an installed program does: Python keeps the
bytecode it compiles (PYTHONDONTWRITEBYTECODE, which this machine sets, is
removed from their environment; under it every new process compiles our
modules again, 0.2 s of a cold query and 0.7 s of `index`). The rebuild, and
one untimed query before the cold ones, compile what later processes need.

The product and FTS5 take turns, query by query, so that both see the
machine alike: on this virtual machine the same queries run a third slower
or faster from one hour to the next (its host takes a share of the cores).

    python tests/benchmarks/bench_scale.py --docs 100000 [--work /tmp/news-bench] [--repeat 3] [--build-only]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import REUTERS, Doc, documents, stories, write_archive  # noqa: E402

from search import Archive  # noqa: E402

WORDS = ["oil", "bank", "trade", "dollar", "grain", "profit", "shares", "tax", "coffee", "gold",
         "japan", "opec", "wheat", "loss", "market", "debt", "crude", "rates", "exports", "merger"]  # fmt: skip
PAIRS = [f"{a} {b}" for a, b in zip(WORDS, reversed(WORDS), strict=True)]
PHRASES = ["interest rates", "crude oil", "trade deficit", "central bank", "net profit", "stock split",
           "money supply", "federal reserve", "oil prices", "exchange rate"]  # fmt: skip
SPAN = ("2010", "2014")


@dataclass
class Row:
    name: str
    ours: str
    peer: str
    ratio: str


def main() -> None:
    options = _options()
    home, base, raw_bytes = archive_for(options)
    rows: list[Row] = []
    rows += _build_rows(home, options.docs, raw_bytes, options.workers)
    if options.build_only:
        _print(rows, options)
        return
    fts = options.work / f"fts-{options.docs}.db"
    fts_build = _fts_build(fts, documents(options.docs, base))
    rows.insert(1, Row("  SQLite FTS5 build", "", f"{options.docs / fts_build:,.0f} docs/s", ""))
    rows.append(_timed_row("index, nothing changed", lambda: _cli(home, "index"), options.repeat))
    rows += _add_rows(home, fts, options.docs, base)
    rows += _warm_rows(home, fts, options.repeat)
    rows += _cold_rows(home, fts, options.repeat)
    _print(rows, options)


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/news-bench"))
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timed operation (medians)")
    parser.add_argument("--workers", type=int, default=None, help="passed to `search rebuild --workers`")
    parser.add_argument("--build-only", action="store_true", help="measure the rebuild alone (for large N)")
    return parser.parse_args()


def archive_for(options: argparse.Namespace) -> tuple[Path, list[tuple[str, list[str]]], int]:
    """The benchmark archive of `options.docs` documents, its base stories and its raw bytes."""
    if not REUTERS.is_file():
        sys.exit(f"skipped: {REUTERS} is not there")
    home = options.work / f"archive-{options.docs}"
    base = stories()
    return home, base, _make_archive(home, options.docs, base)


def _make_archive(home: Path, n: int, base: list[tuple[str, list[str]]]) -> int:
    """The archive of `n` documents (made once, then reused); bytes of raw text."""
    marker = home / "made.json"
    if marker.is_file():
        for added in (home / "raw").glob(f"{ADDED}*"):  # left by a run that stopped before removing them
            shutil.rmtree(added)
        return int(json.loads(marker.read_text())["bytes"])
    shutil.rmtree(home, ignore_errors=True)
    size = write_archive(home, documents(n, base))
    marker.write_text(json.dumps({"bytes": size}))
    return int(size)


# The product.


_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
"""The environment of the product's processes: with Python's bytecode cache, as installed programs run."""


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "search", "--home", str(home), *args]
    return subprocess.run(command, capture_output=True, text=True, check=True, env=_ENV)


def _build_rows(home: Path, n: int, raw_bytes: int, workers: int | None) -> list[Row]:
    extra = ["--workers", str(workers)] if workers else []
    command = [sys.executable, "-m", "search", "--home", str(home), "rebuild", "--json", *extra]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, env=_ENV)
    peak = _peak_memory(process)
    seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p in (home / "index").rglob("*") if p.is_file())
    return [
        Row("rebuild (clean + index)", f"{n / seconds:,.0f} docs/s", "", ""),
        Row("  time, raw MB/s", f"{seconds:,.1f} s, {raw_bytes / seconds / 1e6:.2f} MB/s", "", ""),
        Row("  peak memory, all processes (PSS)", f"{peak / 1e6:,.0f} MB", "", ""),
        Row("  index size", f"{size / 1e6:,.0f} MB", "", ""),
    ]


SAMPLE_EVERY = 1.0
"""Seconds between memory samples. A sample of the build at its largest costs
40 ms of CPU (the kernel walks every page of each process for its PSS): ten a
second took 40 % of a core from the build it measured. The peaks (a worker's
commit) last seconds."""


def _peak_memory(process: subprocess.Popen[bytes]) -> int:
    """Wait for `process`; the most memory it and its children held at once (bytes)."""
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_memory(process.pid))
        time.sleep(SAMPLE_EVERY)
    if process.returncode != 0:
        sys.exit(f"rebuild failed with exit code {process.returncode}")
    return peak


def _tree_memory(root: int) -> int:
    """Bytes `root` and its descendants hold, by proportional set size: the
    workers are forked, and summing resident sizes would count every page
    they share with the parent once per process."""
    return sum(_pss(pid) for pid in _tree(root))


def _tree(pid: int) -> list[int]:
    """`pid` and its descendants, from the kernel's lists of children."""
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += (task / "children").read_text().split()
        except OSError:  # the task ended
            continue
    return [pid, *(descendant for child in children for descendant in _tree(int(child)))]


def _pss(pid: int) -> int:
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return 0
    return next((int(line.split()[1]) * 1024 for line in lines if line.startswith("Pss:")), 0)


ADDED = "new-"
"""How the folders of documents the benchmark adds are named, in the archive's raw/ once added."""


ADDS_IN_A_ROW = 11
"""`search add` runs in a row: ten leave ten segments of one order of size,
which the `search index` after them merges (`engine.whoosh.writing`)."""


def _add_rows(home: Path, fts: Path, n: int, base: list[tuple[str, list[str]]]) -> list[Row]:
    """`search add` of 100 new documents, ADDS_IN_A_ROW times, a new 100 each
    time; then the `search index` that removes them again (and merges what
    the adds left), so that the queries run on `n` documents."""
    runs: list[float] = []
    for run in range(ADDS_IN_A_ROW):
        batch = list(documents(n + 100 * (run + 1), base))[-100:]
        folder = home.parent / f"{ADDED}{time.time_ns()}"  # new ids each time, even on a reused archive
        shutil.rmtree(folder, ignore_errors=True)
        for doc in batch:
            (folder / doc.name).parent.mkdir(parents=True, exist_ok=True)
            (folder / doc.name).write_text(doc.raw_text(), "utf-8")
        runs.append(_seconds(partial(_cli, home, "add", str(folder))))
        shutil.rmtree(folder)  # `add` copied the documents into the archive
    for added in (home / "raw").glob(f"{ADDED}*"):
        shutil.rmtree(added)
    index = _seconds(partial(_cli, home, "index"))
    with sqlite3.connect(fts) as db:
        peer = _seconds(partial(_fts_add, db, batch))
    median, most = statistics.median(runs), max(runs)
    return [
        Row(
            f"add 100 documents, {ADDS_IN_A_ROW} in a row (median / max)",
            f"{median * 1000:,.0f} / {most * 1000:,.0f} ms",
            f"{peer * 1000:,.1f} ms",
            _times(median / peer),
        ),
        Row("  index after them: removes them, merges", f"{index * 1000:,.0f} ms", "", ""),
    ]


def _warm_rows(home: Path, fts: Path, repeat: int) -> list[Row]:
    archive = Archive(home)
    db = sqlite3.connect(fts)
    span: dict[str, Any] = {"date_from": SPAN[0], "date_to": SPAN[1]}
    cases: list[tuple[str, list[str], dict[str, Any], Callable[[sqlite3.Connection, str], object]]] = [
        ("warm query, one term", WORDS, {}, _fts_query),
        ("warm query, two terms", PAIRS, {}, _fts_query),
        ("warm query, phrase", [f'"{p}"' for p in PHRASES], {}, _fts_query),
        ("warm query, date range", WORDS, span, _fts_range),
        ("warm query, outlet + year facets", WORDS, {}, _fts_facets),
        ("warm query, date range + facets", WORDS, span, _fts_range_facets),
    ]
    archive.search(WORDS[0])  # opens the index and reads its columns once
    rows = []
    for name, texts, filters, peer in cases:
        ours, theirs = _in_turns(partial(archive.search, **filters), partial(peer, db), texts, repeat)
        rows.append(_latency_row(name, ours, theirs))
    return rows


def _cold_rows(home: Path, fts: Path, repeat: int) -> list[Row]:
    """A new process per query: the product's CLI, and Python running the FTS5 query."""
    rows = []
    words = WORDS[: 4 * repeat]
    _cli(home, "query", words[0])  # compiles what a query imports, as any first use does
    for name, extra, where in [("cold CLI query", (), ""), ("cold CLI query, date range", _SPAN_OPTIONS, _RANGE)]:
        ours, theirs = _in_turns(partial(_cli, home, "query", *extra), partial(_fts_cold, fts, where), words, 1)
        rows.append(_ratio_row(name + " (median)", statistics.median(ours), statistics.median(theirs)))
    return rows


def _fts_cold(fts: Path, where: str, word: str) -> None:
    script = "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2], sys.argv[3:]).fetchall())"
    subprocess.run([sys.executable, "-c", script, str(fts), _TOP.format(where), word], check=True, capture_output=True)


_SPAN_OPTIONS = ("--from", SPAN[0], "--to", SPAN[1])


# SQLite FTS5, the peer.


def _fts_build(path: Path, docs: Iterator[Doc]) -> float:
    """Seconds to build the FTS5 table of `docs`."""
    path.unlink(missing_ok=True)
    started = time.perf_counter()
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(title, body, outlet UNINDEXED, date UNINDEXED, year UNINDEXED, "
            "tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) == 1000:
                _fts_insert(db, batch)
                batch = []
        _fts_insert(db, batch)
        db.commit()
    return time.perf_counter() - started


def _fts_insert(db: sqlite3.Connection, docs: list[Doc]) -> None:
    rows = [(d.title, d.body, d.outlet, d.day.isoformat(), str(d.day.year)) for d in docs]
    db.executemany("INSERT INTO docs (title, body, outlet, date, year) VALUES (?, ?, ?, ?, ?)", rows)


def _fts_add(db: sqlite3.Connection, docs: list[Doc]) -> None:
    _fts_insert(db, docs)
    db.commit()


_TOP = "SELECT rowid, bm25(docs) FROM docs WHERE docs MATCH ?{} ORDER BY bm25(docs) LIMIT 10"
_COUNT = "SELECT count(*) FROM docs WHERE docs MATCH ?{}"
_GROUP = "SELECT {0}, count(*) FROM docs WHERE docs MATCH ?{1} GROUP BY {0}"
_RANGE = f" AND date BETWEEN '{SPAN[0]}-01-01' AND '{SPAN[1]}-12-31'"


def _fts_query(db: sqlite3.Connection, text: str, where: str = "") -> object:
    return db.execute(_TOP.format(where), (text,)).fetchall(), db.execute(_COUNT.format(where), (text,)).fetchall()


def _fts_range(db: sqlite3.Connection, text: str) -> object:
    return _fts_query(db, text, _RANGE)


def _fts_facets(db: sqlite3.Connection, text: str, where: str = "") -> object:
    groups = [db.execute(_GROUP.format(column, where), (text,)).fetchall() for column in ("outlet", "year")]
    return _fts_query(db, text, where), groups


def _fts_range_facets(db: sqlite3.Connection, text: str) -> object:
    return _fts_facets(db, text, _RANGE)


# Timing and the table.


def _seconds(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _latencies(work: Callable[[str], object], texts: list[str], repeat: int) -> list[float]:
    return [_seconds(partial(work, text)) for _ in range(repeat) for text in texts]


def _in_turns(
    ours: Callable[[str], object], theirs: Callable[[str], object], texts: list[str], repeat: int
) -> tuple[list[float], list[float]]:
    """Latencies of both over `texts`, `repeat` times, taking turns text by text."""
    mine: list[float] = []
    peer: list[float] = []
    for _ in range(repeat):
        for text in texts:
            mine.append(_seconds(partial(ours, text)))
            peer.append(_seconds(partial(theirs, text)))
    return mine, peer


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def _latency_row(name: str, ours: list[float], theirs: list[float]) -> Row:
    return Row(
        name + " (median / p95)",
        f"{1000 * statistics.median(ours):.1f} / {1000 * _p95(ours):.1f} ms",
        f"{1000 * statistics.median(theirs):.2f} / {1000 * _p95(theirs):.2f} ms",
        _times(statistics.median(ours) / statistics.median(theirs)),
    )


def _ratio_row(name: str, ours: float, theirs: float) -> Row:
    return Row(name, f"{1000 * ours:,.0f} ms", f"{1000 * theirs:,.1f} ms", _times(ours / theirs))


def _times(ratio: float) -> str:
    return f"{ratio:.0f}x" if ratio >= 10 else f"{ratio:.1f}x"


def _timed_row(name: str, work: Callable[[], object], repeat: int) -> Row:
    seconds = statistics.median(_seconds(work) for _ in range(repeat))
    return Row(name + " (median)", f"{1000 * seconds:,.0f} ms", "", "")


def _print(rows: list[Row], options: argparse.Namespace) -> None:
    print(f"\n{options.docs:,} documents, {os.cpu_count()} cores; ratio = product time / FTS5 time\n")
    width = max(len(row.name) for row in rows)
    print(f"| {'operation':<{width}} | {'news-search':>24} | {'SQLite FTS5':>20} | {'ratio':>5} |")
    print(f"|{'-' * (width + 2)}|{'-' * 26}:|{'-' * 22}:|{'-' * 6}:|")
    for row in rows:
        print(f"| {row.name:<{width}} | {row.ours:>24} | {row.peer:>20} | {row.ratio:>5} |")


if __name__ == "__main__":
    main()
