"""The records that flow between the stages of the pipeline.

raw file -> RawDocument -> ParsedDocument -> Article -> index.
Each is a named tuple (immutable, so that a stage can only hand data forward,
and cheap to define: a frozen dataclass costs several times more to create
in every process).
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import NamedTuple


class Sidecar(NamedTuple):
    """Metadata a user wrote in `<file>.meta.json`; it overrides extraction."""

    title: str | None = None
    date: datetime | None = None
    date_text: str | None = None
    outlet: str | None = None
    url: str | None = None
    author: str | None = None


class RawDocument(NamedTuple):
    """A raw file read from disk and decoded to text."""

    doc_id: str
    path: str
    text: str
    is_html: bool
    encoding: str
    sha: str
    stamp: str
    sidecar: Sidecar = Sidecar()
    truncated: bool = False
    """Only the first sources.MAX_BYTES of the file were read."""


class Block(NamedTuple):
    """One paragraph, line or heading of a document, in reading order."""

    text: str
    tag: str = "p"


class PageMeta(NamedTuple):
    """Metadata a page declares about itself (HTML head, JSON-LD, <time>)."""

    title: str | None = None
    date_text: str | None = None
    outlet: str | None = None
    url: str | None = None
    author: str | None = None


class ParsedDocument(NamedTuple):
    """A document split into blocks, with the metadata its markup declares."""

    raw: RawDocument
    blocks: tuple[Block, ...]
    meta: PageMeta = PageMeta()


class Removal(NamedTuple):
    """A piece of text the cleaner dropped, and the class of boilerplate it was."""

    why: str
    text: str
    position: int = 0


class Article(NamedTuple):
    """A cleaned article with its metadata: what the index stores."""

    doc_id: str
    title: str | None
    body: str
    date: datetime | None
    date_text: str | None
    date_source: str
    outlet: str | None
    url: str | None
    author: str | None
    removed: tuple[Removal, ...] = ()
    sha: str = ""
    stamp: str = ""
    line_keys: tuple[str, ...] = ()
    truncated: bool = False
    encoding: str = ""
    """How the file was decoded; names the bad bytes replaced, if any."""

    def percent_cut(self) -> int:
        """The percentage of the document's words the cleaner removed as
        boilerplate, rounded up (the title and datelines moved into the
        metadata are not counted): over MOSTLY_CUT, the cleaner may have taken
        article text for boilerplate, and the user is told."""
        kept = len(self.body.split())
        cut = sum(len(r.text.split()) for r in self.removed if r.why not in METADATA_REMOVALS)
        return math.ceil(100 * cut / (kept + cut)) if cut else 0

    def mostly_cut(self) -> bool:
        return self.percent_cut() > MOSTLY_CUT


METADATA_REMOVALS = frozenset({"title", "dateline"})
"""Removals that move text into the metadata rather than drop it."""
MOSTLY_CUT = 50
"""The percentage of its words past which a document's cut is reported."""


class Skipped(NamedTuple):
    """A file left out of the index, and why.

    `failed` is true for a document that could not be read; false for a file
    that is not a document at all (it is only ignored).
    """

    doc_id: str
    reason: str
    failed: bool = True
