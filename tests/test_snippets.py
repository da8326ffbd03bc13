"""Snippets: the best windows, found in linear time, as the plain definition finds them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from search.engine import engine
from search.model import Snippet
from search.text.snippets import (
    LEAD,
    MAX_ANALYZED,
    MAX_MATCHES,
    MAX_WORD,
    WIDTH,
    WINDOWS,
    _best_windows,
    _Match,
    snippet,
)

LONGEST = WIDTH + 2 * MAX_WORD + len(" … ")
"""The most text one window of a snippet shows."""


def length(found: Snippet) -> int:
    return sum(len(text) for text, _ in found.pieces)


def best_windows_by_definition(matches: list[_Match], length: int) -> list[tuple[int, int]]:
    """Every window that opens LEAD before a match, scored by counting what is inside it."""
    candidates = []
    for first in matches:
        start = max(0, first.start - LEAD)
        end = min(length, start + WIDTH)
        inside = [m for m in matches if start <= m.start and m.end <= end]
        candidates.append(((len({m.term for m in inside}), len(inside)), start, end))
    candidates.sort(key=lambda c: (-c[0][0], -c[0][1], c[1]))
    chosen: list[tuple[int, int]] = []
    for _, start, end in candidates:
        if all(end <= s or start >= e for s, e in chosen) and len(chosen) < WINDOWS:
            chosen.append((start, end))
    return sorted(chosen)


@st.composite
def match_lists(draw: st.DrawFn) -> tuple[list[_Match], int]:
    """Matches in order that do not overlap: gaps and lengths (some longer than a window)."""
    matches, cursor = [], 0
    for gap, size, term in draw(st.lists(st.tuples(st.integers(0, 120), st.integers(1, 260), st.sampled_from("abc")))):
        start = cursor + gap
        matches.append(_Match(start, start + size, term))
        cursor = start + size
    return matches, cursor + draw(st.integers(0, 300))


@given(match_lists())
def test_the_best_windows_are_those_of_the_definition(case: tuple[list[_Match], int]) -> None:
    matches, length = case
    assert _best_windows(matches, length) == best_windows_by_definition(matches, length)


def test_a_word_repeated_through_a_huge_body_gives_a_snippet_of_its_first_matches() -> None:
    body = "Oil talks began. " + "oil " * 1_000_000 + "Talks ended in Vienna."
    found = snippet(body, {"oil", "talk"}, engine().analysis(variants=False))
    assert found.marked().startswith("**Oil** **talks** began.") and length(found) <= WINDOWS * LONGEST
    assert MAX_MATCHES < 1_000_000


def test_a_word_longer_than_a_window_is_cut_not_read_to_its_end() -> None:
    body = "Oil " + "x" * 100_000 + " oil"
    assert length(snippet(body, {"oil"}, engine().analysis(variants=False))) <= WINDOWS * LONGEST


def test_a_match_past_the_analysed_characters_shows_the_beginning() -> None:
    body = "Weather report. " * (MAX_ANALYZED // 16 + 1) + "Oil talks."
    found = snippet(body, {"oil"}, engine().analysis(variants=False))
    assert found.marked().startswith("Weather report.") and "**" not in found.marked()


def test_stems_begin_as_their_words_do() -> None:
    """What lets `spans` skip words by their first letters: checked on irregular stems."""
    analyzer = engine().analysis(variants=False)
    for word in ["dying", "lying", "skies", "generously", "Vučić", "news", "early", "Ｔalks"]:
        found = snippet(f"Before {word} after.", set(analyzer.terms(word.lower())), analyzer)
        assert found.pieces[1][1], word
