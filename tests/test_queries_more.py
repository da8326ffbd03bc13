"""Proximity, ranges, fuzzy terms, ties by date, "did you mean" and `similar`."""

from __future__ import annotations

import json

import pytest

from search import Archive
from search.errors import UnknownDocument

from .conftest import Invoke


@pytest.mark.parametrize(("query", "ids"), [
    ('"putin gas"~5', ["003"]),
    ('"putin gas"', []),
    ("date:[2021 to 2022]", ["001"]),
    ("date:2020", ["000", "002"]),
    ("year:2024 AND kremlin", ["004"]),
    ("sanction~", ["002", "003", "004"]),
    ("kremlim~", ["002", "004"]),
    ("kremlim", []),
    ("sanctoin~", []),
    ("sanctoin~2", ["002", "003", "004"]),
    ("title:telephone AND date:[2021-02 to 2021-03]", ["001"]),
])  # fmt: skip
def test_query_language_examples_of_the_readme(archive: Archive, query: str, ids: list[str]) -> None:
    assert sorted(hit.doc_id[:3] for hit in archive.search(query).hits) == ids


def test_did_you_mean_uses_the_archives_own_words(archive: Archive) -> None:
    assert archive.search("sanctoins putn").suggestion == "sanctions putin"
    assert archive.search('"balkan strem"').suggestion == '"balkan stream"'
    assert archive.search("gaz").suggestion == "gas"
    assert archive.search("putin").suggestion is None


def test_equal_scores_list_the_newest_first(archive: Archive) -> None:
    assert [hit.date for hit in archive.search("").hits] == sorted(
        (hit.date or "" for hit in archive.search("").hits), reverse=True
    )


def test_similar_excludes_the_document_itself(archive: Archive) -> None:
    results = archive.similar("000_bb139807f14e536b.txt", limit=2)
    ids = [hit.doc_id for hit in results.hits]
    assert len(ids) == 2 and "000_bb139807f14e536b.txt" not in ids
    assert set(ids) <= {"001_0d2a95f237a9080f.txt", "002_87ee450b78c6a74d.txt", "003_c724ab5fffc3b5c0.txt"}
    with pytest.raises(UnknownDocument):
        archive.similar("nope.txt")


def test_similar_and_suggestion_through_the_cli(invoke: Invoke) -> None:
    invoke("index")
    data = json.loads(invoke("similar", "004_c9068389083bc5e7.txt", "--limit", "2", "--json").stdout)
    assert data["total"] == 2 and all(hit["id"] != "004_c9068389083bc5e7.txt" for hit in data["hits"])
    assert "Did you mean: sanctions" in invoke("query", "sanctoins").stdout
    assert json.loads(invoke("query", "sanctoins", "--json").stdout)["suggestion"] == "sanctions"
