"""The one Whoosh schema of the index, and the text analysis behind it.

Bump SCHEMA_VERSION whenever a field or the analysis changes: an index with
another version is refused with a message to run `search rebuild`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import cache
from typing import Any

from whoosh.analysis import Analyzer, Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter, Token
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from .documents import Article
from .names import fold

SCHEMA_VERSION = 4
# Words, with inner dots and apostrophes kept ("U.S.", "Kyiv's").
TOKEN_PATTERN = r"\w+(?:[.'’]\w+)*"


class NormaliseUnicode(Filter):  # type: ignore[misc]
    """NFKC: one code point sequence for what looks the same (ligatures, widths)."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            if not token.text.isascii():
                token.text = unicodedata.normalize("NFKC", token.text)
            yield token


class FoldedVariants(Filter):  # type: ignore[misc]
    """Keeps each word and adds its folded form at the same position when it
    differs ("Vučić" is indexed as "vučić" and "vucic", "Путин" as "путин"
    and "putin"), so that every spelling finds it and the exact one can
    still rank first (Lucene's ASCIIFoldingFilter with preserveOriginal)."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            text = token.text
            yield token
            folded = fold(text)
            if folded != text:
                token.text = folded
                yield token


def news_analyzer(variants: bool = True) -> Analyzer:
    """Lowercase, normalise, add folded forms, drop English stop words, stem.

    Queries are analysed without the folded forms (`variants=False`): the
    query widens each word to its exact and folded forms itself, weighting
    the exact one higher (query.py).
    """
    # Stop words go before the variants are added: the filter renumbers
    # positions, and a variant must stand at its word's position.
    chain = RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | NormaliseUnicode() | StopFilter()
    if variants:
        chain = chain | FoldedVariants()
    return chain | StemFilter(lang="en", cachesize=-1)


TEXT_FIELDS = ("title", "body", "outlet", "author")


@cache
def query_schema() -> Schema:
    """The schema as the query parser sees it: text fields without folded forms."""
    schema = build_schema()
    exact = news_analyzer(variants=False)
    for name in TEXT_FIELDS:
        schema[name].analyzer = exact
    return schema


def build_schema() -> Schema:
    text = news_analyzer()
    return Schema(
        id=ID(unique=True, stored=True, sortable=True),
        title=TEXT(analyzer=text, stored=True),
        body=TEXT(analyzer=text, stored=True, spelling=True),
        outlet=TEXT(analyzer=text),
        outlet_name=ID(stored=True, sortable=True),
        outlet_key=ID,
        author=TEXT(analyzer=text, stored=True),
        url=ID(stored=True),
        date=DATETIME(sortable=True),
        date_text=STORED,
        dated=NUMERIC(bits=8, sortable=True),
        year=ID(sortable=True),
        date_source=ID(stored=True),
        stamp=ID(sortable=True),
        sha=ID(sortable=True),
        lines=KEYWORD(stored=True),
    )


def column_text(value: bytes | str) -> str:
    """A value read from a Whoosh column or lexicon, as text."""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def outlet_key(name: str) -> str:
    """How an outlet name is matched by `--outlet`: case and spacing ignored."""
    return " ".join(name.casefold().split())


def to_fields(article: Article) -> dict[str, Any]:
    """The index fields of an article; empty metadata is left out."""
    fields: dict[str, Any] = {
        "id": article.doc_id,
        "title": article.title or "",
        "body": article.body,
        "date_source": article.date_source,
        "dated": 1 if article.date else 0,
        "stamp": article.stamp,
        "sha": article.sha,
        "lines": " ".join(article.line_keys),
    }
    if article.outlet:
        fields |= {"outlet": article.outlet, "outlet_name": article.outlet, "outlet_key": outlet_key(article.outlet)}
    if article.date:
        fields |= {"date": article.date, "date_text": article.date_text, "year": str(article.date.year)}
    if article.url:
        fields["url"] = article.url
    if article.author:
        fields["author"] = article.author
    return fields
