"""The segment writer against Whoosh's own, on whole Reuters stories.

The stories are cleaned once; then each writer, in turns, writes their index
fields as one segment (`add_document` for each, then the commit), `--repeat`
times: the medians of both phases, and the ratio. It also counts the
postings of a document by field. Needs ../shared/dev/news.

    python tests/benchmarks/bench_writer.py --docs 3000 --repeat 5
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.index import Index
from whoosh.writing import SegmentWriter

from search.engine.whoosh.schema import build_schema, to_fields
from search.engine.whoosh.writing import open_writer
from search.ingest.pipeline import finish, prepare
from search.ingest.rules import load_rules
from search.ingest.sources import scan

from .corpus import REUTERS, documents, write_archive


def _whooshs(ix: Index) -> SegmentWriter:
    return ix.writer()


WRITERS: dict[str, Callable[[Index], SegmentWriter]] = {"Whoosh's": _whooshs, "ours": open_writer}


def main() -> None:
    options = _options()
    if not REUTERS.is_file():
        sys.exit(f"skipped: {REUTERS} is not there")
    with tempfile.TemporaryDirectory() as work:
        fields = _fields(Path(work) / "archive", options.docs)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in WRITERS}
        for run in range(options.repeat):
            for name, make in WRITERS.items():
                times[name].append(_write(Path(work) / f"{name}-{run}", fields, make))
        postings = _postings(Path(work) / f"ours-{options.repeat - 1}")
    print(f"{options.docs:,} whole Reuters stories, one segment, medians of {options.repeat}")
    medians = {name: [statistics.median(phase) for phase in zip(*runs, strict=True)] for name, runs in times.items()}
    for name, (adding, commit) in medians.items():
        print(f"  {name:9} add {adding:6.2f} s  commit {commit:6.2f} s  total {adding + commit:6.2f} s")
    theirs, ours = (sum(medians[name]) for name in WRITERS)
    print(f"  Whoosh's / ours: {theirs / ours:.2f}x")
    total = sum(postings.values())
    by_field = ", ".join(f"{field} {count / options.docs:.1f}" for field, count in postings.most_common())
    print(f"  postings a document: {total / options.docs:.1f} ({by_field})")


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=5)
    return parser.parse_args()


def _fields(home: Path, count: int) -> list[dict[str, Any]]:
    """The index fields of `count` stories, cleaned as `search rebuild` cleans them."""
    write_archive(home, documents(count))
    rules = load_rules(home / "rules.toml")
    prepared = [prepare(source, rules) for source in scan(home / "raw")[0]]
    carried = Counter(key for document in prepared for key in set(document.line_keys))
    repeated = {key for key, documents in carried.items() if documents >= rules.repeat_min_docs}
    return [to_fields(finish(document, rules, repeated.__contains__)) for document in prepared]


def _write(folder: Path, fields: list[dict[str, Any]], make: Callable[[Index], SegmentWriter]) -> tuple[float, float]:
    """Seconds to add the documents, and to commit them."""
    folder.mkdir()
    writer = make(whoosh_index.create_in(str(folder), build_schema()))
    start = time.perf_counter()
    for document in fields:
        writer.add_document(**document)
    added = time.perf_counter()
    writer.commit()
    return added - start, time.perf_counter() - added


def _postings(folder: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    with whoosh_index.open_dir(str(folder)).reader() as reader:
        for field, text in reader.all_terms():
            counts[field] += reader.doc_frequency(field, text)
    return counts


if __name__ == "__main__":
    main()
