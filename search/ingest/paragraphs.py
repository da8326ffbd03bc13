"""The paragraphs of a text file, rebuilt from its lines.

Text files come in two shapes: one paragraph per line (what a scraper or
"copy all" saves), and hard-wrapped, where a paragraph runs over several
lines cut near one width (e-mail, wire feeds, `lynx -dump`, "save as text").
Everything the cleaner decides (title, dateline, article region, footers)
is decided on paragraphs, so the two shapes must give the same ones.

A file is taken as hard-wrapped when its lines pile up just below one width
and few go past it. Two lines of a wrapped file are then one paragraph when
the first word of the second would not have fitted on the first: the line
was full, so the wrapper cut it, not the writer. A blank line, a list item,
a line the wrapper did not fill, one wider than the width or a heading among
headings ends a paragraph; a headline in capitals goes on only in capitals.
In any text file, a line of four words or more that stops mid-sentence (on
"and" or "the", or before a line going on in lower case) goes on with the
next (`_runs_on`). A Markdown file joins every run of lines, as
Markdown itself does, except headings, list items, quotes, tables and code.

No word is lost or glued at a join: lines are joined with one space, except
after a hyphen that ends a word ("Serbian-" + "Russian"), which is kept,
with no space: wrappers break at spaces and at the hyphens of compounds,
never inside a word, so the hyphen is the compound's own.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from itertools import pairwise

MIN_WIDTH, MAX_WIDTH = 30, 160
"""Nobody wraps narrower or wider: a list of short items of one length (a
menu) is not wrapped text, and a file of longer lines holds a paragraph a line."""
BAND = 10
"""A wrapped line stops short of the width by less than the next word's length:
most of a wrapped file's lines end in this many columns below the width."""
MIN_FULL = 3
"""A width needs at least this many lines in its band (and MIN_FULL_SHARE of all)."""
MIN_FULL_SHARE = 0.02
MAX_OVER_SHARE = 0.05
MAX_OVER_BAND = 0.2
"""A wrapped file has few lines of several words longer than its width: at
most this share of all, and of those in the band."""

SMALL_WORD = 3
"""Words this short ("of", "the", "and") stay small in a heading's Title Case."""
ENDINGS = frozenset(".!?…:;,\"”»'’)]&–—-")
"""Last characters of a line that ends a sentence or goes on with the next (a comma, a dash)."""
_LIST_ITEM = re.compile(r"^(?:[-*•·–—+]\s|\d{1,3}[.)]\s|\(?[a-z]\)\s)")
_MARKDOWN_BLOCK = re.compile(r"^(?:#|>|\||```|~~~| {4}|\t)")


def paragraphs(text: str, markdown: bool = False) -> list[str]:
    """The paragraphs of `text`, each with its white space folded to single spaces."""
    lines = [line.rstrip() for line in text.splitlines()]
    width = None if markdown else wrap_width(lines)
    found: list[str] = []
    for run in _runs(lines):
        found.extend(_join(run, width, markdown))
    return found


def wrap_width(lines: list[str]) -> int | None:
    """The width the file's lines were wrapped at, or None if they were not.

    The width is the top of the highest band of BAND columns that holds many
    lines (of two words or more: a long word or a URL stands alone on a line
    wider than the width) and few above it. A file with many lines wider than
    that holds paragraphs a line, some of which happen to be of similar length
    (on the development pages, dumps a paragraph a line have a fifth to as
    many lines above their densest band as in it; wrapped ones, none).
    """
    lengths = sorted(len(line.strip()) for line in lines if " " in line.strip())
    needed = max(MIN_FULL, MIN_FULL_SHARE * len(lengths))
    for length in sorted(set(lengths), reverse=True):
        below = bisect_right(lengths, length)
        over = len(lengths) - below
        if over > MAX_OVER_SHARE * len(lengths):
            return None
        band = below - bisect_right(lengths, length - BAND) if MIN_WIDTH <= length <= MAX_WIDTH else 0
        if band >= needed and over <= MAX_OVER_BAND * band:
            return length
    return None


def _runs(lines: list[str]) -> Iterator[list[str]]:
    """Runs of non-blank lines."""
    run: list[str] = []
    for line in lines:
        if line.strip():
            run.append(line)
        elif run:
            yield run
            run = []
    if run:
        yield run


def _join(run: list[str], width: int | None, markdown: bool) -> Iterator[str]:
    paragraph = _fold(run[0])
    for above, line in pairwise(run):
        folded = _fold(line)
        if _continues(paragraph, above, line, folded, width, markdown):
            paragraph = _joined(paragraph, folded)
        else:
            yield paragraph
            paragraph = folded
    yield paragraph


def _continues(paragraph: str, above: str, line: str, folded: str, width: int | None, markdown: bool) -> bool:
    """Whether `line` goes on the `paragraph` of the line `above` it rather than starting one."""
    if _LIST_ITEM.match(folded) or (_LIST_ITEM.match(above) and not line[:1].isspace()):
        return False  # an item starts a paragraph; one goes on only on an indented line
    if markdown:
        return not (_MARKDOWN_BLOCK.match(line) or _MARKDOWN_BLOCK.match(above))
    if _runs_on(paragraph, folded):
        return True
    if width is None:
        return False
    length = len(above.strip())
    space = 0 if _hyphenated(above) else 1  # a compound is broken after its hyphen, with no space
    if not length + space + len(folded.split(" ", 1)[0]) > width >= length:
        return False
    if above.isupper():  # a wire's headline ("BROWN-FORMAN INC <BFD> 4TH QTR NET") goes on only in capitals
        return folded.isupper()
    return not (folded[0].isupper() and _heading(above))


def _runs_on(paragraph: str, folded: str) -> bool:
    """Whether a sentence plainly runs on from the `paragraph` so far into
    the next line: it does not end there, and the next line goes on in lower
    case ("The Bank of England said it invited an" / "early round of bill
    offers"), or the paragraph ends on a word no sentence ends on ("The
    Agricultural Stabilization and" / "Conservation Service"). Wrapped or not
    by the width: a wire's paragraph opens on a short line (its indent
    stripped), a short file has too few lines to show a width, and a page
    saved as text puts each link of a sentence on a line of its own ("the" /
    "Doobies" / "last month" / "were nominated"). A headline in capitals
    stays apart."""
    tail = paragraph[-RUN_ON_TAIL:]  # a paragraph may be a whole book: look only at its end
    words = tail.split()
    if len(words) < RUN_ON_WORDS or tail[-1] in SENTENCE_ENDINGS or tail.isupper():
        return False
    return words[-1] in JOINING_WORDS or (folded[:1].islower() and _WORD.match(folded) is not None)


RUN_ON_WORDS = 4
"""A line this long at least: a menu's items are shorter, and stay apart."""
RUN_ON_TAIL = 300
"""The characters of a paragraph `_runs_on` reads, from its end: reading it all
for every line joined to it took 105 s for one paragraph of 1 MB."""
JOINING_WORDS = frozenset(
    ["a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "by", "for", "from", "with", "as", "that"]
)
"""Words a sentence goes on after: a line ending on one is cut mid-sentence."""
SENTENCE_ENDINGS = frozenset(".!?…\"”»'’)]")
_WORD = re.compile(r"[^\W\d_]+[\s,;:]")
"""A word, then a space or a mark: not an address ("desk@...") nor a link."""


def _heading(line: str) -> bool:
    """Whether a line reads as a heading: its longer words are Capitalised
    ("Standoff at a Hong Kong University Following Night of Violence"), and
    it has no comma and does not end like a sentence or on a dash. A list of
    headlines wrapped near the width must not be joined into a paragraph;
    a line of names in prose ("the Russian Federation, Sergey") goes on."""
    if line[-1] in ENDINGS or "," in line:
        return False
    words = [word for word in line.split() if len(word) > SMALL_WORD and word[0].isalpha()]
    return len(words) >= 2 and all(word[0].isupper() for word in words)


def _hyphenated(text: str) -> bool:
    """Whether `text` ends in a hyphen that ends a word ("Serbian-", not " -")."""
    return text.endswith("-") and text[-2:-1].isalnum()


def _joined(paragraph: str, line: str) -> str:
    return paragraph + line if _hyphenated(paragraph) else f"{paragraph} {line}"


def _fold(line: str) -> str:
    return " ".join(line.split())
