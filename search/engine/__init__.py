"""What the rest of news-search may ask of a search engine, as typed protocols.

An `Engine` makes, opens and writes the index of one generation folder; a
`Reader` answers requests on one opened index; a `Writer` adds and deletes
documents. Everything crosses this seam as the records of `search.model`
and document ids: the engine's own document numbers, query objects and
files never leave it. `search.engine.whoosh` is the one implementation and
the only package that imports Whoosh; it is imported on first use
(`engine()`), so that `import search` costs nothing of it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:
    from ..model import Article, FoundQuote, Hit, Member, SearchResults, Snippet, Statistics, StoredDocument
    from ..query.request import SearchRequest
    from ..text.analysis import Analysis
    from ..text.names import Aliases


class Known(NamedTuple):
    """A live document as the index holds it: its change stamp and content hash."""

    stamp: bytes
    sha: bytes


class Sample(NamedTuple):
    """The best matches of a request, read for what sets them apart."""

    bodies: list[str]
    """The bodies of the best-ranked matches, best first."""
    total: int
    """How many documents match in all."""
    terms: set[str]
    """The body terms the query matches (significant by construction)."""


Published = list[tuple[date | None, str | None]]
"""Each document's day and outlet (None: undated, or no outlet)."""


class Reader(Protocol):
    """One opened index, answering until it is closed."""

    def up_to_date(self) -> bool:
        """Whether the index on disk is still the one this reader reads."""

    def close(self) -> None: ...

    # Searching

    def search(
        self,
        request: SearchRequest,
        aliases: Aliases | None,
        *,
        ranked: int | None = None,
        snippets: bool = True,
        only: Collection[str] | None = None,
    ) -> tuple[SearchResults, Iterator[Hit]]:
        """The counts over every match, and the hits best first, each made as
        it is read; `ranked` bounds how many are ranked (None: all), `only`
        keeps the hits of those ids (the counts stay)."""

    def quotes(self, request: SearchRequest, aliases: Aliases | None) -> list[FoundQuote]:
        """Every quote of the documents the request matches that holds its
        words and was said by one of its speakers (every quote, with no
        words), scored on its words; in no order."""

    def ranked(self, request: SearchRequest, aliases: Aliases | None) -> list[tuple[str, float]]:
        """Ids and unrounded scores of the request's best `limit` documents (evaluation runs)."""

    def published(self, request: SearchRequest | None, aliases: Aliases | None) -> Published:
        """The day and outlet of every match (of every document, with no request)."""

    def versions(self, request: SearchRequest, aliases: Aliases | None) -> dict[str, bytes]:
        """The content hash of every match, by id (what saved searches compare)."""

    def sample(self, request: SearchRequest, aliases: Aliases | None, size: int) -> Sample: ...

    def explain(self, request: SearchRequest, aliases: Aliases | None) -> str:
        """The query and filters as the engine runs them."""

    def opensearch_request(self, request: SearchRequest, aliases: Aliases | None) -> dict[str, Any]:
        """The body of an OpenSearch `_search` request finding the same
        documents in the archive's export (`interop.opensearch`)."""

    # Documents and the vocabulary

    def document(self, doc_id: str) -> StoredDocument: ...

    def highlight(self, doc_id: str, request: SearchRequest, aliases: Aliases | None) -> Snippet:
        """The whole body of `doc_id`, the words the request's text matches marked."""

    def documents(self) -> Iterator[StoredDocument]:
        """Every live document, as stored (for exports: read as they go)."""

    def similar(self, doc_id: str, limit: int) -> SearchResults:
        """The documents most like `doc_id` (more like this), itself excluded."""

    def story(self, doc_id: str, request: SearchRequest | None = None) -> list[Member]:
        """The documents of `doc_id`'s story, oldest first; with a request,
        those its dates and outlets allow (and `doc_id` itself)."""

    def statistics(self, mostly_cut: int, aliases: Aliases | None = None) -> Statistics:
        """The archive at a glance; its people facet merges spellings by `aliases`."""

    def document_count(self) -> int: ...

    def document_frequency(self, term: str) -> int:
        """Documents whose body holds the (analysed) term."""

    def phrase_frequency(self, terms: list[str]) -> int:
        """Documents whose body holds the (analysed) terms in a row."""

    @property
    def analysis(self) -> Analysis:
        """The analysis of the body field, as documents were indexed."""

    # What the indexer compares raw/ with

    def stamps(self, doc_ids: Collection[str] | None = None) -> dict[str, bytes]:
        """The change stamp of every live document (of those of `doc_ids` held), by id."""

    def known(self, doc_ids: Iterable[str]) -> dict[str, Known]:
        """Stamp and hash of those of `doc_ids` the index holds."""

    def line_keys(self, doc_ids: Iterable[str]) -> list[list[str]]:
        """The line keys each of those documents was indexed with."""

    def line_frequency(self, key: str) -> int:
        """Live documents carrying a line key."""

    def holders(self, keys: Collection[str]) -> list[str]:
        """The live documents carrying any of the line keys."""

    def holds(self, article: Article) -> bool:
        """Whether the index holds this article as it is (stored fields, date, stamp, hash)."""


class Writer(Protocol):
    def add(self, article: Article) -> None: ...

    def delete(self, doc_ids: Iterable[str]) -> None: ...


class Engine(Protocol):
    """Makes, opens and writes the index in a generation folder."""

    name: str
    schema_version: int
    """Bumped whenever the fields or the analysis change: an index of another
    version is refused with a message to rebuild."""

    def create(self, folder: Path) -> None:
        """An empty index in `folder`."""

    def open(self, folder: Path) -> Reader:
        """Raises SchemaMismatch when the index cannot be read (foreign or damaged)."""

    def writer(self, folder: Path) -> AbstractContextManager[Writer]:
        """A writer whose changes are committed when the block ends, and
        cancelled when it raises. Its commit merges nothing: see `merge`."""

    def merge(self, folder: Path) -> int:
        """Merge the small pieces the commits of writers left (segments), as
        the engine's policy says; how many were merged (0: nothing to do).
        Killed midway, it leaves the index as it was."""

    def combine(self, folder: Path, parts: list[Path]) -> None:
        """Move the indexes in `parts` into the empty index in `folder`, as one."""

    def is_failure(self, exc: BaseException) -> bool:
        """Whether `exc` was raised inside the engine: what reading a damaged index gives."""

    def analysis(self, variants: bool = True) -> Analysis:
        """The analysis of text fields (`variants=False`: of query words)."""


def engine() -> Engine:
    """The engine (Whoosh), imported on first use."""
    from .whoosh import ENGINE

    return ENGINE


def load_aliases(archive_aliases: Path | None = None, cache: Path | None = None) -> Aliases:
    """The alias table, shipped with an archive's added, its spellings analysed
    as the engine analyses query words (see text.names.read_aliases)."""
    from ..text.names import read_aliases

    chosen = engine()
    key = f"{chosen.name} schema {chosen.schema_version}"
    return read_aliases(archive_aliases, chosen.analysis(variants=False).words, key, cache)
