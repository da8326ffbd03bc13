"""What an update or a build of the index did, for the user to see and for scripts to check."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..model import Article, Skipped

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
    merged: int = 0
    """Pieces of the index (segments) merged after the changes."""
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
