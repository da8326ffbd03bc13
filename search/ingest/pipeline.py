"""raw file -> parsed document -> outlet and line keys -> cleaned Article.

Cleaning is split in two because of one thing: whether a line is an outlet's
boilerplate depends on how many of the outlet's documents carry it, which is
known only once every document has been read (`Prepared.line_keys`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from ..model import Article, ParsedDocument, RawDocument
from .clean import Context, Line, clean, repetition_group, to_lines
from .metadata import build_article, detect_outlet
from .parse import parse
from .quotes import quotations
from .rules import Rules
from .sources import SourceFile, read


@dataclass(frozen=True)
class Prepared:
    """A document read and parsed, with what repetition counting needs."""

    parsed: ParsedDocument
    outlet: str | None
    lines: tuple[Line, ...]

    @property
    def line_keys(self) -> tuple[str, ...]:
        return tuple(sorted({line.key for line in self.lines}))

    def without_text(self) -> Prepared:
        """The same, without the raw text and blocks, which `finish` does not
        read: what a build keeps on disk between its two passes."""
        parsed = self.parsed._replace(raw=self.parsed.raw._replace(text=""), blocks=())
        return replace(self, parsed=parsed)


def prepare(source: SourceFile, rules: Rules) -> Prepared:
    """Read, decode and parse a file. Raises SourceError."""
    return prepare_raw(read(source), rules)


def prepare_raw(raw: RawDocument, rules: Rules) -> Prepared:
    parsed = parse(raw, rules)
    outlet = detect_outlet(parsed, rules)
    return Prepared(parsed, outlet, to_lines(parsed.blocks, repetition_group(outlet, raw.doc_id)))


def finish(prepared: Prepared, rules: Rules, is_repeated: Callable[[str], bool]) -> Article:
    """Clean a prepared document into its Article."""
    parsed, raw = prepared.parsed, prepared.parsed.raw
    known_title = raw.sidecar.title or parsed.meta.title
    cut_region = not raw.is_html and rules.region.applies(prepared.outlet, raw.doc_id)
    context = Context(rules, is_repeated, known_title, cut_region, prepared.outlet)
    draft = clean(prepared.lines, context)
    article = build_article(parsed, prepared.outlet, draft)
    quotes, people = quotations(article.body, rules.quotes.of(article.metadata.get("language")))
    return article._replace(line_keys=prepared.line_keys, quotes=quotes, people=people)


def never_repeated(_: str) -> bool:
    return False
