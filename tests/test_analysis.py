"""The one-pass analyzer gives what Whoosh's own filter chain would give."""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Iterator
from itertools import groupby

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter, Token

from search.engine.whoosh.schema import news_analyzer
from search.text.analysis import TOKEN_PATTERN, WORD
from search.text.marks import MARK_RANGES
from search.text.names import fold

from .conftest import SAMPLES


class _Normalise(Filter):  # type: ignore[misc]
    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = unicodedata.normalize("NFKC", token.text)
            yield token


class _Folded(Filter):  # type: ignore[misc]
    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            text = token.text
            yield token
            if fold(text) != text:
                token.text = fold(text)
                yield token


def _chain(variants: bool) -> Filter:
    chain = RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | _Normalise() | StopFilter(minsize=1)
    return (chain | _Folded() if variants else chain) | StemFilter(lang="en")


def _tokens(analyzer: Filter, text: str, **options: object) -> list[tuple[str, int, int, int, bool]]:
    tokens = analyzer(text, positions=True, chars=True, **options)
    return [(t.text, t.pos, t.startchar, t.endchar, t.stopped) for t in tokens]


def _same(text: str) -> None:
    for variants in (True, False):
        assert _tokens(news_analyzer(variants), text) == _tokens(_chain(variants), text)
    # Snippets ask for stop words too: they come as they are, the rest unchanged.
    everything = _tokens(news_analyzer(), text, removestops=False)
    assert [t for t in everything if not t[4]] == _tokens(news_analyzer(), text)
    assert all(t[0] == text[t[2] : t[3]].lower() for t in everything if t[4])
    # The segment writer's way in: each term's positions, as Whoosh's Positions format gathers them.
    gathered: dict[str, list[int]] = {}
    for term, position, *_ in _tokens(news_analyzer(), text):
        gathered.setdefault(term, []).append(position)
    assert news_analyzer().positions(text) == gathered


def _same_spans(text: str) -> None:
    """`spans` finds, for any terms asked, the words whose analysis has one of them."""
    words: dict[tuple[int, int], tuple[str, ...]] = {}
    for token in news_analyzer()(text, chars=True):
        words[token.startchar, token.endchar] = (*words.get((token.startchar, token.endchar), ()), token.text)
    for term in {term for terms in words.values() for term in terms}:
        expected = [(start, end, terms) for (start, end), terms in words.items() if term in terms]
        assert list(news_analyzer().analysis.spans(text, {term, "zzz"})) == expected, term


def test_same_terms_and_positions_on_the_samples() -> None:
    for path in SAMPLES.glob("*.*"):
        _same(path.read_text("utf-8", errors="replace"))


def test_spans_on_the_samples() -> None:
    for path in SAMPLES.glob("*.*"):
        _same_spans(path.read_text("utf-8", errors="replace")[:20_000])


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from("aeiouyAEbBx_ ščćžđ ЂПутинвс .,'’ﬁＡ\u212aİ1\n-कव\u094d\u093eب\u064e"), max_size=80
    )
)
def test_same_terms_and_positions_on_any_text(text: str) -> None:
    _same(text)
    _same_spans(text)


def test_the_cache_is_not_pickled_into_the_index() -> None:
    import pickle

    analyzer = news_analyzer()
    list(analyzer("Vučić met Putin"))
    copy = pickle.loads(pickle.dumps(analyzer))
    assert copy == analyzer and not copy.analysis._terms
    assert [t.text for t in copy("Vučić")] == ["vučić", "vucic"]


def test_the_table_of_marks_is_unicodes() -> None:
    marks = [code for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)).startswith("M")]
    runs = groupby(enumerate(marks), key=lambda pair: pair[1] - pair[0])
    assert tuple((run[0][1], run[-1][1]) for _, group in runs for run in [list(group)]) == MARK_RANGES


def test_a_word_holding_combining_marks_is_one_word() -> None:
    """Python's `\\w` leaves marks out: Hindi fell apart into its letters."""
    text = "भारत और रूस के बीच व्यापार; தமிழ்நாடு அரசு; বাংলাদেশের; كَتَبَ الرئيسُ; Vučić’s U.S. ❤️"
    assert WORD.findall(text) == [
        *["भारत", "और", "रूस", "के", "बीच", "व्यापार"],
        *["தமிழ்நாடு", "அரசு", "বাংলাদেশের", "كَتَبَ", "الرئيسُ", "Vučić’s", "U.S"],
    ]
    # Arabic vowel marks are folded away, so a word is found written with them or without.
    assert [t.text for t in news_analyzer()("كَتَبَ")] == ["كَتَبَ", "كتب"]
