"""What finding quotes adds to a rebuild, on whole Reuters stories.

Two measures in one run, on the same archive of `--docs` whole stories (filed
hard-wrapped, as in the scale benchmark):
- `search rebuild` with the code of `--before` (a revision from
  before quotes were found, checked out in a git worktree) and with this
  tree, in turns, `--repeat` times each: the medians and what the second adds;
- the quote finder alone (`ingest.quotes.quotations`) on the cleaned bodies,
  as a share of this tree's rebuild.
It prints the quotes and speakers found too. Needs ../shared/dev/news.

    python tests/benchmarks/bench_quotes.py --docs 5000 --before 688988a
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from search.ingest.pipeline import finish, never_repeated, prepare
from search.ingest.quotes import quotations
from search.ingest.rules import load_rules
from search.ingest.sources import SourceFile

from .corpus import REUTERS, documents, write_archive

PROJECT = Path(__file__).resolve().parents[2]


def main() -> None:
    options = _options()
    if not REUTERS.is_file():
        sys.exit(f"skipped: {REUTERS} is not there")
    with tempfile.TemporaryDirectory() as work:
        home, before = Path(work) / "archive", Path(work) / "before"
        write_archive(home, documents(options.docs))
        subprocess.run(["git", "worktree", "add", "--detach", str(before), options.before], cwd=PROJECT, check=True)
        try:
            times = _rebuilds(home, {"before": before, "after": PROJECT}, options.repeat, options.workers)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(before)], cwd=PROJECT, check=True)
        finding, quotes, speakers = _finder(home)
    old, new = statistics.median(times["before"]), statistics.median(times["after"])
    print(f"{options.docs:,} whole Reuters stories, rebuild --workers {options.workers}, medians of {options.repeat}")
    print(f"  before ({options.before}): {old:6.1f} s  {options.docs / old:5.0f} docs/s")
    print(f"  after (this tree):  {new:6.1f} s  {options.docs / new:5.0f} docs/s  (+{100 * (new - old) / old:.1f} %)")
    print(f"  the finder alone:   {finding:6.1f} s  ({100 * finding / new:.1f} % of the rebuild)")
    print(f"  {quotes:,} quotes found, {speakers:,} with a speaker")


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--before", default="688988a", help="a revision from before quotes were found")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1, help="passed to `search rebuild --workers`")
    return parser.parse_args()


def _rebuilds(home: Path, trees: dict[str, Path], repeat: int, workers: int) -> dict[str, list[float]]:
    """Seconds of each tree's rebuild, run in turns so that both see the same machine."""
    times: dict[str, list[float]] = {name: [] for name in trees}
    for _ in range(repeat):
        for name, tree in trees.items():
            environment = os.environ | {"PYTHONPATH": str(tree)}
            command = [
                sys.executable,
                "-m",
                "search",
                "--home",
                str(home),
                "rebuild",
                "--workers",
                str(workers),
                "--json",
            ]
            started = time.perf_counter()
            subprocess.run(command, env=environment, cwd=tree, stdout=subprocess.DEVNULL, check=True)
            times[name].append(time.perf_counter() - started)
    return times


def _finder(home: Path) -> tuple[float, int, int]:
    """Seconds of the quote finder on every cleaned body; quotes and speakers found."""
    rules = load_rules(home / "rules.toml")
    bodies = []
    for path in sorted((home / "raw").rglob("*.txt")):
        article = finish(prepare(SourceFile(path.name, path, ""), rules), rules, never_repeated)
        bodies.append((article.body, article.metadata.get("language")))
    started = time.perf_counter()
    found = [quotations(body, rules.quotes.of(language))[0] for body, language in bodies]
    seconds = time.perf_counter() - started
    quotes = [quote for each in found for quote in each]
    return seconds, len(quotes), sum(1 for quote in quotes if quote.speaker)


if __name__ == "__main__":
    main()
