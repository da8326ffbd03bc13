"""The cue words of quotations, loaded from editable data (data/quotes.toml).

What marks a quotation, which verbs say that someone spoke, which words are
titles, pronouns or organisations: lists a user extends for another
language or house style, not code (`ingest.quotes` reads them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

SHIPPED = Path(__file__).parents[1] / "data" / "quotes.toml"
FALLBACK = "en"
LISTS = (
    "verbs",
    "sources",
    "pronouns",
    "group_pronouns",
    "titles",
    "organisations",
    "not_names",
    "particles",
    "abbreviations",
)

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class QuoteRules:
    marks: dict[str, tuple[str, ...]]
    """Each opening mark, with the marks that close it."""
    verbs: frozenset[Phrase]
    sources: frozenset[Phrase]
    pronouns: frozenset[str]
    group_pronouns: frozenset[str]
    titles: frozenset[str]
    organisations: frozenset[str]
    not_names: frozenset[str]
    particles: frozenset[str]
    abbreviations: frozenset[str]
    continued_paragraphs: int
    name_words: int
    speech_words: int
    cue_after: int
    speaker_before: int

    @cached_property
    def openings(self) -> re.Pattern[str]:
        return re.compile("[" + re.escape("".join(self.marks)) + "]")

    @cached_property
    def tokens(self) -> re.Pattern[str]:
        """Words (an abbreviation with its full stop, "U.S.", "Gov.") and marks."""
        shortened = _alternatives(self.abbreviations)
        return re.compile(
            rf"(?i:\b(?:{shortened})\.)|\b(?:[^\W\d_]\.){{2,3}}|\b[^\W\d_]\.(?=\s+[^\W\d_])|\w[\w’'-]*|[^\w\s]"
        )

    @cached_property
    def name_runs(self) -> re.Pattern[str]:
        """Runs of capitalised words within a line, with the particles between
        them ("von der"); a word may hold or end with a full stop ("U.S.",
        "Gov.", "Putin." ending a sentence: `ingest.quotes` splits there)."""
        capital, particles = _capitals(), _alternatives(self.particles)
        word = rf"{capital}[\w’'.-]*"
        return re.compile(rf"(?<![\w’'.-]){word}(?:[ \t]+(?:(?:{particles})[ \t]+)*{word})*")

    def sentence_ends(self, text: str) -> list[int]:
        """Where the sentences of `text` end (after the stop and any closing mark)."""
        ends = []
        for match in _STOP.finditer(text):
            word = _LAST_WORD.search(text, max(0, match.start() - 40), match.start())
            if (
                match.group(1) == "."
                and word
                and (word.group().casefold() in self.abbreviations or len(word.group()) == 1)
            ):
                continue
            ends.append(match.end())
        return ends

    def cues(self, words: list[str], within: int) -> list[tuple[int, int]]:
        """Where each speech verb starting among the first `within` words
        starts and ends (a verb is written in small letters: "States" is none)."""
        found = ((start, _phrase_at(words, start, self.verbs)) for start in range(min(within, len(words))))
        return [(start, end) for start, end in found if end and words[start].islower()]

    def source(self, words: list[str]) -> int | None:
        """Where the speaker starts after the last "according to" of `words`."""
        for start in range(len(words) - 1, -1, -1):
            end = _phrase_at(words, start, self.sources)
            if end:
                return end
        return None


@cache
def _capitals() -> str:
    """A character class of every capital letter of Unicode's basic plane
    (Python's regular expressions have no \\p{Lu})."""
    ranges: list[list[int]] = []
    for code in range(0x10000):
        if chr(code).isupper() or chr(code).istitle():
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return "[" + "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in ranges) + "]"


def _alternatives(words: frozenset[str]) -> str:
    """`words` as alternatives of a regular expression, the longest first."""
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True)) or "(?!)"


_STOP = re.compile(r"([.!?])[\"”»’']?(?=\s+[\"“«„‘'\w]|\s*$)")
_LAST_WORD = re.compile(r"\w+$")


def _phrase_at(words: list[str], start: int, phrases: frozenset[Phrase]) -> int:
    """The end of the phrase of `phrases` starting at words[start]; 0 if none."""
    for length in (4, 3, 2, 1):
        if tuple(word.casefold() for word in words[start : start + length]) in phrases:
            return start + length
    return 0


@dataclass(frozen=True)
class Cues:
    """The cues of each language; a document in a language with none is read
    with English's."""

    languages: dict[str, QuoteRules]

    def of(self, language: str | None) -> QuoteRules:
        return self.languages.get(language or "", self.languages[FALLBACK])


def compile_cues(layers: list[dict[str, Any]]) -> Cues:
    """The cues of the shipped data and an archive's `quotes.toml`, the lists
    of each language added up."""
    marks: dict[str, tuple[str, ...]] = {}
    limits: dict[str, int] = {}
    lists: dict[str, dict[str, set[str]]] = {}
    codes: dict[str, list[str]] = {}
    for layer in layers:
        marks |= {opening: tuple(closings) for opening, closings in layer.get("marks", {}).items()}
        limits |= layer.get("limits", {})
        for language, entry in layer.items():
            if language in ("marks", "limits"):
                continue
            chosen = lists.setdefault(language, {name: set() for name in LISTS})
            for name in LISTS:
                chosen[name] |= {str(word).casefold() for word in entry.get(name, [])}
            codes.setdefault(language, [language]).extend(entry.get("also", []))
    if any(len(opening) != 1 for opening in marks):
        raise ValueError(f"an opening mark is one character, not {next(o for o in marks if len(o) != 1)!r}")
    settings = {name: int(value) for name, value in limits.items()}
    built = {language: _rules(marks, settings, lists[language]) for language in lists}
    languages = {code: built[language] for language in lists for code in codes[language]}
    if FALLBACK not in languages:
        raise ValueError(f"no [{FALLBACK}] cues")
    return Cues(languages)


def _rules(marks: dict[str, tuple[str, ...]], limits: dict[str, int], lists: dict[str, set[str]]) -> QuoteRules:
    phrases = {name: frozenset(tuple(item.split()) for item in lists[name]) for name in ("verbs", "sources")}
    words = {name: frozenset(lists[name]) for name in LISTS if name not in phrases}
    return QuoteRules(marks=marks, **phrases, **words, **limits)  # type: ignore[arg-type]
