"""What a result set is about: the terms and names that set it apart from
the whole archive (Elasticsearch's significant_terms).

The foreground is a sample of the best-ranked matches (as Elasticsearch's
sampler aggregation does: the top documents say most about a query, and
reading every match of a common word would take minutes at scale); the
background is the document frequency of each term in the whole index. A
term scores by JLH, (fg% - bg%) * fg% / bg%: both how much more common it is
in the sample and how common it is there. Words are counted by stem and
shown in the form the sample writes most; names are runs of capitalised
words, counted in the whole archive by phrase.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from functools import partial
from typing import NamedTuple, TypeVar

from ..engine import Reader, Sample
from ..text.analysis import TOKEN_PATTERN, Analysis

SAMPLE = 200
"""Best-ranked matches read for the foreground."""
MIN_DOCS = 2
"""A term must occur in at least this many sampled documents (fewer in a smaller sample)."""
NAME_CANDIDATES = 20
"""Names counted in the archive (a phrase query each), the most frequent in the sample first."""

_WORD = re.compile(TOKEN_PATTERN)
K = TypeVar("K", str, tuple[str, ...])


class Significant(NamedTuple):
    text: str
    """The term as the sample writes it most often."""
    sample: int
    """Sampled documents holding it."""
    archive: int
    """Documents of the archive holding it."""
    score: float


class Characterisation(NamedTuple):
    total: int
    """Documents the request matches."""
    sample: int
    """Documents read: the best-ranked matches."""
    documents: int
    """Documents in the archive."""
    terms: tuple[Significant, ...]
    names: tuple[Significant, ...]


def characterise(reader: Reader, sample: Sample, limit: int = 20) -> Characterisation:
    """The significant terms and names of the `sample`'s documents; the
    query's own stems, significant by construction, are left out."""
    words: Counter[str] = Counter()
    names: Counter[tuple[str, ...]] = Counter()
    word_forms: defaultdict[str, Counter[str]] = defaultdict(Counter)
    name_forms: defaultdict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    stem = partial(_stem, reader.analysis)
    for body in sample.bodies:
        words.update(_words(body, word_forms, stem) - sample.terms)
        names.update(_names(body, name_forms, stem))
    documents = reader.document_count()
    size = len(sample.bodies)
    least, scale = min(MIN_DOCS, size), (size, documents)

    def phrase(key: tuple[str, ...]) -> int:
        return reader.phrase_frequency(list(key))

    term_rows = _ranked(words, least, scale, reader.document_frequency, word_forms)
    name_rows = _ranked(Counter(dict(names.most_common(NAME_CANDIDATES))), least, scale, phrase, name_forms)
    return Characterisation(sample.total, size, documents, tuple(term_rows[:limit]), tuple(name_rows[:limit]))


Stem = Callable[[str], str | None]


def _words(body: str, forms: defaultdict[str, Counter[str]], stem: Stem) -> set[str]:
    """The folded stems of a body's words (numbers aside), so that "Vučić" and
    "Vucic" count as one; notes each stem's written forms."""
    stems = set()
    for match in _WORD.finditer(body):
        written = match.group()
        term = stem(written)
        if term and not written[0].isdigit():
            stems.add(term)
            forms[term][written] += 1
    return stems


def _stem(analysis: Analysis, word: str) -> str | None:
    """The folded index term of a word, as the index holds it; None for a stop word."""
    terms = analysis.terms(word.lower())
    return terms[-1] if terms else None


def _names(body: str, forms: defaultdict[tuple[str, ...], Counter[str]], stem: Stem) -> set[tuple[str, ...]]:
    """The names of a body, as stems: runs of capitalised words one space apart."""
    found: set[tuple[str, ...]] = set()
    run: list[str] = []
    end = -1
    for match in _WORD.finditer(body):
        word = match.group()
        if run and (not word[:1].isupper() or body[end : match.start()] != " "):
            found.update(_name(run, forms, stem))
            run = []
        if word[:1].isupper():
            run.append(word)
        end = match.end()
    found.update(_name(run, forms, stem))
    return found


def _name(run: list[str], forms: defaultdict[tuple[str, ...], Counter[str]], stem: Stem) -> Iterator[tuple[str, ...]]:
    """The names a run of capitalised words holds: its last two, three and
    four words, so that "Serbian President Aleksandar Vučić" also counts as
    "Aleksandar Vučić"; none across a stop word ("The", "Of")."""
    stems = [stem(word) for word in run]
    for size in range(2, min(len(run), 4) + 1):
        key = tuple(stem for stem in stems[-size:] if stem)
        if len(key) == size:
            forms[key][" ".join(run[-size:])] += 1
            yield key


def _ranked(
    counts: Counter[K],
    least: int,
    scale: tuple[int, int],
    background: Callable[[K], int],
    forms: defaultdict[K, Counter[str]],
) -> list[Significant]:
    """Terms found in at least `least` sampled documents, most significant
    first; `scale` is the sample's size and the archive's."""
    sample, documents = scale
    rows = []
    for key, in_sample in counts.items():
        if in_sample < least:
            continue
        in_archive = max(int(background(key)), in_sample)
        score = jlh(in_sample / sample, in_archive / documents)
        if score > 0:
            shown = max(forms[key].items(), key=lambda item: (item[1], item[0]))[0]
            rows.append(Significant(shown, in_sample, in_archive, round(score, 4)))
    return sorted(rows, key=lambda row: (-row.score, -row.sample, row.text))


def jlh(foreground: float, background: float) -> float:
    """Elasticsearch's default significance score: 0 unless more common in the foreground."""
    if foreground <= background or background == 0:
        return 0.0
    return (foreground - background) * foreground / background
