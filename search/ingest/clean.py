"""The cleaner: an ordered list of small steps from blocks to article text.

Each step takes a `Draft` and returns a new one, moving lines it recognises
out of the body into `removed` (with the class of boilerplate) or into the
metadata (a dateline, the title). What the steps recognise is data, in
`rules.py`; what recurs across an outlet's documents comes in as `is_repeated`.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..model import Block, Removal
from ..text.dates import Found, dateline
from .rules import BoilerplateClass, Rules, word_count

# A line of at least this many words, or one ending like a sentence, is a
# paragraph: it ends the header (where titles, labels and datelines live),
# and a footer tail can only start after the first one.
PARAGRAPH_WORDS = 26
SENTENCE_END = re.compile(r"[.!?…\"”»'’)。！？」]$")


@dataclass(frozen=True)
class Line:
    text: str
    tag: str
    key: str
    position: int
    words: int

    def with_text(self, text: str) -> Line:
        return replace(self, text=text, words=word_count(text))


@dataclass(frozen=True)
class Draft:
    """The state between steps: body lines left, what went, what was found."""

    lines: tuple[Line, ...]
    removed: tuple[Removal, ...] = ()
    title: str | None = None
    dateline: Found | None = None

    def drop(self, keep: Callable[[int, Line], str | None]) -> Draft:
        """Remove each line for which `keep` names a reason."""
        lines, removed = [], list(self.removed)
        for index, line in enumerate(self.lines):
            why = keep(index, line)
            if why is None:
                lines.append(line)
            else:
                removed.append(Removal(why, line.text, line.position))
        return replace(self, lines=tuple(lines), removed=tuple(removed))


@dataclass(frozen=True)
class Context:
    rules: Rules
    is_repeated: Callable[[str], bool]
    known_title: str | None = None
    cut_region: bool = False
    """Whether to look for the article's region: a text file's, unless the rules switch it off."""
    outlet: str | None = None


Step = Callable[[Draft, Context], Draft]


def line_key(group: str, text: str) -> str:
    """A short key for a line within a group of documents, to count where it recurs."""
    return hashlib.blake2b(f"{group}\0{_normal(text)}".encode(), digest_size=8).hexdigest()


def _normal(text: str) -> str:
    """Text as lines are compared: case and spacing ignored."""
    return " ".join(text.casefold().split())


def repetition_group(outlet: str | None, doc_id: str) -> str:
    """The documents a line's recurrence is counted among: its outlet's; for a
    document of no known outlet, those of its folder (documents of unknown
    outlets are not one outlet, but a folder is usually one source)."""
    return outlet if outlet is not None else "\0folder:" + doc_id.rpartition("/")[0]


def to_lines(blocks: tuple[Block, ...], group: str) -> tuple[Line, ...]:
    return tuple(Line(b.text, b.tag, line_key(group, b.text), i, word_count(b.text)) for i, b in enumerate(blocks))


def is_paragraph(line: Line) -> bool:
    """A line of many words, or one ending like a sentence, unless it is a
    headline in capitals ("CHINA CALLS FOR BETTER TRADE DEAL WITH U.S.")."""
    if line.words >= PARAGRAPH_WORDS:
        return True
    return bool(SENTENCE_END.search(line.text)) and not line.text.isupper()


def _first_paragraph(lines: tuple[Line, ...]) -> int:
    return next((i for i, line in enumerate(lines) if is_paragraph(line)), len(lines))


def cut_tail(draft: Draft, ctx: Context) -> Draft:
    """Drop a footer (contact block, appeal, comments) from its first line on."""
    lines = draft.lines
    found = (
        (index, why)
        for index in range(_first_paragraph(lines) + 1, len(lines))
        if (why := ctx.rules.classify("tail", lines[index].text, lines[index].words))
    )
    start, why = next(found, (len(lines), ""))
    return draft.drop(lambda index, _: why if index >= start else None)


def drop_boilerplate(draft: Draft, ctx: Context) -> Draft:
    """Drop lines of a boilerplate class, and cut share-button residue off lines."""
    draft = draft.drop(lambda _, line: ctx.rules.classify("line", line.text, line.words))
    return _cut_suffixes(draft, ctx)


def _cut_suffixes(draft: Draft, ctx: Context) -> Draft:
    lines, removed = [], list(draft.removed)
    for line in draft.lines:
        text = line.text
        for suffix in ctx.rules.of_kind("suffix"):
            cut = suffix.cut_suffix(text)
            if cut != text:
                removed.append(Removal(suffix.name, text[len(cut) :].strip(), line.position))
                text = cut
        lines.append(line.with_text(text) if text != line.text else line)
    return replace(draft, lines=tuple(lines), removed=tuple(removed))


def drop_repeated(draft: Draft, ctx: Context) -> Draft:
    """Drop lines that recur word for word across the documents of the outlet
    (or, for no known outlet, of the folder) and read as boilerplate.

    Recurring is not enough: articles repeat quotes, and a wire story's
    updates repeat its lead. What goes is a line that is not a sentence
    (a label, a contact block's lines), a short sentence at the head or the
    tail of the document ("Follow us on Telegram."), and whatever recurring
    line follows one that went (the rest of a footer; a block that began
    above the first paragraph ends there, or a headline that recurs in a
    story's versions would take their shared lead with it). A sentence in the
    body, and any paragraph of `prose_words` or more, stays. Datelines above
    the first paragraph stay too: an outlet that publishes three articles a
    day dates them alike, and they would all lose their date. So do the
    document's own headline (`_opening_headline`) and a row of figures: a
    table's row recurs when a story is filed again, a routine note's "Pay
    April 30" every quarter, and either is the story's data (an address,
    "No. 1, Andrićev venac Str.", is words with a number, and goes).
    """
    first_paragraph = _first_paragraph(draft.lines)
    # The first paragraph is the body even in a note too short to have a tail apart.
    tail = max(len(draft.lines) - ctx.rules.repeat_edge_lines, first_paragraph + 1)
    headline = _opening_headline(draft.lines, first_paragraph, ctx)
    in_block = False

    def stays(index: int, line: Line) -> bool:
        return index == headline or _figures(line) or (index <= first_paragraph and dateline(line.text) is not None)

    def why(index: int, line: Line) -> str | None:
        nonlocal in_block
        in_block = in_block and index != first_paragraph  # a header's block ends where the body begins
        if not ctx.is_repeated(line.key) or stays(index, line):
            in_block = False
            return None
        sentence = bool(SENTENCE_END.search(line.text))
        prose = line.words >= ctx.rules.repeat_prose_words or first_paragraph <= index < tail
        in_block = in_block or not (sentence and prose)
        return "repeated in the outlet" if in_block else None

    kept = draft.drop(why)
    if len(kept.lines) <= 1 < len(draft.lines):
        # Nothing left but a headline: a routine note ("Qtly div three cts vs
        # three cts prior / Pay March 13") is set wording through and through.
        return draft
    return kept


def _opening_headline(lines: tuple[Line, ...], first_paragraph: int, ctx: Context) -> int | None:
    """Where the document's own headline stands: the first title-like line
    above the first paragraph a third of whose words (two at least) the
    lines after it take up again.

    A headline recurs too: a wire story's updates keep it, and a routine
    story comes back under the same one every week ("FED ADDS RESERVES VIA
    CUSTOMER REPURCHASES", 14 times in Reuters-21578). An outlet's name or
    slogan at the top of every page recurs as well, but its words are
    seldom the article's.
    """
    if not any(ctx.is_repeated(line.key) for line in lines[:first_paragraph]):
        return None  # nothing to keep it from
    stems = [_stems(line.text) for line in lines]
    after = Counter(stem for words in stems for stem in words)
    for index in range(first_paragraph):
        words = stems[index]
        after.subtract(words)
        echoed = sum(1 for word in words if after[word] > 0)
        if words and _title_like(lines[index], ctx) and echoed >= max(len(words) / 3, min(2, len(words))):
            return index
    return None


_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


def _stems(text: str) -> set[str]:
    """The words of four letters or more, cut to their first four: a crude
    stem, enough to see "Reserves" in "Reserve" and "warns" in "warned"."""
    return {word[:4] for word in _LONG_WORD.findall(text.casefold())} - _FUNCTION_WORDS


_FUNCTION_WORDS = frozenset(["from", "with", "that", "this", "have", "will", "were", "been", "than", "into", "over"])
"""Words any text holds, which prove no echo."""


def take_datelines(draft: Draft, ctx: Context) -> Draft:
    """Move datelines out of the body; the first one dates the article.

    A whole line that is a dateline goes wherever it stands; a labelled date
    opening the first paragraph ("date 2024-10-20 The ...") is cut off it.
    """
    first_paragraph = _first_paragraph(draft.lines)
    lines, removed, found = [], list(draft.removed), draft.dateline
    for index, line in enumerate(draft.lines):
        hit = dateline(line.text) if index <= first_paragraph or len(line.text) < 80 else None
        if hit is None:
            lines.append(line)
            continue
        date, rest = hit
        found = found or date
        removed.append(Removal("dateline", line.text[: len(line.text) - len(rest)].strip(), line.position))
        if rest:
            lines.append(line.with_text(rest))
    return replace(draft, lines=tuple(lines), removed=tuple(removed), dateline=found)


def take_header(draft: Draft, ctx: Context) -> Draft:
    """Take the title from the header and drop its labels and bylines.

    The header is what stands above the first paragraph. The title is its
    first line that is not a label, when short and not ending like a
    sentence. When the page declares its title, the same text at the top of
    the body is dropped instead.
    """
    labels = ctx.rules.of_kind("header")
    header = draft.lines[: _first_paragraph(draft.lines)]
    known_title = without_outlet(ctx.known_title, ctx.outlet)

    def label(line: Line) -> str | None:
        return _label(labels, line) or ("masthead" if _masthead(line.text, ctx.outlet) else None)

    title_at = None
    for index, line in enumerate(header):
        if label(line):
            continue
        if (
            known_title is None
            and _title_like(line, ctx)
            or (known_title is not None and _same_text(line.text, known_title))
        ):
            title_at = index
        break

    def why(index: int, line: Line) -> str | None:
        if index == title_at:
            return "title"
        return label(line) if index < len(header) else None

    title = known_title or (draft.lines[title_at].text if title_at is not None else None)
    return replace(draft.drop(why), title=title)


def without_outlet(title: str | None, outlet: str | None) -> str | None:
    """A page title without the outlet's name after it ("Headline | Outlet")."""
    if not title or not outlet:
        return title
    return re.sub(rf"\s+[|–—-]\s+{re.escape(outlet)}\s*$", "", title, flags=re.IGNORECASE) or title


MASTHEAD_EXTRA_WORDS = 2
"""A line naming the outlet with at most this many words more ("Balkan Wire
Service" for Balkan Wire) is its masthead, not the title."""


def _masthead(text: str, outlet: str | None) -> bool:
    if not outlet:
        return False
    words, name = text.casefold().split(), outlet.casefold().split()
    return words[: len(name)] == name and len(words) - len(name) <= MASTHEAD_EXTRA_WORDS


def _label(labels: tuple[BoilerplateClass, ...], line: Line) -> str | None:
    return next((label.name for label in labels if label.matches(line.text, line.words)), None)


def _title_like(line: Line, ctx: Context) -> bool:
    """Short, and not ending like a sentence; a headline in capitals may ("... WITH U.S.")."""
    return (
        line.words <= ctx.rules.title_max_words
        and len(line.text) <= TITLE_MAX_CHARS
        and (line.text.isupper() or not re.search(r"[.,;:。]$", line.text))
    )


TITLE_MAX_CHARS = 300
"""The longest title: a longer first line (one "word" of 20,000 characters)
is text, and a longer declared title is cut to this (`short_title`)."""


def short_title(title: str | None) -> str | None:
    """`title`, cut at a word to TITLE_MAX_CHARS when longer."""
    if title is None or len(title) <= TITLE_MAX_CHARS:
        return title
    cut = title[: TITLE_MAX_CHARS - 1].rsplit(" ", 1)[0] or title[: TITLE_MAX_CHARS - 1]
    return cut.rstrip() + "…"


def _same_text(a: str, b: str) -> bool:
    return _normal(a) == _normal(b)


def drop_runs(draft: Draft, ctx: Context) -> Draft:
    """Drop runs of very short lines: menus, tag lists, payment widgets."""
    short = [
        line.words <= ctx.rules.run_max_words and not SENTENCE_END.search(line.text) and not _figures(line)
        for line in draft.lines
    ]
    in_run = [False] * len(short)
    start = 0
    for index in range(len(short) + 1):
        if index < len(short) and short[index]:
            continue
        if index - start >= ctx.rules.run_min_lines:
            in_run[start:index] = [True] * (index - start)
        start = index + 1
    return draft.drop(lambda i, line: "menu or widget" if in_run[i] and not _starts_tail(line, ctx) else None)


def _starts_tail(line: Line, ctx: Context) -> bool:
    return bool(ctx.rules.classify("tail", line.text, line.words))


def keep_article_region(draft: Draft, ctx: Context) -> Draft:
    """Keep the run of lines where the article is in a text dump: the most
    paragraph text for the fewest other lines.

    A paragraph scores its words, any other line costs its words; the run
    with the highest sum is kept (Finn et al.'s Body Text Extraction, by
    lines). Menus, teasers and comment bylines around the article fall
    outside; a subheading between paragraphs stays in. An HTML page has
    been narrowed to its article by its markup already; a file with few
    other lines is an article already (`[region]` in the rules).
    """
    if not ctx.cut_region:
        return draft
    weights = [_weight(line) for line in draft.lines]
    if sum(1 for weight in weights if weight < 0) < ctx.rules.region.min_other_lines:
        return draft
    headline = _headline(draft)
    best, span, running, start = 0, (headline, len(draft.lines)), 0, headline
    for index in range(headline, len(weights)):
        if running <= 0:
            running, start = 0, index
        running += weights[index]
        if running > best:
            best, span = running, (start, index + 1)
    if best < ctx.rules.region.min_article_words:
        return draft
    return draft.drop(lambda index, _: None if span[0] <= index < span[1] else "outside the article")


def _headline(draft: Draft) -> int:
    """Where the article starts if the dump repeats its title as a headline
    (a page's <title> comes first, its <h1> again above the article): the
    line after the first such repeat; else 0."""
    title = draft.title and _normal(draft.title)
    if not title:
        return 0
    for index, line in enumerate(draft.lines):
        text = _normal(line.text)
        if line.words >= HEADLINE_WORDS and (text == title or title.startswith(text)):
            return index + 1
    return 0


HEADLINE_WORDS = 4
_FIGURE = re.compile(r"\d")


def _weight(line: Line) -> int:
    """What a line adds to a run's worth as article text: a paragraph its
    words, a line of figures (a table's row: "Net 5,011,000 vs 2,314,000")
    nothing, any other line minus its words."""
    if is_paragraph(line):
        return line.words
    return 0 if _figures(line) else -line.words


def _figures(line: Line) -> bool:
    """Whether a line is a row of figures: a third of its words or more hold a digit."""
    words = line.text.split()
    return bool(words) and 3 * sum(1 for word in words if _FIGURE.search(word)) >= len(words)


STEPS: tuple[Step, ...] = (
    drop_boilerplate,
    drop_repeated,
    take_datelines,
    drop_runs,
    take_header,
    keep_article_region,
    cut_tail,
)


def clean(lines: tuple[Line, ...], ctx: Context) -> Draft:
    draft = Draft(lines)
    for step in STEPS:
        draft = step(draft, ctx)
    return replace(draft, removed=tuple(sorted(draft.removed, key=lambda r: r.position)))
