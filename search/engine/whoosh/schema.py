"""The one Whoosh schema of the index, and the text analysis behind it.

Bump SCHEMA_VERSION whenever a field or the analysis changes: an index with
another version is refused with a message to run `search rebuild`.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from whoosh.analysis import STOP_WORDS, Analyzer, Token
from whoosh.columns import NumericColumn, RefBytesColumn, VarBytesColumn
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, STORED, TEXT, FieldType, Schema

from ...fields import FIELDS, Field
from ...model import speakers_of
from ...text.analysis import WORD, Analysis, composed
from .startup import english_stemmer

if TYPE_CHECKING:
    from ...model import Article

SCHEMA_VERSION = 18


class NewsAnalyzer(Analyzer):  # type: ignore[misc]
    """`text.analysis.Analysis` as a Whoosh analyzer, with Whoosh's stop
    words and Snowball English stemmer.

    One pass with a cache of each word's terms, instead of a chain of Whoosh
    filters: analysis is a third of indexing time, and news text repeats its
    words. The output is that of Whoosh's RegexTokenizer | LowercaseFilter |
    StopFilter | StemFilter chain, positions included (tests/test_analysis.py).
    """

    def __init__(self, variants: bool = True) -> None:
        self.analysis = Analysis(_stem, STOP_WORDS, variants)

    def __getstate__(self) -> dict[str, Any]:
        # The schema is pickled into the index: leave the cache out.
        return {"variants": self.analysis.variants}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.analysis = Analysis(_stem, STOP_WORDS, state["variants"])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NewsAnalyzer) and other.analysis.variants == self.analysis.variants

    def __hash__(self) -> int:
        return hash(self.analysis.variants)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        matches = (WORD if tokenize else _WHOLE).finditer(composed(value))
        analyse = self.analysis.terms
        position, first = start_pos - 1, True
        for raw_position, match in enumerate(matches, start_pos):
            word = match.group().lower()
            terms = analyse(word)
            if terms:
                # Like Whoosh's StopFilter: the first word keeps its place,
                # the ones after it follow without gaps for stop words.
                position = raw_position if first else position + 1
                first = False
                token.stopped = False
            elif removestops:
                continue
            else:
                token.stopped = True
                terms = (word,)
            if positions:
                token.pos = raw_position if token.stopped else position
            if chars:
                token.startchar, token.endchar = start_char + match.start(), start_char + match.end()
            for term in terms:
                token.text = term
                yield token

    def positions(self, value: str) -> dict[str, list[int]]:
        """Each term of `value` and the positions it is at: what Whoosh's
        Positions format gathers from this analyzer's tokens, stop words
        removed, without a Token a word (the segment writer's way in)."""
        found: defaultdict[str, list[int]] = defaultdict(list)
        analyse = self.analysis.terms
        position = -1
        for raw_position, word in enumerate(WORD.findall(composed(value))):
            terms = analyse(word.lower())
            if terms:
                position = raw_position if position < 0 else position + 1  # as __call__ places them
                for term in terms:
                    found[term].append(position)
        return found


_WHOLE = re.compile(".+", re.DOTALL)  # the value as one word, for tokenize=False
_stem = english_stemmer()


def news_analyzer(variants: bool = True) -> NewsAnalyzer:
    return NewsAnalyzer(variants)


def analysis(variants: bool = True) -> Analysis:
    """The analysis of the index's text fields (`variants=False`: of query words)."""
    return (_INDEXED if variants else _QUERIED).analysis


TEXT_FIELDS = (
    "title",
    "body",
    "outlet",
    *(field.name for field in FIELDS if field.kind == "text"),
    "quotes",
    "speakers",
    "people",
)
FACET = RefBytesColumn()
"""The column of a field counted as a facet (outlet, year): each distinct
value stored once per segment and each document's as a one- or two-byte
reference, so a new process reads a whole column at once instead of
slicing a value a document. At most 65,535 distinct values in
one segment: outlets and years are far fewer."""


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
        body=TEXT(analyzer=text, stored=True),
        outlet=TEXT(analyzer=text),
        outlet_name=ID(stored=True, sortable=FACET),
        outlet_key=ID,
        **{field.name: _field(field, text) for field in FIELDS},
        date=DATETIME(sortable=True),
        date_text=STORED,
        dated=COLUMN(NumericColumn("B")),
        cut=COLUMN(NumericColumn("B")),
        year=ID(sortable=FACET),
        date_source=ID(stored=True),
        stamp=COLUMN(VarBytesColumn()),
        sha=COLUMN(VarBytesColumn()),
        lines=KEYWORD(stored=True),
        story=KEYWORD,
        quotes=TEXT(analyzer=text),
        speakers=TEXT(analyzer=text),
        people=TEXT(analyzer=text),
        quoted=COLUMN(VarBytesColumn()),
        people_names=COLUMN(VarBytesColumn()),
    )


def _field(field: Field, analyzer: NewsAnalyzer) -> FieldType:
    """How a field of `search.fields` is indexed: its words (text), or its
    value whole (a facet's with a column, read whole to count it)."""
    if field.kind == "text":
        return TEXT(analyzer=analyzer, stored=True)
    return ID(stored=True, sortable=FACET if field.facet else False)


PEOPLE_SEPARATOR = "\x1f"
"""Between the names of the people_names column. A document's quotes are
kept in a column too (`quoted`, JSON), not with its stored fields: listing
the quotes of many documents then reads no bodies."""


def column_text(value: bytes | str) -> str:
    """A value read from a Whoosh column or lexicon, as text."""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def outlet_key(name: str) -> str:
    """How an outlet name is matched by `--outlet`: case and spacing ignored."""
    return " ".join(name.casefold().split())


def to_fields(article: Article) -> dict[str, Any]:
    """The index fields of an article; empty metadata is left out."""
    from ...text.shingles import bands  # a query does not need the story module

    fields: dict[str, Any] = {
        "id": article.doc_id,
        "title": article.title or "",
        "body": article.body,
        "date_source": article.date_source,
        "dated": 1 if article.date else 0,
        "cut": article.percent_cut(),
        "stamp": article.stamp.encode(),
        "sha": article.sha.encode(),
        "lines": " ".join(article.line_keys),
        "story": " ".join(bands(article.body)),
    }
    if article.quotes:
        fields |= {
            "quotes": "\n\n".join(quote.text for quote in article.quotes),
            "speakers": "\n".join(speakers_of(article.quotes)),
            "quoted": json.dumps([tuple(quote) for quote in article.quotes], ensure_ascii=False).encode(),
        }
    if article.people:
        fields |= {"people": "\n".join(article.people), "people_names": PEOPLE_SEPARATOR.join(article.people).encode()}
    if article.outlet:
        fields |= {"outlet": article.outlet, "outlet_name": article.outlet, "outlet_key": outlet_key(article.outlet)}
    if article.date:
        fields |= {"date": article.date, "date_text": article.date_text, "year": str(article.date.year)}
    return fields | dict(article.metadata)


_INDEXED, _QUERIED = news_analyzer(), news_analyzer(variants=False)
