"""The one Whoosh schema of the index, and the text analysis behind it.

Bump SCHEMA_VERSION whenever a field or the analysis changes: an index with
another version is refused with a message to run `search rebuild`.
"""

from __future__ import annotations

from typing import Any

from whoosh.analysis import Analyzer, CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

from .documents import Article

SCHEMA_VERSION = 2
# Words, with inner dots and apostrophes kept ("U.S.", "Kyiv's").
TOKEN_PATTERN = r"\w+(?:[.'’]\w+)*"


def news_analyzer() -> Analyzer:
    """Lowercase, fold accents, drop English stop words, stem.

    Folding comes before stemming so that "Vučić" and "Vucic" meet as one term.
    """
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter()
        | StemFilter(lang="en", cachesize=-1)
    )


def build_schema() -> Schema:
    text = news_analyzer()
    return Schema(
        id=ID(unique=True, stored=True, sortable=True),
        title=TEXT(analyzer=text, stored=True),
        body=TEXT(analyzer=text, stored=True),
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
