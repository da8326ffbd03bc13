"""The one Whoosh schema of the index, and the text analysis behind it.

Bump SCHEMA_VERSION whenever a field or the analysis changes: an index with
another version is refused with a message to run `search rebuild`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from whoosh.analysis import STOP_WORDS, Analyzer, Token
from whoosh.columns import NumericColumn, RefBytesColumn, VarBytesColumn
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from .names import fold
from .whoosh_startup import english_stemmer

if TYPE_CHECKING:
    from .documents import Article

SCHEMA_VERSION = 11
# Words, with inner dots, apostrophes and ampersands kept ("U.S.", "Kyiv's", "AT&T").
TOKEN_PATTERN = r"\w+(?:[.'’&]\w+)*"


class NewsAnalyzer(Analyzer):  # type: ignore[misc]
    """Words lowercased, NFKC-normalised, English stop words dropped, stemmed;
    each word's folded form (accents removed, Cyrillic transliterated) is
    added at the same position when it differs: "Vučić" is indexed as
    "vucic" and "vučić", "Путин" as "путин" and "putin" (Lucene's
    ASCIIFoldingFilter with preserveOriginal). Queries are analysed without
    the folded forms (`variants=False`): query.py widens each word to its
    exact and folded forms itself, weighting the exact one higher.

    One pass with a cache of each word's terms, instead of a chain of Whoosh
    filters: analysis is a third of indexing time, and news text repeats its
    words. The output is that of Whoosh's RegexTokenizer | LowercaseFilter |
    StopFilter | StemFilter chain, positions included (tests/test_analysis.py).
    """

    CACHE_LIMIT = 200_000

    def __init__(self, variants: bool = True) -> None:
        self.variants = variants
        self._terms: dict[str, tuple[str, ...]] = {}

    def __getstate__(self) -> dict[str, Any]:
        # The schema is pickled into the index: leave the cache out.
        return {"variants": self.variants}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.variants = state["variants"]
        self._terms = {}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NewsAnalyzer) and other.variants == self.variants

    def __hash__(self) -> int:
        return hash(self.variants)

    def terms(self, word: str) -> tuple[str, ...]:
        """The index terms of one lowercased word: () for a stop word."""
        found = self._terms.get(word)
        if found is None:
            if len(self._terms) >= self.CACHE_LIMIT:
                self._terms.clear()
            found = self._terms[word] = self._analyse(word)
        return found

    def spans(self, text: str, among: set[str]) -> Iterator[tuple[int, int, tuple[str, ...]]]:
        """Each word that has one of the terms `among`: its start, end and index
        terms (what snippets need, a third of the cost of tokens).

        Stemming changes only the end of a word, so only the words that begin
        as one of `among` begins, or hold a letter outside ASCII, can have
        one: a regular expression finds those words (the others, nearly all,
        never reach Python; `_candidates`).
        """
        for match in _candidates(tuple(sorted({_beginning(term) for term in among}))).finditer(text):
            terms = self.terms(match.group().lower())
            if not among.isdisjoint(terms):
                yield match.start(), match.end(), terms

    def _analyse(self, word: str) -> tuple[str, ...]:
        if not word.isascii():
            word = unicodedata.normalize("NFKC", word)
        if word in STOP_WORDS:
            return ()  # one letter or digit is a word ("5 mln", "C++", "Plan B"), as Lucene keeps it
        folded = fold(word) if self.variants else word
        return (_stem(word),) if folded == word else (_stem(word), _stem(folded))

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
        matches = (_WORD if tokenize else _WHOLE).finditer(value)
        position, first = start_pos - 1, True
        for raw_position, match in enumerate(matches, start_pos):
            word = match.group().lower()
            terms = self.terms(word)
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


_WORD = re.compile(TOKEN_PATTERN)
# Where a word of TOKEN_PATTERN begins: not after a letter, nor after a
# letter and the dot, apostrophe or ampersand that would join the two.
_WORD_START = r"(?<!\w)(?<![\w][.'’&])"


def _beginning(term: str) -> str:
    """What every word stemmed to `term` begins with: its first two letters,
    or one for a stem of three letters or fewer (English stems "dying" as
    "die"; no longer stem differs from its words in the first two)."""
    return term[:2] if len(term) > 3 else term[:1]


@lru_cache(maxsize=256)
def _candidates(beginnings: tuple[str, ...]) -> re.Pattern[str]:
    """The words that begin with one of `beginnings` (any case) or hold a character outside ASCII."""
    starts = f"(?i:{'|'.join(map(re.escape, beginnings))})|" if beginnings else ""
    return re.compile(rf"{_WORD_START}(?={starts}[\w.'’&]*[^\x00-\x7f]){TOKEN_PATTERN}")


_WHOLE = re.compile(".+", re.DOTALL)  # the value as one word, for tokenize=False
_stem = english_stemmer()


def news_analyzer(variants: bool = True) -> NewsAnalyzer:
    return NewsAnalyzer(variants)


TEXT_FIELDS = ("title", "body", "outlet", "author")
COUNTS = {"title": "title_counts", "body": "body_counts"}
"""Fields whose postings are also kept without positions, and their twins.
Word queries are scored from the twin, phrases from the field: Whoosh
pickles a posting block's positions with its documents and frequencies, and
unpickling them is most of the cost of reading a block (Lucene keeps
positions in a file of their own for this)."""


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
        title_counts=_counts(text),
        body_counts=_counts(text),
        outlet=TEXT(analyzer=text),
        outlet_name=ID(stored=True, sortable=FACET),
        outlet_key=ID,
        author=TEXT(analyzer=text, stored=True),
        url=ID(stored=True),
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
    )


def _counts(analyzer: NewsAnalyzer) -> TEXT:
    """A twin in COUNTS: frequencies without positions, no lengths of its own (the field's are used)."""
    twin = TEXT(analyzer=analyzer, phrase=False)
    twin.scorable = False
    return twin


def column_text(value: bytes | str) -> str:
    """A value read from a Whoosh column or lexicon, as text."""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def outlet_key(name: str) -> str:
    """How an outlet name is matched by `--outlet`: case and spacing ignored."""
    return " ".join(name.casefold().split())


def to_fields(article: Article) -> dict[str, Any]:
    """The index fields of an article; empty metadata is left out."""
    from .stories import bands  # a query does not need the story module

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
    fields |= {twin: fields[field] for field, twin in COUNTS.items()}
    if article.outlet:
        fields |= {"outlet": article.outlet, "outlet_name": article.outlet, "outlet_key": outlet_key(article.outlet)}
    if article.date:
        fields |= {"date": article.date, "date_text": article.date_text, "year": str(article.date.year)}
    if article.url:
        fields["url"] = article.url
    if article.author:
        fields["author"] = article.author
    return fields
