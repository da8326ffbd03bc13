"""How text becomes index terms: words lowercased, NFKC-normalised, stop
words dropped, stemmed, each word's folded form added when it differs
("Vučić" gives "vučić" and "vucic", "Путин" gives "путин" and "putin",
as Lucene's ASCIIFoldingFilter with preserveOriginal does).

The stemmer and the stop words are the search engine's (the index and the
queries must agree with it), handed in by `search.engine`; everything else
here is the same whatever engine indexes the terms.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import lru_cache

from .marks import MARKS
from .names import fold

LETTERS = rf"\w+(?:(?=[^\x00-\x7f])[{MARKS}]+\w*)*"
"""Letters and digits, and the combining marks among them (the vowel signs
of "व्यापार"): a word's end is looked at for marks only when it is not ASCII,
which keeps English words nearly as quick to find as with `\\w+` alone."""
TOKEN_PATTERN = rf"{LETTERS}(?:[.'’&]{LETTERS})*"
"""Words, with inner dots, apostrophes and ampersands kept ("U.S.", "Kyiv's", "AT&T")."""
WORD = re.compile(TOKEN_PATTERN)


def composed(text: str) -> str:
    """`text` with its accents composed with their letters (NFC), as most
    text is: a file saved with them apart ("Vuc\u030cic\u0301", as macOS
    writes file names and some editors text) would otherwise make other
    terms than the same words composed, and never be found by its names.
    Canonically equal, so nothing a reader sees changes; a quick check
    first, as nearly all text is composed already."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


class Analysis:
    """The terms of words, with a cache: news text repeats its words, and
    analysis is a large share of indexing time.

    With `variants`, a word's folded form is a term beside its exact one
    (what the index holds); without, only the exact form (what a query
    parser sees: the query side widens each word to its folded forms itself,
    weighting the exact one higher).
    """

    CACHE_LIMIT = 200_000

    def __init__(self, stem: Callable[[str], str], stop_words: frozenset[str], variants: bool = True) -> None:
        self.stem = stem
        self.stop_words = stop_words
        self.variants = variants
        self._terms: dict[str, tuple[str, ...]] = {}

    def terms(self, word: str) -> tuple[str, ...]:
        """The index terms of one lowercased word: () for a stop word."""
        found = self._terms.get(word)
        if found is None:
            if len(self._terms) >= self.CACHE_LIMIT:
                self._terms.clear()
            found = self._terms[word] = self._analyse(word)
        return found

    def words(self, text: str) -> list[str]:
        """The terms of a text's words, in order (a query's, an alias's)."""
        return [term for match in WORD.finditer(composed(text)) for term in self.terms(match.group().lower())]

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
        if word in self.stop_words:
            return ()  # one letter or digit is a word ("5 mln", "C++", "Plan B"), as Lucene keeps it
        folded = fold(word) if self.variants else word
        stem = self.stem
        return (stem(word),) if folded == word else (stem(word), stem(folded))


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
