"""Scores of the quotation finder against spans labelled by hand.

A gold file lists documents (`file`, relative to `root`) and, for each, every
span between quotation marks: its first words (`begins`), whether it is
speech and, if so, its speaker (null when the text names none). Each file
goes through the whole cleaner, as `search index` reads it, and its quotes
are compared with the labels:

- recall: of the speech spans, the share found as quotes;
- speaker accuracy: of the speech spans found, the share whose speaker is
  right (the same surname, folded, or both none);
- non-speech taken: of the spans that are not speech (scare quotes, titles,
  names of things), the share taken for quotes.

A found quote matches a span when its words, folded, begin with the span's
first words: quotes are found whole, labels name them by how they begin.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import SourceError
from ..ingest.pipeline import finish, never_repeated, prepare
from ..ingest.rules import Rules
from ..ingest.sources import SourceFile
from ..model import Quote
from ..text.names import fold

_WORD = re.compile(r"\w+")


class Miss(NamedTuple):
    """A span the finder got wrong, for the details."""

    file: str
    begins: str
    why: str
    """"missed", "speaker: FOUND" or "not speech"."""


class QuoteScores(NamedTuple):
    documents: int
    skipped: int
    """Documents whose file is not there (development data not at hand)."""
    speech: int
    found: int
    speaker_right: int
    other: int
    """Spans that are not speech."""
    other_taken: int
    misses: tuple[Miss, ...]

    @property
    def recall(self) -> float:
        return self.found / self.speech if self.speech else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_right / self.found if self.found else 0.0

    @property
    def other_taken_share(self) -> float:
        return self.other_taken / self.other if self.other else 0.0


def evaluate_quotes(gold: Path, rules: Rules, root: Path) -> QuoteScores:
    """Score the finder on every document of `gold` whose file is under `root`."""
    documents = _read_gold(gold)
    speech = found = right = other = taken = skipped = 0
    misses: list[Miss] = []
    for document in documents:
        path = root / document["file"]
        if not path.is_file():
            skipped += 1
            continue
        quotes = _quotes(path, rules)
        for span in document["spans"]:
            quote = _matching(span["begins"], quotes)
            if not span["speech"]:
                other += 1
                taken += quote is not None
                if quote:
                    misses.append(Miss(document["file"], span["begins"], "not speech"))
                continue
            speech += 1
            if quote is None:
                misses.append(Miss(document["file"], span["begins"], "missed"))
                continue
            found += 1
            if _same_speaker(quote.speaker, span.get("speaker")):
                right += 1
            else:
                misses.append(Miss(document["file"], span["begins"], f"speaker: {quote.speaker}"))
    return QuoteScores(len(documents) - skipped, skipped, speech, found, right, other, taken, tuple(misses))


def _read_gold(gold: Path) -> list[dict[str, Any]]:
    try:
        documents: list[dict[str, Any]] = json.loads(gold.read_text("utf-8"))["documents"]
        for document in documents:
            for span in document["spans"]:
                span["begins"], span["speech"]  # noqa: B018 (each span must have both)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SourceError(
            f"{gold}: not a gold file of quotations ({exc}); see tests/fixtures/quotes-gold.json for the shape"
        ) from exc
    return documents


def _quotes(path: Path, rules: Rules) -> tuple[Quote, ...]:
    return finish(prepare(SourceFile(path.name, path, ""), rules), rules, never_repeated).quotes


def _folded(text: str) -> str:
    return " ".join(_WORD.findall(fold(text)))


def _matching(begins: str, quotes: tuple[Quote, ...]) -> Quote | None:
    wanted = _folded(begins)
    return next((quote for quote in quotes if _folded(quote.text).startswith(wanted)), None)


def _same_speaker(found: str | None, gold: str | None) -> bool:
    if found is None or gold is None:
        return found is None and gold is None
    return _folded(found).split()[-1:] == _folded(gold).split()[-1:]
