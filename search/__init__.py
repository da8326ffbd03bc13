"""news-search: full-text search for folders of raw news documents.

The packages follow the data's way: `ingest` (raw file -> parsed blocks ->
clean article with metadata) -> `index` (the archive's index, kept in line
with raw/) -> `engine` (the search engine behind one protocol; Whoosh) ->
`query` (requests) -> `explore` (timelines, terms, stories, saved searches)
-> `render`. `text` holds the analysis every stage shares, `model` the
records that cross stages. `Archive` ties them together.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .archive import AddReport, Archive
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
from .model import Also, Article, Hit, Member, SearchResults, Skipped, Snippet, Statistics, StoredDocument
from .query.request import Ranking, SearchRequest
from .text.dates import Period

if TYPE_CHECKING:
    from .explore.terms import Characterisation, Significant
    from .explore.timeline import Bucket, Timeline
    from .explore.watches import Watch, WatchRun
    from .index.report import IndexReport
    from .interop.opensearch import ExportReport

_LATER = {
    "Bucket": "explore.timeline",
    "Characterisation": "explore.terms",
    "ExportReport": "interop.opensearch",
    "IndexReport": "index.report",
    "Significant": "explore.terms",
    "Timeline": "explore.timeline",
    "Watch": "explore.watches",
    "WatchRun": "explore.watches",
}
"""Records made by one stage alone, kept beside it and imported when first
asked for: a query in a new process need not load them."""


def __getattr__(name: str) -> Any:
    if name in _LATER:
        return getattr(import_module(f".{_LATER[name]}", __name__), name)
    raise AttributeError(f"module 'search' has no attribute {name!r}")


__all__ = [
    "AddReport",
    "Also",
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
    "Snippet",
    "SourceError",
    "Statistics",
    "StoredDocument",
    "Timeline",
    "UnknownDocument",
    "Watch",
    "WatchRun",
]
