"""Cleaning speed on real news pages, with the parsers it could use as peers.

Not part of the test run. Reads ../shared/dev/extraction (skips when absent)
and prints, as medians of repeated passes over all pages:
  - the HTML path of the cleaner (decode, parse, extract, clean), pages/s
  - the text path on the same pages' text dumps, pages/s
  - peers measured in the same run: building a BeautifulSoup tree with
    html.parser and with lxml, and lxml's own tree, pages/s; trafilatura's
    extract() when it is installed.

    python tests/benchmarks/bench_clean.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import textwrap
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from bs4 import BeautifulSoup

from search.evaluate.cleaner import clean_html, clean_text_dump, text_dump, trafilatura_reference
from search.ingest.extract import parse_tree
from search.ingest.rules import load_rules
from search.ingest.sources import decode

DEV = Path(__file__).resolve().parents[3] / "shared" / "dev" / "extraction"


def rate(work: Callable[[], object], pages: int, repeat: int) -> float:
    """Median pages per second over `repeat` passes."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return pages / statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not (DEV / "pages").is_dir():
        print(f"skipped: {DEV} is absent")
        return
    rules = load_rules()
    pages = [path.read_bytes() for path in sorted((DEV / "pages").glob("*.html"))]
    texts = [decode(data, is_html=True)[0] for data in pages]
    dumps = [text_dump(text) for text in texts]
    megabytes = sum(len(data) for data in pages) / 1e6
    n = len(pages)
    print(f"{n} pages, {megabytes:.1f} MB, median of {args.repeat} passes, one core")
    rows = [
        ("cleaner, HTML path", lambda: [clean_html(d, str(i), rules) for i, d in enumerate(pages)]),
        ("cleaner, text path", lambda: [clean_text_dump(t, str(i), rules) for i, t in enumerate(dumps)]),
        ("peer: lxml tree only", lambda: [parse_tree(t) for t in texts]),
        ("peer: bs4 + html.parser", lambda: [BeautifulSoup(t, "html.parser") for t in texts]),
        ("peer: bs4 + lxml", lambda: [BeautifulSoup(t, "lxml") for t in texts]),
    ]
    reference = trafilatura_reference()
    if reference:
        rows.append((f"peer: {reference.name}", lambda: [reference.extract(d) for d in pages]))
    base = None
    for label, work in rows:
        pages_per_second = rate(work, n, args.repeat if "trafilatura" not in label else 1)
        base = base or pages_per_second
        print(f"{label:<28} {pages_per_second:8.1f} pages/s  {pages_per_second * megabytes / n:6.1f} MB/s"
              f"  x{pages_per_second / base:.2f} of the HTML path")  # fmt: skip
    for label, text in HUGE.items():
        seconds = n / rate(partial(clean_text_dump, text, "huge.txt", rules), n, args.repeat)
        print(f"text path, 1 MB, {label:<28} {seconds:6.2f} s  {len(text) / 1e6 / seconds:6.1f} MB/s")
    sys.stdout.flush()


SENTENCE = "the minister said the deal was signed on Monday in Belgrade, and"
HUGE = {
    "one hard-wrapped paragraph": "A title\n\n" + textwrap.fill(f"{SENTENCE} " * 15_000, 70),
    "a sentence cut at every line": "A title\n" + "\n".join([SENTENCE] * 15_000),
}
"""Files of about 1 MB whose lines all join into one paragraph."""


if __name__ == "__main__":
    main()
