"""Who a document names, and who a pronoun or a bare title stands for there.

The narration (the text outside quotations) is read for names: runs of
capitalised words, with the titles before them. A name after a title
("Foreign Minister Sergey Lavrov") is a person's; a given name and a surname
("Sonya A. Zoghlin") may be one; a name holding an organisation's word ("the
Kremlin", "the Ministry") is an organisation. `ingest.quotes` asks who a run
of words next to a speech verb stands for (`Mentions.resolved`), in the
fullest form the document gives, and which persons a document names
(`Mentions.people`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from ..model import Quote
from ..text.names import fold
from .cues import QuoteRules

_BREAK = "\n\n"
_WHITE_SPACED = re.compile(r"\S+")
_LAST_WORD = re.compile(r"([^\W\d_]+)[ \t]+$")


class Mention(NamedTuple):
    """A name in the narration."""

    name: str
    title: str
    at: int
    subject: bool
    """The name opens its sentence: the text is about it there."""
    person: bool
    """Named with a title: a person."""
    named: bool
    """A given name and a surname, or a person's surname: perhaps a person."""


@dataclass
class Mentions:
    """The names of one document's narration, in order, and the persons quoted so far."""

    body: str
    rules: QuoteRules
    mentions: list[Mention] = field(default_factory=list)
    speakers: set[str] = field(default_factory=set)
    """The surnames of the persons quoted so far."""

    @classmethod
    def of(cls, body: str, narration: list[tuple[int, int]], rules: QuoteRules) -> Mentions:
        found = cls(body, rules)
        found.mentions = list(found._found(narration))
        return found

    def quoted(self, speaker: str | None) -> None:
        """Note a speaker: a person quoted is a person ("they" is not them)."""
        if speaker and not self.organisation(speaker):
            self.speakers.add(_surname(speaker))

    def _found(self, narration: list[tuple[int, int]]) -> Iterator[Mention]:
        """The names of the narration (its pieces, from and to), found as runs
        of capitalised words by one regular expression (a loop over every
        word in Python was most of the finder's time)."""
        for start, end in narration:
            for match in self.rules.name_runs.finditer(self.body, start, end):
                yield from self._named(match)

    def _named(self, match: re.Match[str]) -> Iterator[Mention]:
        """The mentions of a run of capitalised words, split where a word is
        never a name ("The", "Monday") and after a sentence's last word; a
        title in small letters before it joins it ("spokesman Dmitry Peskov")."""
        before = _LAST_WORD.search(self.body, max(0, match.start() - 30), match.start())
        titled = before is not None and before.group(1).casefold() in self.rules.titles
        run: list[str] = [before.group(1)] if before and titled else []
        start = before.start(1) if before and titled else match.start()
        for word in [*_WHITE_SPACED.finditer(match.group()), None]:
            text = word.group() if word else ""
            cleaned = clean_token(text.rstrip(".") if _ends_sentence(text, self.rules) else text)
            if word and _fits(cleaned, self.rules, inside=bool(run)):
                start = start if run else match.start() + word.start()
                run.append(cleaned)
                if cleaned == text:
                    continue
            if run:
                mention = self._mention(run, start, _opens_sentence(self.body, start))
                if mention:
                    yield mention
                run = []

    def _mention(self, run: list[str], at: int, subject: bool) -> Mention | None:
        title, name = _split_title(run, self.rules)
        if not name:
            return None
        if self.organisation(" ".join(name)):
            return Mention(" ".join(name), " ".join(title), at, subject, False, False)
        given = len([word for word in name if len(word) > 1]) >= 2
        return Mention(" ".join(name), " ".join(title), at, subject, bool(title), given or bool(title))

    def organisation(self, name: str) -> bool:
        return any(word.casefold() in self.rules.organisations for word in name.split())

    def fullest(self, name: str) -> str:
        """The longest form of a name the document gives ("Vucic" -> "Aleksandar
        Vucic"; "Liu" -> "Liu Xiaoming", who is named family name first)."""
        word = _surname(name)
        forms = [m.name for m in self.mentions if m.named and _surname(m.name) == word]
        if not forms and " " not in name:
            forms = [m.name for m in self.mentions if m.named and word in fold(m.name).split()]
        return max(forms, key=lambda form: len(form.split()), default=name)

    def _persons(self, at: int) -> list[Mention]:
        """The mentions before `at` of those the text names as persons:
        with a title, as a speaker, or by a given name and a surname."""
        known = {_surname(m.name) for m in self.mentions if m.named} | self.speakers
        return [m for m in self.mentions if m.at < at and _surname(m.name) in known]

    def focus(self, at: int) -> str | None:
        """Who the text is about at offset `at`: the person who opens a
        sentence last, in its paragraph or the one before; else the person
        named most often so far (the last named first among equals)."""
        before = self._persons(at)
        if not before:
            return None
        near = self.body.rfind(_BREAK, 0, max(0, self.body.rfind(_BREAK, 0, at)))  # the paragraph before
        subjects = [m for m in before if m.subject and m.at > near]
        if subjects:
            return self.fullest(subjects[-1].name)
        counts = Counter(_surname(m.name) for m in before)
        last = {_surname(m.name): i for i, m in enumerate(before)}
        chosen = max(counts, key=lambda surname: (counts[surname], last[surname]))
        return self.fullest(next(m.name for m in reversed(before) if _surname(m.name) == chosen))

    def group(self, at: int) -> str | None:
        """The organisation last the subject of a sentence before `at` ("they", "it")."""
        things = [
            m
            for m in self.mentions
            if m.at < at and m.subject and not m.person and _surname(m.name) not in self.speakers
        ]
        return things[-1].name if things else None

    def titled(self, title: str, at: int) -> str | None:
        """The last person named with `title` before `at` (a subject first)."""
        word = _key(title.split()[-1])
        titled = [m for m in self.mentions if m.at < at and m.person and word in map(_key, m.title.split())]
        subjects = [m for m in titled if m.subject]
        chosen = (subjects or titled)[-1:]
        return self.fullest(chosen[0].name) if chosen else None

    def resolved(self, run: list[str], at: int) -> str | None:
        """The speaker a run of words next to a cue stands for."""
        if not run:
            return None
        folded = run[0].casefold()
        if len(run) == 1 and folded in self.rules.pronouns:
            return self.focus(at)
        if len(run) == 1 and folded in self.rules.group_pronouns:
            return self.group(at)
        title, name = _split_title(run, self.rules)
        if not name:
            return self.titled(" ".join(title), at) if title else None
        joined = " ".join(name)
        return joined if self.organisation(joined) else self.fullest(joined)

    def people(self, quotes: tuple[Quote, ...]) -> tuple[str, ...]:
        """Persons quoted or named with a title, in their fullest forms, first named first."""
        named = [self.fullest(m.name) for m in self.mentions if m.person]
        quoted = [q.speaker for q in quotes if q.speaker and not self.organisation(q.speaker)]
        return tuple(dict.fromkeys(named + quoted))


def _surname(name: str) -> str:
    return fold(name.split()[-1])


def clean_token(token: str) -> str:
    """A token without a possessive's 's ("Lavrov's" -> "Lavrov")."""
    return token[:-2] if token.endswith(("'s", "’s")) else token


def _ends_sentence(word: str, rules: QuoteRules) -> bool:
    """Whether a word's full stop ends its sentence: not that of an
    abbreviation ("Gov."), of initials ("U.S.") or of an initial ("W.")."""
    if not word.endswith("."):
        return False
    bare = word[:-1]
    return len(bare) > 1 and "." not in bare and bare.casefold() not in rules.abbreviations


def _opens_sentence(text: str, at: int) -> bool:
    """Whether the word at `at` is the first of its sentence (or paragraph)."""
    before = text[max(0, at - 3) : at].rstrip(" ")
    return not before or before[-1] in '.!?\n"”»“«'


def _key(word: str) -> str:
    """A word as the lists hold it: "Gov." -> "gov"."""
    return word.casefold().rstrip(".")


def _is_name(word: str) -> bool:
    return word[:1].isupper()


def _fits(word: str, rules: QuoteRules, inside: bool) -> bool:
    """Whether `word` can stand in a name run (a particle or an initial only inside one)."""
    folded = _key(word)
    if folded in rules.titles:
        return True
    if inside and len(word) == 2 and word[1] == ".":
        return True  # "Sonya A. Zoghlin"
    if _is_name(word):
        return folded not in rules.not_names
    return inside and folded in rules.particles


def run_before(tokens: list[str], end: int, rules: QuoteRules) -> list[str]:
    """The name run (or pronoun) ending right before tokens[end]."""
    if end and tokens[end - 1].casefold() in rules.pronouns | rules.group_pronouns:
        return [tokens[end - 1]]
    run: list[str] = []
    for word in reversed(tokens[:end]):
        if not _fits(word, rules, inside=bool(run)):
            break
        run.insert(0, word)
    while run and run[0].casefold() in rules.particles:
        run.pop(0)
    return run


def run_after(tokens: list[str], start: int, rules: QuoteRules) -> list[str]:
    """The name run (or pronoun) starting at tokens[start] (after a "the")."""
    rest = tokens[start:]
    if rest and rest[0].casefold() == "the":
        rest = rest[1:]
    if rest and rest[0].casefold() in rules.pronouns | rules.group_pronouns:
        return rest[:1]
    run: list[str] = []
    for word in rest:
        if not _fits(word, rules, inside=bool(run)):
            break
        run.append(word)
    while run and run[-1].casefold() in rules.particles:
        run.pop()
    return run


def _split_title(run: list[str], rules: QuoteRules) -> tuple[list[str], list[str]]:
    """A run as its title and the name after it, the name at most a given name
    and a surname (with initials and particles between): "Russian Foreign
    Minister Sergey Lavrov" -> (["Russian", "Foreign", "Minister"], ["Sergey", "Lavrov"])."""
    last_title = max((i for i, word in enumerate(run) if _key(word) in rules.titles), default=-1)
    title = run[: last_title + 1]
    words = (word.rstrip(".") for word in run[last_title + 1 :] if _key(word) not in rules.not_names)
    name = [word for word in words if "." not in word]  # "U.S." is no one's name
    long = [i for i, word in enumerate(name) if _is_name(word) and len(word) > 1]
    if len(long) > 2:
        name = name[long[-2] :]
    return title, name
