"""Exploring result sets at archive scale, against SQLite FTS5 where it can do the same.

Not part of the test run. Uses the archive bench_scale.py makes (built if
missing) and measures:

  - what stories cost at index time: `shingles.bands` against the analysis of
    the same bodies, one core, and the `story` field's share of the index
  - exports of every hit of a common word through the CLI (`--format jsonl`,
    `csv`, `trec`): time and peak memory of the process; FTS5 writing the
    same hits with its snippet() to CSV in the same run
  - warm timeline by month, split by outlet (FTS5: GROUP BY month, outlet),
    significant terms, --collapse, `story`, `watch run`: medians

    python tests/benchmarks/bench_explore.py --docs 100000 [--work /tmp/news-bench]
"""

from __future__ import annotations

import argparse
import csv
import sqlite3
import statistics
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import _ENV, WORDS, Row, _build_rows, _fts_build, _latencies, _print, _seconds, archive_for  # noqa: E402
from corpus import documents  # noqa: E402

from search import Archive, SearchRequest  # noqa: E402
from search.engine.whoosh.schema import news_analyzer  # noqa: E402
from search.engine.whoosh.storage import open_index  # noqa: E402
from search.explore.watches import Watch  # noqa: E402
from search.text.shingles import bands  # noqa: E402

EXPORTED = "oil"


def main() -> None:
    options = _options()
    home, base, raw_bytes = archive_for(options)
    rows: list[Row] = []
    if not (home / "index").is_dir():
        rows += _build_rows(home, options.docs, raw_bytes, None)
    archive = Archive(home)
    rows += _band_rows(archive)
    fts = options.work / f"fts-{options.docs}.db"
    if not fts.is_file():
        _fts_build(fts, documents(options.docs, base))
    rows += _export_rows(home, fts)
    rows += _analysis_rows(archive, fts)
    _print(rows, options)


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/news-bench"))
    return parser.parse_args()


def _band_rows(archive: Archive) -> list[Row]:
    """Bands against analysis on the first 2,000 bodies; the story field's share of the postings."""
    searcher = open_index(archive.store.live()).searcher()
    bodies = [searcher.stored_fields(n).get("body", "") for n in range(min(2000, searcher.doc_count_all()))]
    analyzer = news_analyzer()
    analysis = _seconds(lambda: [list(analyzer(body)) for body in bodies])
    banding = _seconds(lambda: [bands(body) for body in bodies])
    reader = searcher.reader()
    story_terms = sum(1 for _ in reader.lexicon("story"))
    body_terms = sum(1 for _ in reader.lexicon("body"))
    return [
        Row("story bands per document / analysis", f"{1e3 * banding / len(bodies):.2f} ms", "", ""),
        Row("  against analysing the body", f"{1e3 * analysis / len(bodies):.2f} ms", "", f"{banding / analysis:.2f}"),
        Row("  story terms / body terms in the index", f"{story_terms:,} / {body_terms:,}", "", ""),
    ]


def _export_rows(home: Path, fts: Path) -> list[Row]:
    rows = []
    peer = _seconds(partial(_fts_export, fts))
    for form in ("jsonl", "csv", "trec"):
        command = [sys.executable, "-m", "search", "--home", str(home), "query", EXPORTED, "--format", form]
        started = time.perf_counter()
        timed = subprocess.run(
            ["/usr/bin/time", "-f", "%M", *command], capture_output=True, text=True, check=True, env=_ENV
        )
        seconds = time.perf_counter() - started
        hits = timed.stdout.count("\n") - (form == "csv")
        peak = int(timed.stderr.strip().splitlines()[-1]) / 1024
        name = f"export every '{EXPORTED}' hit, --format {form}"
        rows.append(Row(name, f"{hits:,} hits, {seconds:.1f} s, {peak:,.0f} MB", "", ""))
    rows.append(Row("  FTS5: the same hits with snippet() to CSV", "", f"{peer:.1f} s", ""))
    return rows


def _fts_export(fts: Path) -> None:
    with sqlite3.connect(fts) as db, open("/dev/null", "w", newline="") as sink:
        writer = csv.writer(sink)
        query = (
            "SELECT rowid, bm25(docs), date, outlet, title, snippet(docs, 1, '**', '**', '…', 30) "
            "FROM docs WHERE docs MATCH ? ORDER BY bm25(docs)"
        )
        for row in db.execute(query, (EXPORTED,)):
            writer.writerow(row)


def _analysis_rows(archive: Archive, fts: Path) -> list[Row]:
    db = sqlite3.connect(fts)
    words = WORDS[:6]
    month = "SELECT substr(date, 1, 7), outlet, count(*) FROM docs WHERE docs MATCH ? GROUP BY 1, 2"
    timeline = _latencies(lambda w: archive.timeline(SearchRequest(w), "month", by_outlet=True), words, 1)
    peer = _latencies(lambda w: db.execute(month, (w,)).fetchall(), words, 1)
    terms = _latencies(lambda w: archive.terms(SearchRequest(w)), words, 1)
    collapse = _latencies(lambda w: archive.search(w, collapse=True), words, 1)
    first = [archive.search(w, limit=1).hits[0].doc_id for w in words]
    story = _latencies(archive.story, first, 1)
    sizes = [len(archive.story(doc_id)) for doc_id in first]
    archive.watches.folder = archive.home.parent / "bench-watches"
    for w in words:
        if w not in {watch.name for watch in archive.watches.all()}:
            archive.watch_add(Watch(w, w))
    watch = _latencies(lambda w: archive.watch_run(w), words, 1)
    return [
        _median_row("warm timeline by month and outlet", timeline, peer),
        _median_row("warm significant terms (200-document sample)", terms, None),
        _median_row("warm query --collapse, first page", collapse, None),
        _median_row(f"story of the best hit (sizes {', '.join(map(str, sizes))})", story, None),
        _median_row("watch run, nothing new", watch, None),
    ]


def _median_row(name: str, ours: list[float], theirs: list[float] | None) -> Row:
    mine = statistics.median(ours)
    if theirs is None:
        return Row(name + " (median)", f"{1000 * mine:,.0f} ms", "", "")
    peer = statistics.median(theirs)
    return Row(name + " (median)", f"{1000 * mine:,.0f} ms", f"{1000 * peer:,.1f} ms", f"{mine / peer:.1f}x")


if __name__ == "__main__":
    main()
