"""Quotations in an article's text, who said them, and the people it names.

Three passes over the cleaned body:
1. `marked` finds every span between quotation marks (the pairs of
   data/quotes.toml), a quotation left open at the end of a paragraph
   continuing into the next ones, as newspapers print a long one;
2. the narration (the text outside the quotations) is read for names
   (`ingest.mentions`);
3. each span is speech when a cue says so, and the cue says whose:
   - `"…," said X` or `"…," X said` (the cue within a few words after);
   - `X said: "…"` or `X:` before it;
   - a sentence that is only a quotation, after speech: the same speaker's;
   - `X said that … "…"` and `according to X, "…"` before it, in its sentence;
   - a speech verb later in its sentence (`… "terribly disruptive" and "…," X said`).
   The speaker is who the words next to the cue stand for (`Mentions.resolved`):
   a name in its fullest form in the document ("Vucic" -> "Aleksandar
   Vucic"), a pronoun, a bare title ("the President"), "they" or "it", an
   organisation ("the Kremlin said"). A word, or a few capitalised words
   that end no sentence ('Eternal Flame'), are a term or a name, not speech.

It is rules and word lists, not a model: `search eval-quotes` measures what
it gets right on a labelled development set (docs/quotes.md). Merging one
person's spellings across documents ("Vučić", "Вучић") is the query's work,
with the alias table (`explore.quotes`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from ..model import Quote
from .cues import QuoteRules
from .mentions import Mentions, clean_token, run_after, run_before

_BREAK = "\n\n"
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


def quotations(body: str, rules: QuoteRules) -> tuple[tuple[Quote, ...], tuple[str, ...]]:
    """The speech quoted in `body` with its speakers, and the people it names
    (persons quoted, or named with a title or a given name), fullest forms."""
    reader = _Reader(body, marked(body, rules), rules)
    quotes = tuple(reader.attributed())
    return quotes, reader.names.people(quotes)


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
    names: Mentions = field(init=False)

    def __post_init__(self) -> None:
        edges = [0, *(at for span in self.spans for at in (span.start, span.end)), len(self.body)]
        self.names = Mentions.of(self.body, list(zip(edges[::2], edges[1::2], strict=True)), self.rules)

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
                self.names.quoted(speaker)
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
            run = run_before(tokens, start, self.rules) or run_after(tokens, end, self.rules)
            if run:
                return True, self.names.resolved(run, span.end)
        tokens = _tokens(before, self.rules)
        if tokens[-1:] == [":"] and run_before(tokens, len(tokens) - 1, self.rules):
            return True, self.names.resolved(run_before(tokens, len(tokens) - 1, self.rules), span.start)
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
        return _BREAK not in between and not self.rules.sentence_ends(between)

    def _before_cue(self, tokens: list[str], span: Span) -> tuple[bool, str | None]:
        source = self.rules.source(tokens)
        if source is not None:
            return True, self.names.resolved(run_after(tokens, source, self.rules), span.start)
        cues = self.rules.cues(tokens, len(tokens))
        subject = run_after(tokens, 0, self.rules)
        for start, _ in reversed(cues):
            if subject and len(subject) < start:
                return True, self.names.resolved(subject, span.start)
            window = tokens[max(0, start - self.rules.speaker_before) : start]
            for end in range(len(window), 0, -1):
                run = run_before(window, end, self.rules)
                if run:
                    return True, self.names.resolved(run, span.start)
        return bool(cues), None

    def _later_cue(self, span: Span) -> tuple[bool, str | None]:
        """A speech verb later in the sentence, past the other quotations."""
        after = _tokens(self._after(span, whole=True), self.rules)
        for start, end in self.rules.cues(after, len(after)):
            run = run_before(after, start, self.rules) or run_after(after, end, self.rules)
            if run:
                return True, self.names.resolved(run, span.end)
        return False, None

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


def _tokens(text: str, rules: QuoteRules) -> list[str]:
    return [clean_token(token) for token in rules.tokens.findall(text)]


def _words(text: str) -> bool:
    return any(char.isalnum() for char in text)
