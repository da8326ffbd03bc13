"""Archives of any size made from real news text, for the scale benchmark.

The base is the Reuters-21578 collection of ../shared/dev/news (21,578 wire
stories of about 160 words). Document i is Reuters story i while there are
stories left; beyond that it is deterministically recombined: the first
sentences of one story with the last of another, under the first story's
title. Every document gets an outlet (one of OUTLETS, with its boilerplate
footer, which repetition counting must strip) and a date spread over
2000-2025, written as a dateline the cleaner must find. Same `n`, same files.

`Doc` is also what the SQLite FTS5 peer indexes: the clean fields, which the
product has to recover from the raw files.
"""

from __future__ import annotations

import json
import random
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

REUTERS = Path(__file__).resolve().parents[3] / "shared" / "dev" / "news" / "reuters21578.jsonl"
FIRST_DAY = date(2000, 1, 1)
DAYS = 26 * 365
FILES_PER_FOLDER = 1000
WIRE_WIDTH = 70

# Outlets of the synthetic archive, each with a fingerprint line and a footer.
OUTLETS = [
    ("Northwind Wire", "Northwind Wire: independent reporting since 1998", "Subscribe to the Northwind morning brief."),
    ("Baltic Ledger", "© Baltic Ledger. All rights reserved.", "Support independent journalism: donate today."),
    ("Danube Post", "Danube Post – news from the region", "Follow us on Telegram and X for breaking news."),
    ("Harbour Times", "Harbour Times | contact: desk@harbourtimes.example", "Sign up for our weekly newsletter."),
    ("Meridian Daily", "Meridian Daily – all the news that matters", "Share this article with your friends."),
    ("Steppe Observer", "Steppe Observer, reader-funded since 2004", "Become a member and read without ads."),
    ("Adriatic Monitor", "Adriatic Monitor editorial office", "Corrections? Write to the Adriatic Monitor desk."),
    ("Caspian Review", "Caspian Review – analysis and reports", "Download the Caspian Review app."),
]

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")


@dataclass(frozen=True)
class Doc:
    number: int
    title: str
    body: str
    outlet: str
    day: date

    @property
    def name(self) -> str:
        return f"{self.number // FILES_PER_FOLDER:04d}/doc-{self.number:07d}.txt"

    def raw_text(self) -> str:
        """The document as filed: the title, a dateline, the story hard-wrapped
        at WIRE_WIDTH columns with no blank line between its paragraphs (as
        the Reuters wire filed it), then the outlet's footer."""
        _, fingerprint, footer = OUTLETS[self.number % len(OUTLETS)]
        dateline = f"{self.day:%B} {self.day.day}, {self.day.year}"
        story = "\n".join(textwrap.fill(paragraph, WIRE_WIDTH) for paragraph in self.body.split("\n"))
        return "\n".join([self.title, dateline, "", story, "", footer, fingerprint, ""])


def stories() -> list[tuple[str, list[str]]]:
    """Reuters stories with a title and at least 20 words, as sentences."""
    found = []
    with open(REUTERS, encoding="utf-8") as handle:
        for line in handle:
            story = json.loads(line)
            text = " ".join((story.get("text") or "").split())
            if story.get("title") and len(text.split()) >= 20:
                found.append((story["title"].title(), _SENTENCE_END.split(text)))
    return found


def documents(n: int, base: list[tuple[str, list[str]]] | None = None) -> Iterator[Doc]:
    """The first `n` documents of the synthetic archive, in order."""
    base = base or stories()
    for number in range(n):
        pick = random.Random(number)
        title, sentences = base[number % len(base)]
        if number >= len(base):
            _, other = base[pick.randrange(len(base))]
            cut = max(1, len(sentences) // 2)
            sentences = sentences[:cut] + other[len(other) // 2 :]
        paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
        outlet = OUTLETS[number % len(OUTLETS)][0]
        day = FIRST_DAY + timedelta(days=pick.randrange(DAYS))
        yield Doc(number, title, "\n".join(paragraphs), outlet, day)


def rules_toml() -> str:
    """The archive's rules.toml: the outlets by their fingerprints."""
    entries = [
        f'[[outlets]]\nname = "{name}"\ndomains = []\nfingerprints = [{json.dumps("^" + re.escape(print_) + "$")}]\n'
        for name, print_, _ in OUTLETS
    ]
    return "\n".join(entries)


def write_archive(home: Path, docs: Iterator[Doc]) -> int:
    """Write documents into `home/raw` and the outlet rules; returns bytes written."""
    (home / "raw").mkdir(parents=True, exist_ok=True)
    (home / "rules.toml").write_text(rules_toml(), "utf-8")
    size = 0
    for doc in docs:
        path = home / "raw" / doc.name
        path.parent.mkdir(exist_ok=True)
        data = doc.raw_text().encode("utf-8")
        path.write_bytes(data)
        size += len(data)
    return size
