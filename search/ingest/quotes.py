"""Quotations in an article's text, who said them, and the people it names.

Three passes over the cleaned body:
1. `marked` finds every span between quotation marks (the pairs of
   data/quotes.toml), a quotation left open at the end of a paragraph
   continuing into the next ones, as newspapers print a long one;
2. the narration (the text outside the quotations) is read for names: a
   name after a title ("Foreign Minister Sergey Lavrov") is a person's, and
   so is one of a given name and a surname that is no organisation's;
3. each span is speech when a cue says so, and the cue says whose:
   - `"…," said X` or `"…," X said` (the cue within a few words after);
   - `X said: "…"` or `X:` before it;
   - a sentence that is only a quotation, after speech: the same speaker's;
   - `X said that … "…"` and `according to X, "…"` before it, in its sentence;
   - a speech verb later in its sentence (`… "terribly disruptive" and "…," X said`).
   The speaker is a name next to the cue in its fullest form in the document
   ("Vucic" -> "Aleksandar Vucic"), a pronoun (the person the text is most
   about so far), a bare title ("the President": the last person the text
   gave that title), "they" or "it" (the organisation last a sentence's
   subject), or an organisation ("the Kremlin said"). A few capitalised
   words that end no sentence ('Eternal Flame') are a name, not speech.

It is rules and word lists, not a model: `search eval-quotes` measures what
it gets right on a labelled development set (docs/quotes.md). Merging one
person's spellings across documents ("Vučić", "Вучић") is the query's work,
with the alias table (`explore.quotes`).
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
_CLOSINGS = "\"”“’'»«›"
_SAME_SENTENCE = "\0"
"""Opens the text before a quotation when a quotation comes before it in its sentence."""


class Span(NamedTuple):
    """Text between quotation marks: where its marks are in the body."""

    start: int
    """Offset of the opening mark."""
    end: int
    """Offset after the closing mark (the end of its paragraph, when never closed)."""
    text: str
    """The words quoted, the marks of continued paragraphs removed."""


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


def quotations(body: str, rules: QuoteRules) -> tuple[tuple[Quote, ...], tuple[str, ...]]:
    """The speech quoted in `body` with its speakers, and the people it names
    (persons quoted, or named with a title or a given name), fullest forms."""
    reader = _Reader(body, marked(body, rules), rules)
    quotes = tuple(reader.attributed())
    return quotes, reader.people(quotes)


def marked(body: str, rules: QuoteRules) -> list[Span]:
    """Every span between quotation marks, outermost only, in order."""
    spans, at = [], 0
    while (opening := rules.openings.search(body, at)) is not None:
        start = opening.start()
        span = _span(body, start, rules) if _opens(body, start) else None
        if span:
            spans.append(span)
        at = span.end if span else start + 1
    return spans


def _opens(body: str, at: int) -> bool:
    """A mark opens a quotation where it follows a space or the start of a
    paragraph and a word follows it (an apostrophe in "Serbia's" does not)."""
    before = body[at - 1] if at else " "
    after = body[at + 1] if at + 1 < len(body) else " "
    return (before.isspace() or before in "([{—–-/:") and not after.isspace()


def _span(body: str, start: int, rules: QuoteRules) -> Span | None:
    mark = body[start]
    closings = rules.marks[mark]
    pieces, at = [], start + 1
    for _ in range(rules.continued_paragraphs + 1):
        end = body.find(_BREAK, at)
        end = len(body) if end < 0 else end
        close = _closing(body, at, end, closings)
        if close is not None:
            pieces.append(body[at : close[0]])
            return Span(start, close[1], _joined(pieces))
        pieces.append(body[at:end])
        following = end + len(_BREAK)
        if following >= len(body):
            break
        at = following + (body[following] == mark)
    first_end = body.find(_BREAK, start)
    end = len(body) if first_end < 0 else first_end
    text = _joined([body[start + 1 : end]])
    return Span(start, end, text) if text else None


def _closing(body: str, start: int, end: int, closings: tuple[str, ...]) -> tuple[int, int] | None:
    """Where the mark closing a quotation within body[start:end] starts and
    ends: one after a word and before no letter (so the apostrophe of
    "don't" closes nothing; that of "leaders'" is taken for one)."""
    for at in range(start + 1, end):
        if body[at - 1].isspace():
            continue
        for closing in closings:
            after = at + len(closing)
            if body.startswith(closing, at) and not (body[after : after + 1] or " ").isalnum():
                return at, after
    return None


def _joined(pieces: list[str]) -> str:
    return " ".join(" ".join(piece.split()) for piece in pieces).strip().rstrip(",").strip()


@dataclass
class _Reader:
    """One document's spans read in order, keeping who the text is about."""

    body: str
    spans: list[Span]
    rules: QuoteRules
    mentions: list[Mention] = field(default_factory=list)
    speakers: set[str] = field(default_factory=set)
    """The surnames of the persons quoted so far."""

    def __post_init__(self) -> None:
        self.mentions = list(self._mentions())

    # Names in the narration

    def _mentions(self) -> Iterator[Mention]:
        """The names of the narration, found as runs of capitalised words and
        titles by one regular expression (a loop over every word in Python
        was most of the finder's time)."""
        at = 0
        for span in [*self.spans, Span(len(self.body), len(self.body), "")]:
            for match in self.rules.name_runs.finditer(self.body, at, span.start):
                yield from self._named(match)
            at = span.end

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
            cleaned = _clean(text.rstrip(".") if _ends_sentence(text, self.rules) else text)
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
        if self._organisation(" ".join(name)):
            return Mention(" ".join(name), " ".join(title), at, subject, False, False)
        given = len([word for word in name if len(word) > 1]) >= 2
        return Mention(" ".join(name), " ".join(title), at, subject, bool(title), given or bool(title))

    def _organisation(self, name: str) -> bool:
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
        near = self.body.rfind(_BREAK, 0, self.body.rfind(_BREAK, 0, at) if _BREAK in self.body[:at] else 0)
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

    # Speech

    def attributed(self) -> Iterator[Quote]:
        last: Quote | None = None
        last_paragraph = -10
        for span in self.spans:
            if self._named_thing(span):
                continue
            before, after = self._before(span), self._after(span)
            speech, speaker = self._speaker(span, before, after)
            if last and self._goes_on(span, (before, after), speech and speaker is None, last_paragraph):
                speech, speaker = True, last.speaker
            if speech:
                last, last_paragraph = Quote(span.text, speaker), self.body.count(_BREAK, 0, span.end)
                if speaker and not self._organisation(speaker):
                    self.speakers.add(_surname(speaker))
                yield last

    def _goes_on(self, span: Span, around: tuple[str, str], nameless: bool, last_paragraph: int) -> bool:
        """Whether a span goes on with the last speech: speech whose speaker is
        not named, in the sentence of the last; or a span with no cue of its own,
        a sentence of its own within two paragraphs of the last, or a sentence
        quoted in the same sentence as it ('… and that "Mexico remains …"')."""
        before, after = around
        same_sentence = before.startswith(_SAME_SENTENCE)
        if nameless:
            return same_sentence
        paragraph = self.body.count(_BREAK, 0, span.start)
        alone = not _words(before) and not _words(after)
        return alone and paragraph - last_paragraph <= 2 or same_sentence and span.text[:1].isupper()

    def _named_thing(self, span: Span) -> bool:
        """A word, or a few words from a capital with no stop or comma before
        the closing mark: a term, a name or a title, not speech ('Eternal
        flame'; but "We are friends," the President said)."""
        words = span.text.split()
        if len(words) < self.rules.speech_words:
            return True
        ends_sentence = self.body[span.start + 1 : span.end].rstrip(_CLOSINGS).endswith((",", ".", "!", "?"))
        return len(words) <= self.rules.name_words and words[0][:1].isupper() and not ends_sentence

    def _speaker(self, span: Span, before: str, after: str) -> tuple[bool, str | None]:
        """Whether the span is speech, and whose."""
        tokens = _tokens(after, self.rules)
        cues = self.rules.cues(tokens, self.rules.cue_after)
        for start, end in cues:
            run = _run_before(tokens, start, self.rules) or _run_after(tokens, end, self.rules)
            if run:
                return True, self._resolved(run, span.end)
        tokens = _tokens(before, self.rules)
        if tokens[-1:] == [":"] and _run_before(tokens, len(tokens) - 1, self.rules):
            return True, self._resolved(_run_before(tokens, len(tokens) - 1, self.rules), span.start)
        if _words(before):
            speech, speaker = self._before_cue(tokens, span)
            if speech:
                return speech, speaker
        if self._quoted_later(span):
            return self._later_cue(span)
        return bool(cues), None

    def _quoted_later(self, span: Span) -> bool:
        """Whether another quotation follows in the span's sentence."""
        following = next((s for s in self.spans if s.start >= span.end), None)
        if following is None:
            return False
        between = self.body[span.end : following.start]
        return _BREAK not in between and not self.rules.sentence_ends(between + " X")

    def _before_cue(self, tokens: list[str], span: Span) -> tuple[bool, str | None]:
        source = self.rules.source(tokens)
        if source is not None:
            return True, self._resolved(_run_after(tokens, source, self.rules), span.start)
        cues = self.rules.cues(tokens, len(tokens))
        for start, _ in reversed(cues):
            subject = _run_after(tokens, 0, self.rules)
            if subject and len(subject) < start:
                return True, self._resolved(subject, span.start)
            window = tokens[max(0, start - self.rules.speaker_before) : start]
            for end in range(len(window), 0, -1):
                run = _run_before(window, end, self.rules)
                if run:
                    return True, self._resolved(run, span.start)
        return bool(cues), None

    def _later_cue(self, span: Span) -> tuple[bool, str | None]:
        """A speech verb later in the sentence, past the other quotations."""
        after = _tokens(self._after(span, whole=True), self.rules)
        for start, end in self.rules.cues(after, len(after)):
            run = _run_before(after, start, self.rules) or _run_after(after, end, self.rules)
            if run:
                return True, self._resolved(run, span.end)
        return False, None

    def _resolved(self, run: list[str], at: int) -> str | None:
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
        return joined if self._organisation(joined) else self.fullest(joined)

    def _after(self, span: Span, whole: bool = False) -> str:
        """From the closing mark to the end of its sentence, or the next
        quotation (`whole`: past quotations, the sentence's words outside them)."""
        end = self.body.find(_BREAK, span.end)
        text = self.body[span.end : end if end >= 0 else len(self.body)]
        ends = self.rules.sentence_ends(text)
        text = text[: ends[0]] if ends else text
        if whole:
            return self.rules.openings.sub(" ", text)
        following = self.rules.openings.search(text)
        return text[: following.start()] if following else text

    def _before(self, span: Span) -> str:
        """From the start of the sentence (or the last quotation) to the opening mark."""
        start = self.body.rfind(_BREAK, 0, span.start)
        start = start + len(_BREAK) if start >= 0 else 0
        previous = max((s.end for s in self.spans if start <= s.end <= span.start), default=start)
        text = self.body[previous : span.start]
        ends = self.rules.sentence_ends(text)
        if ends:
            return text[ends[-1] :]
        return _SAME_SENTENCE + text if previous > start else text

    # People

    def people(self, quotes: tuple[Quote, ...]) -> tuple[str, ...]:
        """Persons quoted or named with a title, in their fullest forms, first named first."""
        named = [self.fullest(m.name) for m in self.mentions if m.person]
        quoted = [q.speaker for q in quotes if q.speaker and not self._organisation(q.speaker)]
        return tuple(dict.fromkeys(named + quoted))


def _surname(name: str) -> str:
    return fold(name.split()[-1])


def _tokens(text: str, rules: QuoteRules) -> list[str]:
    return [_clean(token) for token in rules.tokens.findall(text)]


def _clean(token: str) -> str:
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


def _words(text: str) -> bool:
    return any(char.isalnum() for char in text)


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


def _run_before(tokens: list[str], end: int, rules: QuoteRules) -> list[str]:
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


def _run_after(tokens: list[str], start: int, rules: QuoteRules) -> list[str]:
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
