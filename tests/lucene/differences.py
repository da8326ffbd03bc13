"""How often Lucene, analysing with the exported mapping, makes another term
than ours, on the development texts: the Reuters stories and the web
articles (in several languages) of ../shared/dev. Prints the terms compared,
those that differ, and each kind of difference with its count, most first.
Needs a JDK and Debian's Lucene (see tests/lucene/__init__.py).

    python -m tests.lucene.differences --stories 3000
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

from search.engine import engine
from search.interop.opensearch import mapping
from search.text.names import alias_spellings

from ..benchmarks.corpus import REUTERS
from . import INSTALL, Lucene, missing, our_terms

GOLD = REUTERS.parents[1] / "extraction" / "gold.json"


def texts(stories: int) -> list[str]:
    """The first `stories` Reuters stories and every web article of the extraction set."""
    with open(REUTERS, encoding="utf-8") as handle:
        wire = [json.loads(line).get("text") or "" for line, _ in zip(handle, range(stories), strict=False)]
    pages = [page["body"] for page in json.loads(GOLD.read_text("utf-8")).values()]
    return wire + pages


def differences(ours: list[str], theirs: list[str]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """The runs of terms in which the two sequences part."""
    matcher = difflib.SequenceMatcher(a=ours, b=theirs, autojunk=False)
    return [(tuple(ours[i:j]), tuple(theirs[k:m])) for op, i, j, k, m in matcher.get_opcodes() if op != "equal"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=3000)
    options = parser.parse_args()
    if missing() or not (REUTERS.is_file() and GOLD.is_file()):
        sys.exit(f"needs ../shared/dev and {', '.join(missing()) or 'Lucene'} ({INSTALL})")
    found = texts(options.stories)
    exported = mapping(engine().analysis().stop_words, alias_spellings(None))
    with tempfile.TemporaryDirectory() as folder:
        theirs = Lucene(Path(folder)).terms(exported, found, Path(folder))
    kinds: Counter[tuple[str, tuple[str, ...], tuple[str, ...]]] = Counter()
    compared = 0
    for text, terms in zip(found, theirs, strict=True):
        exact, folded = our_terms(text)
        compared += len(exact) + len(folded)
        for name, ours, lucenes in (("exact", exact, terms["news"]), ("folded", folded, terms["news_folded"])):
            kinds.update((name, *pair) for pair in differences(ours, lucenes))
    differing = sum(max(len(mine), len(part)) * n for (_, mine, part), n in kinds.items())
    print(f"{len(found):,} texts, {compared:,} terms compared (exact and folded): {differing:,} differ")
    for (name, mine, part), count in kinds.most_common(25):
        print(f"{count:6,}  {name:6}  ours {' '.join(mine)[:60]!r:64} Lucene {' '.join(part)[:60]!r}")


if __name__ == "__main__":
    main()
