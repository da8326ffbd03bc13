"""The slowest of any query: a fuzzing run of generated queries against an archive.

Not part of the test run. On the scale benchmark's archive of N documents
(tests/benchmarks/bench_scale.py makes it; needs ../shared/dev/news), with one
document of 8 MB added that repeats the archive's words, runs 1,000 queries
generated from a fixed seed through a warm Archive (as a server would): words
of the archive, misspellings, long and unknown words, prefixes and infix
wildcards, fuzzy words, phrases, NOT and date ranges, and queries of hundreds
of words. Prints the median, the 95th percentile and the slowest queries with
what each ended in (hits, or the one-line error), and the time of a snippet
of the 8 MB document.

    python tests/benchmarks/bench_queries.py --docs 100000 [--work /tmp/news-bench] [--queries 1000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from search import Archive  # noqa: E402
from search.errors import SearchError  # noqa: E402
from tests.benchmarks.bench_scale import archive_for  # noqa: E402

HUGE = "huge/eight-megabytes.txt"
HUGE_BYTES = 8_000_000


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/news-bench"))
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


def vocabulary(home: Path, rng: random.Random) -> list[str]:
    """Words of the archive's own files, a sample of them."""
    files = sorted((home / "raw").rglob("*.txt"))
    words: set[str] = set()
    for path in rng.sample(files, min(300, len(files))):
        words.update(word.strip(".,;:()\"'") for word in path.read_text("utf-8").split())
    return sorted(word for word in words if word.isalpha())


def queries(words: list[str], rng: random.Random, n: int) -> list[str]:
    def word() -> str:
        return rng.choice(words)

    def typo() -> str:
        w = word()
        at = rng.randrange(len(w))
        return w[:at] + rng.choice("aeiouxqz") + w[at + 1 :]

    makers = [
        lambda: word(),
        lambda: f"{word()} {word()}",
        lambda: f"{typo()} {typo()}",
        lambda: f'"{word()} {word()} {word()}"',
        lambda: f"{word()[:2]}*",
        lambda: f"*{word()[1:3]}*",
        lambda: " ".join(f"{word()[:3]}*" for _ in range(5)),
        lambda: f"{word()}~2 {word()}~2 {word()}~",
        lambda: f"{word()} -{word()} OR {word()}",
        lambda: f"{word()} date:[1987 TO 2024]",
        lambda: "".join(rng.choice("abcdefghij") for _ in range(rng.randint(30, 255))),
        lambda: " OR ".join(word() for _ in range(rng.randint(50, 340))),
        lambda: " ".join(word() for _ in range(rng.randint(200, 1024))),
    ]
    return [rng.choice(makers)() for _ in range(n)]


def huge_document(home: Path, words: list[str], rng: random.Random) -> None:
    path = home / "raw" / HUGE
    if path.is_file():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    lines, size = ["An eight-megabyte document", ""], 0
    while size < HUGE_BYTES:
        line = " ".join(rng.choice(words) for _ in range(12)) + "."
        lines.append(line)
        size += len(line) + 1
    path.write_text("\n".join(lines) + "\n", "utf-8")


def main() -> None:
    options = _options()
    home, _, _ = archive_for(options)
    rng = random.Random(options.seed)
    words = vocabulary(home, rng)
    huge_document(home, words, rng)
    archive = Archive(home)
    archive.update()
    archive.search("oil")  # open the searcher and read the columns once, as a server would
    timings = []
    for text in queries(words, rng, options.queries):
        started = time.perf_counter()
        try:
            found = archive.search(text)
            outcome = f"{found.total} hits"
        except SearchError as exc:
            outcome = f"error: {str(exc)[:70]}"
        timings.append((time.perf_counter() - started, text, outcome))
    seconds = sorted(t for t, _, _ in timings)
    print(f"{len(timings)} generated queries on {options.docs:,} documents, warm (seed {options.seed})")
    print(f"median {statistics.median(seconds) * 1000:.0f} ms, p95 {seconds[int(0.95 * len(seconds))] * 1000:.0f} ms")
    print("slowest:")
    for spent, text, outcome in sorted(timings, reverse=True)[:8]:
        shown = text if len(text) <= 60 else text[:57] + "..."
        print(f"  {spent * 1000:7.0f} ms  {shown!r:64} {outcome}")
    word = next(w for w in words if archive.search(f'id:"{HUGE}" {w}').total)
    started = time.perf_counter()
    snippet = archive.search(f'id:"{HUGE}" {word}').hits[0].snippet.marked()
    spent = (time.perf_counter() - started) * 1000
    print(f"the 8 MB document found by {word!r}, its snippet made: {spent:.0f} ms ({len(snippet)} characters)")


if __name__ == "__main__":
    main()
