"""The records that cross stages: what each stage hands to the next, and
what the library returns.

raw file -> RawDocument -> ParsedDocument -> Article -> index -> SearchResults
(Hit, Snippet), StoredDocument, Statistics, Member. They know nothing of the
search engine. A record one stage alone makes (an IndexReport, a Timeline)
is defined beside it, so that a query does not load it. They are named
tuples: immutable, so that a stage can only hand data forward, and cheap to
define (a dataclass costs several times more, in every new process).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from .fields import NO_METADATA, Metadata

if TYPE_CHECKING:
    from .query.request import SearchRequest

NO_VALUE = "(none)"
"""The facet entry of the documents without a value."""
NO_OUTLET, UNDATED = "(no outlet)", "(undated)"
"""The facet entries of the hits with no outlet or no date, as the table shows them:
with them, each facet's counts add up to the total."""


class Sidecar(NamedTuple):
    """Metadata a user wrote in `<file>.meta.json`; it overrides extraction."""

    title: str | None = None
    date: datetime | None = None
    date_text: str | None = None
    outlet: str | None = None
    metadata: Metadata = NO_METADATA
    """The fields of `search.fields` it gives."""


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
    metadata: Metadata = NO_METADATA
    """The fields of `search.fields` it declares."""


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


class Quote(NamedTuple):
    """Words a document quotes as speech, and who said them."""

    text: str
    speaker: str | None
    """In the fullest form the document gives ("Aleksandar Vučić"); None when
    no speaker was found."""


def speakers_of(quotes: Iterable[Quote]) -> list[str]:
    """Who the quotes are by, each once, in the order first quoted."""
    return list(dict.fromkeys(quote.speaker for quote in quotes if quote.speaker))


class Article(NamedTuple):
    """A cleaned article with its metadata: what the index stores."""

    doc_id: str
    title: str | None
    body: str
    date: datetime | None
    date_text: str | None
    date_source: str
    outlet: str | None
    metadata: Metadata
    """Its values of the fields of `search.fields` (url, author, language …)."""
    removed: tuple[Removal, ...] = ()
    sha: str = ""
    stamp: str = ""
    line_keys: tuple[str, ...] = ()
    truncated: bool = False
    encoding: str = ""
    """How the file was decoded; names the bad bytes replaced, if any."""
    quotes: tuple[Quote, ...] = ()
    people: tuple[str, ...] = ()
    """The persons it quotes or names with a title, each in its fullest form."""

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


# What a search returns.


class Snippet(NamedTuple):
    """A passage of the body as (text, is_match) pieces, in order."""

    pieces: tuple[tuple[str, bool], ...]

    def marked(self, opening: str = "**", closing: str = "**") -> str:
        return "".join(f"{opening}{text}{closing}" if hit else text for text, hit in self.pieces)


NO_SNIPPET = Snippet(())


class Also(NamedTuple):
    """Another matching document of a hit's story, under `--collapse`."""

    doc_id: str
    date: str | None
    outlet: str | None


class Hit(NamedTuple):
    rank: int
    doc_id: str
    title: str | None
    date: str | None
    outlet: str | None
    score: float | None
    snippet: Snippet
    also: tuple[Also, ...] = ()
    """With `collapse`, the story's other matching documents, oldest first."""
    metadata: Metadata = NO_METADATA
    """The fields of `search.fields` shown with hits (`Field.in_hits`)."""
    date_source: str = "none"
    """Where the date came from (`ingest.metadata.DATE_SOURCES`)."""


class SearchResults(NamedTuple):
    """The page of hits shown, and counts over every match."""

    request: SearchRequest
    total: int
    hits: tuple[Hit, ...]
    outlets: dict[str, int]
    years: dict[str, int]
    no_outlet: int
    undated: int
    suggestion: str | None = None
    """The query with misspelt words corrected, when it found few documents."""
    facets: dict[str, dict[str, int]] = {}
    """Counts over every match for each facet of `search.fields`, by value
    (most first), with NO_VALUE for the matches without one."""


class StoredDocument(NamedTuple):
    doc_id: str
    title: str | None
    body: str
    date: str | None
    date_source: str
    outlet: str | None
    metadata: Metadata = NO_METADATA
    quotes: tuple[Quote, ...] = ()
    """Its quotes and people, read only for an export (`Reader.documents`)."""
    people: tuple[str, ...] = ()


class Statistics(NamedTuple):
    documents: int
    outlets: dict[str, int]
    years: dict[str, int]
    first_date: str | None
    last_date: str | None
    undated: tuple[str, ...]
    no_outlet: tuple[str, ...]
    mostly_cut: dict[str, int]
    """The documents that lost more of their words to the cleaner than the
    percentage asked for, and the percentage each lost."""
    facets: dict[str, dict[str, int]] = {}
    """Documents by each value of each facet of `search.fields` (as in SearchResults)."""


class FoundQuote(NamedTuple):
    """A quote a request found, as the engine finds it."""

    text: str
    speaker: str | None
    doc_id: str
    outlet: str | None
    published: datetime | None
    score: float
    """How well it matches the request's words (0 for a request without)."""


class QuoteHit(NamedTuple):
    """A quote as shown: its speaker in the form most documents use."""

    rank: int
    text: str
    speaker: str | None
    doc_id: str
    title: str | None
    date: str | None
    outlet: str | None


class QuoteResults(NamedTuple):
    request: SearchRequest
    total: int
    quotes: tuple[QuoteHit, ...]
    facets: dict[str, dict[str, int]]
    """Quotes by speaker and outlet (most first) and by year, over every quote
    found; those without a speaker, outlet or date under NO_VALUE, NO_OUTLET
    and UNDATED."""


class Member(NamedTuple):
    """A document of a story, as the story listing shows it."""

    doc_id: str
    title: str | None
    date: str | None
    outlet: str | None
    similarity: float
    """Overlap with the document the story was asked for (1 for itself)."""
