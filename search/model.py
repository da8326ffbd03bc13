"""The records that cross stages: what each stage hands to the next, and
what the library returns.

raw file -> RawDocument -> ParsedDocument -> Article -> index -> SearchResults
(Hit, Snippet), StoredDocument, Statistics, Member, Timeline, Characterisation.
They know nothing of the search engine. Most are named tuples (immutable, so that a stage can only hand data forward,
and cheap to define: a frozen dataclass costs several times more to create
in every process).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, NamedTuple

from .fields import NO_METADATA, Metadata

if TYPE_CHECKING:
    from .query.request import SearchRequest

NO_VALUE = "(none)"
"""The facet entry of the documents without a value."""


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


Progress = Callable[[int, int], None]
"""Called with (steps done, steps in all): in a build each file is read, then written."""


@dataclass
class IndexReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    recleaned: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    undated: list[str] = field(default_factory=list)
    no_outlet: list[str] = field(default_factory=list)
    truncated: list[str] = field(default_factory=list)
    mostly_cut: list[str] = field(default_factory=list)
    """Documents that lost more than half their words to the cleaner (`Article.mostly_cut`)."""
    repaired: list[str] = field(default_factory=list)
    """Documents read as UTF-8 with bad bytes replaced."""
    documents: int = 0
    rules_changed: bool = False
    rebuilt: bool = False
    unreadable: str | None = None
    """Why the index there was could not be read, when it was built again for that."""

    def note(self, article: Article) -> None:
        """Note what the user may want to correct about a written article."""
        if article.date is None:
            self.undated.append(article.doc_id)
        if article.outlet is None:
            self.no_outlet.append(article.doc_id)
        if article.truncated:
            self.truncated.append(article.doc_id)
        if article.mostly_cut():
            self.mostly_cut.append(article.doc_id)
        if "replaced" in article.encoding:
            self.repaired.append(article.doc_id)

    def merge(self, other: IndexReport) -> None:
        """Add the documents of a report on another part of the same build."""
        for name in ("added", "skipped", "undated", "no_outlet", "truncated", "mostly_cut", "repaired"):
            getattr(self, name).extend(getattr(other, name))


@dataclass
class AddReport:
    """What `add` copied into `raw/`, what was there already, what it refused."""

    copied: list[str] = field(default_factory=list)
    already_there: list[str] = field(default_factory=list)
    refused: list[Skipped] = field(default_factory=list)
    index: IndexReport | None = None


@dataclass
class ExportReport:
    """What an export wrote: how many documents, in which files."""

    documents: int = 0
    files: list[str] = field(default_factory=list)


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


@dataclass(frozen=True)
class Member:
    """A document of a story, as the story listing shows it."""

    doc_id: str
    title: str | None
    date: str | None
    outlet: str | None
    similarity: float
    """Overlap with the document the story was asked for (1 for itself)."""


# What the explorations of a result set return.


@dataclass(frozen=True)
class Bucket:
    """One period of a timeline and its counts (a date histogram's bucket,
    as Elasticsearch calls it; `dates.Period` is a span of dates a user typed)."""

    start: date
    label: str
    count: int
    """Matching documents."""
    published: int
    """Documents of the archive (of the outlets matching, split by outlet) in the period."""
    outlets: dict[str | None, int]
    """Matching documents by outlet (None: no outlet), when split by outlet."""
    published_by_outlet: dict[str | None, int]

    @property
    def share(self) -> float:
        return self.count / self.published if self.published else 0.0

    def outlet_share(self, outlet: str | None) -> float:
        published = self.published_by_outlet.get(outlet, 0)
        return self.outlets.get(outlet, 0) / published if published else 0.0


@dataclass(frozen=True)
class Timeline:
    unit: str
    by_outlet: bool
    periods: tuple[Bucket, ...]
    outlets: tuple[str | None, ...]
    """The outlets with matches, most first, when split by outlet."""
    total: int
    undated: int


@dataclass(frozen=True)
class Significant:
    text: str
    """The term as the sample writes it most often."""
    sample: int
    """Sampled documents holding it."""
    archive: int
    """Documents of the archive holding it."""
    score: float


@dataclass(frozen=True)
class Characterisation:
    total: int
    """Documents the request matches."""
    sample: int
    """Documents read: the best-ranked matches."""
    documents: int
    """Documents in the archive."""
    terms: tuple[Significant, ...]
    names: tuple[Significant, ...]
