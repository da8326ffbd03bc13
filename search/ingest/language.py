"""The language of a document: the code its source declares, made an ISO
639-1 code ("en-US", "English" and "en_GB" are all "en"), else told from its
text by the languages of `data/languages.toml`.

Telling a language by its commonest words is what Cavnar and Trenkle's
n-gram profiles and the stop-word methods of Lucene's and Solr's detectors
come down to on text as long as a news article; it needs no model, and the
profiles are data a user can extend.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from functools import cache
from pathlib import Path
from typing import NamedTuple

from ..text.analysis import LETTERS

SHIPPED = Path(__file__).parents[1] / "data" / "languages.toml"
READ_WORDS = 2_000
"""Words read from the start of a text: enough to tell any two languages listed apart."""
MIN_WORDS = 5
"""Listed words a text must hold for its language to be told; a shorter one has none."""
MIN_LETTERS = 0.1
"""The share of a text's letters a script must make to tell its language."""

_WORD = re.compile(LETTERS)
_LETTER = re.compile(r"[^\W\d_]")
_CODE = re.compile(r"[a-z]{2,3}")


class Profiles(NamedTuple):
    listed: tuple[str, ...]
    """The languages that list common words, in the order of the data file (which wins a tie)."""
    words: dict[str, tuple[str, ...]]
    """A listed word -> the languages listing it."""
    letters: list[tuple[str, re.Pattern[str]]]
    names: dict[str, str]
    """Name of a language, lowercased -> its code."""


def language(declared: str | None, body: str | None) -> str | None:
    """The language `body` is written in, else the declared one as a code;
    None when neither says. Without a body (a user's value), the declared one.

    The text comes first: pages declare the language of their site's
    template, and on the development pages that declare one, 3 in 87 declare
    another language than their article's; telling it from the text was
    right on all 87 (tests/test_fields.py).
    """
    found = detect(body) if body else None
    return found or (code(declared) if declared else None)


def code(declared: str) -> str | None:
    """The ISO 639-1 code of a declared language (a tag such as "sr-Latn-RS",
    a locale such as "en_GB", or a name); None for one it cannot read."""
    written = declared.strip().lower()
    named = _profiles().names.get(written)
    if named:
        return named
    primary = re.split(r"[-_]", written, maxsplit=1)[0]
    return primary if _CODE.fullmatch(primary) else None


def detect(text: str) -> str | None:
    """The listed language the text is written in, or None if it holds too
    few words of any (a short note, figures, a language not listed)."""
    profiles = _profiles()
    sample = text[: READ_WORDS * 12]
    if not sample.isascii():  # every script listed is outside ASCII
        letters = len(_LETTER.findall(sample))
        for name, script in profiles.letters:
            if len(script.findall(sample)) >= MIN_LETTERS * letters:
                return name
    counts = Counter(map(str.lower, _WORD.findall(sample)[:READ_WORDS]))
    scores = dict.fromkeys(profiles.listed, 0)
    for word in counts.keys() & profiles.words.keys():
        for name in profiles.words[word]:
            scores[name] += counts[word]
    best = max(scores, key=scores.__getitem__, default=None)
    return best if best is not None and scores[best] >= MIN_WORDS else None


@cache
def _profiles() -> Profiles:
    with open(SHIPPED, "rb") as handle:
        languages = tomllib.load(handle)["languages"]
    listing = {name: entry["words"] for name, entry in languages.items() if "words" in entry}
    words: dict[str, tuple[str, ...]] = {}
    for name, listed in listing.items():
        for word in dict.fromkeys(listed):
            words[word] = (*words.get(word, ()), name)
    return Profiles(
        listed=tuple(listing),
        words=words,
        letters=[
            (name, re.compile(f"[{''.join(entry['letters'])}]"))
            for name, entry in languages.items()
            if "letters" in entry
        ],
        names={written.lower(): name for name, entry in languages.items() for written in entry.get("names", ())},
    )
