"""news-search: full-text search for folders of raw news documents.

The packages follow the data's way: `ingest` (raw file -> parsed blocks ->
clean article with metadata) -> `index` (the archive's index, kept in line
with raw/) -> `engine` (the search engine behind one protocol; Whoosh) ->
`query` (requests) -> `explore` (timelines, terms, stories, saved searches)
-> `render`. `text` holds the analysis every stage shares, `model` the
records that cross stages. `Archive` ties them together.
"""

from typing import TYPE_CHECKING, Any

from .archive import Archive
from .errors import (
    ArchiveError,
    IndexFailed,
    IndexLocked,
    IndexMissing,
    QueryError,
    QueryTimeout,
    SchemaMismatch,
    SearchError,
    SourceError,
    UnknownDocument,
)
from .model import (
    AddReport,
    Article,
    Bucket,
    Characterisation,
    ExportReport,
    Hit,
    IndexReport,
    Member,
    SearchResults,
    Significant,
    Skipped,
    Statistics,
    StoredDocument,
    Timeline,
)
from .query.request import Ranking, SearchRequest
from .text.dates import Period

if TYPE_CHECKING:
    from .explore.watches import Watch, WatchRun


def __getattr__(name: str) -> Any:
    """Saved searches' records, imported when first asked for: a query in a
    new process need not load the module that makes them (and hashlib)."""
    if name in ("Watch", "WatchRun"):
        from .explore import watches

        return getattr(watches, name)
    raise AttributeError(f"module 'search' has no attribute {name!r}")


__all__ = [
    "AddReport",
    "Archive",
    "ArchiveError",
    "Article",
    "Bucket",
    "Characterisation",
    "ExportReport",
    "Hit",
    "IndexFailed",
    "IndexLocked",
    "IndexMissing",
    "IndexReport",
    "Member",
    "Period",
    "QueryError",
    "QueryTimeout",
    "Ranking",
    "SchemaMismatch",
    "SearchError",
    "SearchRequest",
    "SearchResults",
    "Significant",
    "Skipped",
    "SourceError",
    "Statistics",
    "StoredDocument",
    "Timeline",
    "UnknownDocument",
    "Watch",
    "WatchRun",
]
