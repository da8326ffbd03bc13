"""Scores of the cleaner against gold article text.

The metric is the development set's (see its README): lowercase both texts,
split them into word tokens (`\\w+`), count the overlap of the two multisets;
precision = overlap / extracted tokens, recall = overlap / gold tokens, F1
their harmonic mean (0 for an empty extraction); then the mean over pages.

Each page is scored in every shape a user's file of it can have: the HTML
path of the cleaner; the whole-page text (a baseline); the text-dump path,
where the page's text, one line per block as a naive scraper saves it, goes
through the text cleaner, as a dump scraped from an unknown outlet would;
and that dump hard-wrapped at 72 columns, with and without a blank line
between its blocks (as `fmt`, e-mail or `lynx -dump` leave it). An
evaluation that saw one shape would hide what the others lose.

Plain articles filed hard-wrapped (Reuters: the title, then the text,
with or without a blank line between) have no boilerplate to lose: for them
the recall of the words counts, and whether the title is the headline
(`evaluate_filed`). They are cleaned together, as one outlet's archive
cleans them, so that what recurs among them (a routine story's headline,
its set wording) is put to the test of boilerplate as it is in an index.
"""

from __future__ import annotations

import json
import re
import textwrap
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from statistics import mean

from bs4 import BeautifulSoup

from ..errors import SourceError
from ..ingest.pipeline import finish, never_repeated, prepare_raw
from ..ingest.rules import Rules
from ..ingest.sources import decode
from ..model import RawDocument

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, extracted: str, gold: str) -> Score:
        got, want = Counter(_WORD.findall(extracted.lower())), Counter(_WORD.findall(gold.lower()))
        overlap = sum((got & want).values())
        if not overlap:
            return cls(0.0, 0.0, 0.0)
        precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
        return cls(precision, recall, 2 * precision * recall / (precision + recall))

    @classmethod
    def mean_of(cls, scores: list[Score]) -> Score:
        return cls(*(mean(getattr(s, name) for s in scores) for name in ("precision", "recall", "f1")))


@dataclass(frozen=True)
class PageScore:
    page: str
    site: str
    html: Score
    baseline: Score
    text_dump: Score
    wrapped: Score
    """The text dump hard-wrapped at WRAP columns, a blank line between blocks."""
    wrapped_tight: Score
    """The same with no blank lines: paragraphs are known only by the wrapping."""
    reference: Score | None = None


@dataclass(frozen=True)
class Reference:
    """Another extractor, scored in the same run for comparison."""

    name: str
    extract: Callable[[bytes], str]


@dataclass(frozen=True)
class CleanEvaluation:
    pages: tuple[PageScore, ...]
    seconds: float
    """Time the HTML path took over all pages (reading excluded)."""
    reference: str | None = None

    def mean(self, path: str) -> Score:
        return Score.mean_of([getattr(page, path) for page in self.pages])

    @property
    def pages_per_second(self) -> float:
        return len(self.pages) / self.seconds if self.seconds else 0.0


def trafilatura_reference() -> Reference | None:
    """trafilatura, the best-known extractor, when it is installed (it is not a dependency)."""
    try:
        from importlib.metadata import version

        import trafilatura  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None

    def extract(data: bytes) -> str:
        return trafilatura.extract(data, include_comments=False) or ""

    return Reference(f"trafilatura {version('trafilatura')}", extract)


def evaluate_cleaner(folder: Path, rules: Rules, reference: Reference | None = None) -> CleanEvaluation:
    """Score every page of `folder` (`pages/<id>.html` and `gold.json`)."""
    gold = _gold(folder)
    scores, seconds = [], 0.0
    for page_id, expected, data in _pages(folder, gold):
        started = time.perf_counter()
        html_body = clean_html(data, page_id, rules)
        seconds += time.perf_counter() - started
        text = decode(data, is_html=True)[0]
        dump, wanted = text_dump(text), expected["body"]
        scores.append(
            PageScore(
                page=page_id,
                site=expected.get("site", ""),
                html=Score.of(html_body, wanted),
                baseline=Score.of(whole_page_text(text, " "), wanted),
                text_dump=Score.of(clean_text_dump(dump, page_id, rules), wanted),
                wrapped=Score.of(clean_text_dump(hard_wrapped(dump, "\n\n"), page_id, rules), wanted),
                wrapped_tight=Score.of(clean_text_dump(hard_wrapped(dump, "\n"), page_id, rules), wanted),
                reference=Score.of(reference.extract(data), wanted) if reference else None,
            )
        )
    return CleanEvaluation(tuple(scores), seconds, reference.name if reference else None)


def _gold(folder: Path) -> dict[str, dict[str, str]]:
    path = folder / "gold.json"
    try:
        gold = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise SourceError(
            f"{path} cannot be read as gold JSON ({exc}); see the layout in docs/guide.md (search eval-clean)"
        ) from exc
    if not isinstance(gold, dict) or not gold:
        raise SourceError(f'{path} must map page ids to {{"body": ...}}')
    return gold


def _pages(folder: Path, gold: dict[str, dict[str, str]]) -> Iterator[tuple[str, dict[str, str], bytes]]:
    for page_id in sorted(gold):
        path = folder / "pages" / f"{page_id}.html"
        if not path.is_file():
            raise SourceError(f"{path} is missing: every page in gold.json needs its HTML")
        yield page_id, gold[page_id], path.read_bytes()


def clean_html(data: bytes, page_id: str, rules: Rules) -> str:
    text, encoding = decode(data, is_html=True)
    return _clean(RawDocument(page_id, page_id, text, True, encoding, "", ""), rules)


def clean_text_dump(text: str, page_id: str, rules: Rules) -> str:
    return _clean(RawDocument(page_id, page_id, text, False, "utf-8", "", ""), rules)


def _clean(raw: RawDocument, rules: Rules) -> str:
    return finish(prepare_raw(raw, rules), rules, never_repeated).body


def whole_page_text(html: str, separator: str) -> str:
    return BeautifulSoup(html, "html.parser").get_text(separator, strip=True)


WRAP = 72
"""The width text is hard-wrapped at in the evaluation: e-mail's and `fmt`'s."""


def hard_wrapped(text: str, between: str) -> str:
    """Each line of `text` wrapped at WRAP columns, the lines joined by `between`.

    Words are never broken, and a long word stays whole; compounds may be
    broken at their hyphen, as `fmt` and lynx break them."""
    wrapped = (textwrap.fill(line, WRAP, break_long_words=False) for line in text.splitlines() if line.strip())
    return between.join(wrapped)


@dataclass(frozen=True)
class FiledShape:
    """What the articles filed in one shape kept."""

    recall: float
    """The mean word recall of their text."""
    titles: float
    """The share whose title is their headline."""
    worst: tuple[tuple[str, float], ...]
    """The ids and recall of the articles that kept least."""


@dataclass(frozen=True)
class FiledEvaluation:
    """Articles filed hard-wrapped as one outlet's plain text files, each shape apart."""

    articles: int
    shapes: dict[str, FiledShape]


FILED_SHAPES = {"title, blank line, text": "\n\n", "title, text": "\n"}
"""How a wire story is filed: a blank line under its title, or none (Reuters-21578's own)."""


def evaluate_filed(path: Path, rules: Rules, limit: int = 3000) -> FiledEvaluation:
    """Score the text path on the first `limit` articles of a JSON-lines file
    (`{"id", "title", "text"}` a line), each written as filed in each of
    FILED_SHAPES, and cleaned as the files of one folder of an archive."""
    stories = list(_filed_stories(path, limit))
    if not stories:
        raise SourceError(f'{path} holds no article with a "title" and a "text"')
    shapes = {name: _filed_shape(stories, between, rules) for name, between in FILED_SHAPES.items()}
    return FiledEvaluation(len(stories), shapes)


def _filed_shape(stories: list[dict[str, str]], between: str, rules: Rules) -> FiledShape:
    prepared = [
        prepare_raw(
            RawDocument(f"wire/{s['id']}", "", f"{s['title']}{between}{s['text']}", False, "utf-8", "", ""), rules
        )
        for s in stories
    ]
    carried = Counter(key for document in prepared for key in set(document.line_keys))
    articles = [finish(document, rules, lambda key: carried[key] >= rules.repeat_min_docs) for document in prepared]
    recalls = [(s["id"], Score.of(a.body, s["text"]).recall) for s, a in zip(stories, articles, strict=True)]
    titles = mean(a.title == s["title"].strip() for s, a in zip(stories, articles, strict=True))
    worst = tuple(sorted(recalls, key=lambda pair: pair[1])[:5])
    return FiledShape(mean(recall for _, recall in recalls), titles, worst)


def _filed_stories(path: Path, limit: int) -> Iterator[dict[str, str]]:
    try:
        with open(path, encoding="utf-8") as handle:
            stories = (json.loads(line) for line in handle if line.strip())
            usable = (s for s in stories if isinstance(s, dict) and s.get("title") and (s.get("text") or "").strip())
            yield from islice(usable, limit)
    except (OSError, ValueError) as exc:
        wanted = '{"id", "title", "text"}'
        raise SourceError(f"{path} cannot be read as JSON lines ({exc}); give one {wanted} a line") from exc


def text_dump(html: str) -> str:
    """The page as a naive scraper saves it: `get_text("\\n")`, blank lines collapsed."""
    lines = (line.strip() for line in BeautifulSoup(html, "html.parser").get_text("\n").splitlines())
    return "\n".join(line for line in lines if line)
