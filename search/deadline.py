"""A query's time budget: what lets a search tool answer any query string in
time, or say which part was too costly, instead of hanging.

Checked between the stages of a query (parsing, scoring each part, counting)
rather than by interrupting it, so that it works in any thread (a server's
as well as the command line's) and leaves nothing half done.
"""

from __future__ import annotations

import time

from .errors import QueryTimeout


class Deadline:
    """The moment a query must be answered by; None seconds: no limit."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.end = None if seconds is None else time.monotonic() + seconds

    def left(self) -> float | None:
        """Seconds left (never below a millisecond); None with no limit."""
        return None if self.end is None else max(0.001, self.end - time.monotonic())

    def passed(self) -> bool:
        return self.end is not None and time.monotonic() > self.end

    def check(self, doing: str) -> None:
        """Raise QueryTimeout, naming what the query was `doing`, once the time is up."""
        if self.passed():
            self.expired(doing)

    def expired(self, doing: str) -> None:
        raise QueryTimeout(
            f"the query took more than {self.seconds:g} s ({doing}); "
            "narrow it (fewer wildcards or fuzzy words, a date range, an outlet) or allow more with --timeout"
        )


NO_DEADLINE = Deadline(None)
