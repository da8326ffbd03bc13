"""news-search: full-text search for folders of raw news documents.

The pipeline, one module a step: sources (raw files) -> parse (blocks) ->
clean (boilerplate out) -> metadata (title, date, outlet) -> indexer ->
query -> searcher (hits and facets) -> render. `Archive` ties them together.
"""

from .whoosh_startup import import_whoosh

import_whoosh()  # before any other module imports Whoosh

from .archive import AddReport, Archive  # noqa: E402
from .errors import (  # noqa: E402
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
from .query import Ranking, SearchRequest  # noqa: E402
from .searcher import Hit, SearchResults, Statistics, StoredDocument  # noqa: E402

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
