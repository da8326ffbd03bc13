"""news-search: full-text search for folders of raw news documents.

The pipeline, one module a step: sources (raw files) -> parse (blocks) ->
clean (boilerplate out) -> metadata (title, date, outlet) -> indexer ->
query -> searcher (hits and facets) -> render. `Archive` ties them together.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .whoosh_startup import import_whoosh

import_whoosh()  # before any other module imports Whoosh

from .archive import AddReport, Archive  # noqa: E402
from .errors import (  # noqa: E402
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
from .query import Ranking, SearchRequest  # noqa: E402
from .searcher import Hit, SearchResults, Statistics, StoredDocument  # noqa: E402

if TYPE_CHECKING:
    from .archive import WatchRun
    from .dates import Period
    from .documents import Article, Skipped
    from .export import ExportReport
    from .report import IndexReport
    from .stories import Member
    from .terms import Characterisation, Significant
    from .timeline import Timeline
    from .watches import Watch

_LATER = {
    "Article": "documents",
    "Characterisation": "terms",
    "ExportReport": "export",
    "IndexReport": "report",
    "Member": "stories",
    "Period": "dates",
    "Significant": "terms",
    "Skipped": "documents",
    "Timeline": "timeline",
    "Watch": "watches",
    "WatchRun": "archive",
}
"""Records the Archive returns, imported when first asked for: a query in a
new process need not load the modules that make them."""


def __getattr__(name: str) -> Any:
    if name in _LATER:
        return getattr(import_module(f".{_LATER[name]}", __name__), name)
    raise AttributeError(f"module 'search' has no attribute {name!r}")


__all__ = [
    "AddReport",
    "Archive",
    "ArchiveError",
    "Article",
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
