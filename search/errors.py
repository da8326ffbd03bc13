"""The one exception tree of the library.

Only `cli.py` turns these into Click errors; every message is meant to be shown
to a user as is: it says what is wrong and, where there is one, what to do.
"""


class SearchError(Exception):
    """Base class for every error the library expects and explains."""


class ArchiveError(SearchError):
    """The archive folder is missing or unusable."""


class SourceError(SearchError):
    """A raw document or its sidecar cannot be read or understood."""


class IndexMissing(SearchError):
    """There is no index yet where one is needed."""


class SchemaMismatch(SearchError):
    """The index on disk cannot be read: an incompatible version wrote it, or it is damaged."""


class IndexFailed(SearchError):
    """Building the index failed part way; the index is as it was."""


class IndexLocked(SearchError):
    """Another process is writing the index."""


class QueryError(SearchError):
    """A query or one of its filters cannot be understood."""


class QueryTimeout(QueryError):
    """A query ran past its time budget."""


class UnknownDocument(SearchError):
    """No document with the given id is in the index."""


class WatchError(SearchError):
    """A saved search is unknown, misnamed, or exists already."""


class AddressTaken(SearchError):
    """`search serve` cannot listen where it was asked to."""


REBUILD_HINT = "run `search index` to build it again from raw/"


def said(exc: BaseException) -> str:
    """An exception as one line: its kind and message."""
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
