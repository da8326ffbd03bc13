"""news-search: full-text search for folders of raw news documents.

The pipeline, one module a step: sources (raw files) -> parse (blocks) ->
clean (boilerplate out) -> metadata (title, date, outlet) -> indexer ->
query -> searcher (hits and facets) -> render. `Archive` ties them together.
"""

from .archive import AddReport, Archive
from .errors import (
    ArchiveError,
    IndexFailed,
    IndexLocked,
    IndexMissing,
    QueryError,
    SchemaMismatch,
    SearchError,
    SourceError,
    UnknownDocument,
)
from .query import Ranking, SearchRequest
from .searcher import Hit, SearchResults, Statistics, StoredDocument

__all__ = [
    "AddReport",
    "Archive",
    "ArchiveError",
    "Hit",
    "IndexFailed",
    "IndexLocked",
    "IndexMissing",
    "QueryError",
    "Ranking",
    "SchemaMismatch",
    "SearchError",
    "SearchRequest",
    "SearchResults",
    "SourceError",
    "Statistics",
    "StoredDocument",
    "UnknownDocument",
]
