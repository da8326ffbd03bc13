"""The OpenSearch export read by Lucene itself (the engine a cluster runs):
its analyzers, built by Lucene's CustomAnalyzer from the exported mapping,
make the terms ours make, and the queries `--explain --format opensearch`
writes find the documents `search query` finds, counted by outlet, year and
language as its facets count them.

Needs a JDK and Debian's Lucene (`apt-get install default-jdk-headless
liblucene8-java`; .ci/run installs them and sets NEWS_SEARCH_LUCENE=required,
so that CI fails rather than skips when they are missing).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from search import Archive
from search.engine import engine
from search.model import NO_VALUE
from search.query.request import SearchRequest
from search.text.names import fold

from .conftest import SAMPLES
from .lucene import INSTALL, Lucene, missing, our_terms


@pytest.fixture(scope="session")
def lucene(tmp_path_factory: pytest.TempPathFactory) -> Lucene:
    """LuceneCheck compiled, as a function of its arguments returning its JSON lines."""
    lacking = missing()
    if lacking:
        reason = f"needs {', '.join(lacking)}: {INSTALL}"
        if os.environ.get("NEWS_SEARCH_LUCENE") == "required":
            pytest.fail(reason)
        pytest.skip(reason)
    return Lucene(tmp_path_factory.mktemp("lucene"))


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    home = tmp_path_factory.mktemp("samples")
    shutil.copytree(SAMPLES, home / "raw")
    archive = Archive(home)
    archive.update(workers=1)
    return archive


HARD = [
    "Вучић, Вучич and Vučić met Путин, Лавров and Зеленський in Київ and Београд.",
    "Đoković, Šojgu, Dačić, Ющенко, Їжак, Щукін, Ђорђе, Љубљана, Њујорк, Џаја, Ёлка, Эхо, Объект, Подъём",
    "The U.S. and U.K. said AT&T's and Kyiv's deal, the company’s “rock’n’roll” O’Neill didn’t, it's.",
    "Café naïve façade São Paulo Łódź Ærø Øresund Straße Þór Ångström jalapeño résumé",
    "Numbers: 2,000 workers, 3.5 per cent, 1990s, 21st, 5 mln, C++ and Plan B, 10-year, 2024-10-20, #1, $5bn",
    'VUČIĆ SAID "NO" TO THE EU; Президент Сербії Александр Вучич; president_of_serbia x_y',
    "running runs ran easily fairly generously sensational dying lying news analyses",
    "भारत और रूस के बीच व्यापार बढ़ा; தமிழ்நாடு அரசு; বাংলাদেশের সরকার; كَتَبَ الرئيسُ رسالةً",
]
DIFFERENT = {
    # text: (ours exact, Lucene exact, ours folded, Lucene folded), each as docs/cluster.md explains
    "ﬁnancial": (["financi"], ["ﬁnancial"], ["financi"], ["financi"]),
    "İstanbul": (["i̇stanbul"], ["istanbul"], ["istanbul"], ["istanbul"]),
    "à la carte": (["à", "la", "cart"], ["à", "la", "cart"], ["a", "la", "cart"], ["la", "cart"]),
    "½ cup": (["1⁄2", "cup"], ["cup"], ["1⁄2", "cup"], ["cup"]),
    "realization": (["realize"], ["realiz"], ["realize"], ["realiz"]),
}


def test_lucene_makes_our_terms_of_the_samples_and_of_hard_strings(
    lucene: Lucene, samples: Archive, tmp_path: Path
) -> None:
    samples.export_opensearch(tmp_path / "export")
    lines = (tmp_path / "export" / "documents-00001.ndjson").read_text("utf-8").splitlines()
    sources = [json.loads(line) for line in lines[1::2]]
    texts = [text for s in sources for text in (s.get("title", ""), s["body"], *s.get("quotes", []))] + HARD
    found = lucene.terms(samples.opensearch_mapping(), texts, tmp_path)
    assert sum(len(terms["news"]) for terms in found) > 2000
    for text, terms in zip(texts, found, strict=True):
        exact, folded = our_terms(text)
        assert terms["news"] == exact, text
        assert terms["news_folded"] == folded, text


def test_lucene_differs_only_where_the_docs_say(lucene: Lucene, samples: Archive, tmp_path: Path) -> None:
    found = lucene.terms(samples.opensearch_mapping(), list(DIFFERENT), tmp_path)
    for (text, (ours, theirs, ours_folded, theirs_folded)), terms in zip(DIFFERENT.items(), found, strict=True):
        assert our_terms(text) == (ours, ours_folded), text
        assert (terms["news"], terms["news_folded"]) == (theirs, theirs_folded), text


def test_a_query_in_the_cluster_finds_every_spelling_of_the_alias_table(
    lucene: Lucene, samples: Archive, tmp_path: Path
) -> None:
    from search.engine.whoosh.parsing import widened_terms

    spellings = ["Vučić", "Вучић", "Vuchich", "Putin", "Путін", "Poutine", "Kiev", "Київ", "Shoigu", "Шойгу"]
    analysis = engine().analysis(variants=False)
    found = lucene.terms(samples.opensearch_mapping(), spellings, tmp_path)
    for spelling, terms in zip(spellings, found, strict=True):
        [exact] = analysis.words(spelling)
        ours = {fold(term) for term in widened_terms(exact, samples.aliases)}
        assert set(terms["news_folded_search"]) == ours and len(ours) >= 2, spelling


SAMPLE_QUERIES: list[dict[str, Any]] = [
    {"text": "Vučić"},
    {"text": "Вучић"},
    {"text": "vuchich"},
    {"text": "Putin Lavrov"},
    {"text": "Kiev OR Kyiv"},
    {"text": "Serbia -Russia"},
    {"text": "gas NOT sanctions"},
    {"text": '"President of Serbia"'},
    {"text": '"military neutrality"'},
    {"text": '"Serbian-Russian partnership" OR "strategic partnership"'},
    {"text": "title:visit"},
    {"text": "outlet:moscow"},
    {"text": "vuč*"},
    {"text": "sanction* AND energy"},
    {"text": "date:[2020 TO 2022]"},
    {"text": "date:[2021 TO]"},
    {"text": "date:[TO 2021-01]"},
    {"text": "sanction~"},
    {"text": "kremlim~"},
    {"text": "sanctoin~2 OR lavrow~"},
    {"text": "year:2024 Serbia"},
    {"text": "language:en"},
    {"text": "quotes:peace"},
    {"text": "people:lavrov"},
    {"text": "id:002_87ee450b78c6a74d.txt"},
    {"text": "Serbia", "date_from": "2021", "date_to": "2024"},
    {"text": "Russia", "outlets": ("The Moscow Times",)},
    {"text": "Serbia", "filters": {"language": ["en"]}},
    {"text": "Serbia", "filters": {"speaker": ["Vučić"]}},
    {"text": ""},
]
REUTERS_QUERIES = [
    "oil",
    "crude oil prices",
    '"crude oil"',
    '"rose to"',
    "oil -gas",
    "opec OR cartel",
    "title:coffee",
    "trade* deficit",
    "(wheat OR corn) AND export*",
    "bank NOT interest",
    "gold date:[2005-03-01 TO 2012-06-30]",
    "oil year:2010",
    "prise~",
    "outlet:danube",
]


def ours_and_lucenes(lucene: Lucene, archive: Archive, requests: list[SearchRequest], folder: Path) -> list[Any]:
    """For each request, the ids news-search finds and those Lucene finds with the translated query."""
    return [(ours, theirs["ids"]) for (ours, _), (theirs, _) in answers(lucene, archive, requests, folder)]


def answers(lucene: Lucene, archive: Archive, requests: list[SearchRequest], folder: Path) -> list[Any]:
    """For each request, ours and Lucene's: the ids found, and the counts by outlet, year and language."""
    archive.export_opensearch(folder / "export")
    bodies = [archive.opensearch_request(request) for request in requests]
    (folder / "requests.json").write_text(json.dumps(bodies), "utf-8")
    found = lucene("search", folder / "export" / "mapping.json", folder / "export", folder / "requests.json")
    ours = []
    for request in requests:
        results, hits = archive.stream(request, snippets=False)
        language = {value: n for value, n in results.facets["language"].items() if value != NO_VALUE}
        counts = {"outlet": results.outlets, "year": results.years, "language": language}
        ours.append((sorted(hit.doc_id for hit in hits), counts))
    theirs = [(line, {name: line["aggs"].get(name, {}) for name in ("outlet", "year", "language")}) for line in found]
    return list(zip(ours, theirs, strict=True))


def test_the_translated_queries_find_what_ours_find_in_the_samples(
    lucene: Lucene, samples: Archive, tmp_path: Path
) -> None:
    requests = [SearchRequest.build(**query, limit=1000) for query in SAMPLE_QUERIES]
    results = answers(lucene, samples, requests, tmp_path)
    for query, ((ours, our_counts), (theirs, their_counts)) in zip(SAMPLE_QUERIES, results, strict=True):
        assert theirs["ids"] == ours, query
        assert their_counts == our_counts, query  # the facets, as aggregations
    assert sum(1 for (ours, _), _ in results if 0 < len(ours) < 5) >= 15  # most queries tell documents apart


def test_the_translated_queries_find_what_ours_find_in_a_development_archive(
    lucene: Lucene, segmented: Archive, tmp_path: Path
) -> None:
    requests = [SearchRequest(text, limit=10_000) for text in REUTERS_QUERIES]
    results = answers(lucene, segmented, requests, tmp_path)
    for text, ((ours, our_counts), (theirs, their_counts)) in zip(REUTERS_QUERIES, results, strict=True):
        assert ours and theirs["ids"] == ours, text
        assert their_counts == our_counts, text


def test_a_cluster_counts_stop_words_in_the_distance_of_a_proximity_search(
    lucene: Lucene, samples: Archive, tmp_path: Path
) -> None:
    """ "putin gas"~5 in "thank Putin for providing Serbia with the necessary
    volumes of gas": five words apart for us, nine for a cluster, whose
    positions keep a place for each stop word (docs/cluster.md)."""
    requests = [SearchRequest('"putin gas"~5'), SearchRequest('"putin gas"~10')]
    results = ours_and_lucenes(lucene, samples, requests, tmp_path)
    (ours, theirs), (ours_wider, theirs_wider) = results
    assert ours == ["003_c724ab5fffc3b5c0.txt"] and theirs == []
    assert "003_c724ab5fffc3b5c0.txt" in theirs_wider and theirs_wider == ours_wider
