"""Stories across outlets: one wire article run by three outlets with their
own boilerplate (tests/fixtures/syndicated), found at index time and kept
up to date as documents come and go."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from search import Archive, SearchRequest
from search.text.shingles import MIN_SHINGLES, SHINGLE, bands, overlap, shingles

from .conftest import FIXTURES, Invoke, write

SYNDICATED = FIXTURES / "syndicated"
COPIES = ["wire_2024-11-04.txt", "danube_daily_gas.html", "steppe_post_gas.txt"]


@pytest.fixture
def syndicated(home: Path) -> Archive:
    """The samples plus the syndicated copies and an unrelated article of the same outlet and topic."""
    for path in SYNDICATED.iterdir():
        shutil.copy(path, home / "raw" / path.name)
    archive = Archive(home)
    archive.update()
    return archive


def story_ids(archive: Archive, doc_id: str) -> list[str]:
    return [member.doc_id for member in archive.story(doc_id)]


def test_the_copies_make_one_story_oldest_first(syndicated: Archive) -> None:
    for copy in COPIES:
        assert story_ids(syndicated, copy) == COPIES
    members = syndicated.story("steppe_post_gas.txt")
    assert [m.outlet for m in members] == ["Balkan Wire", "Danube Daily", "The Steppe Post"]
    assert [m.date for m in members] == ["2024-11-04", "2024-11-05", "2024-11-07"]
    assert members[2].similarity == 1.0 and all(0.5 <= m.similarity < 1 for m in members[:2])


def test_same_topic_is_not_the_same_story(syndicated: Archive) -> None:
    assert story_ids(syndicated, "danube_daily_storage.txt") == ["danube_daily_storage.txt"]
    # Two reports of the same phone call, written apart, share no text.
    assert story_ids(syndicated, "004_c9068389083bc5e7.txt") == ["004_c9068389083bc5e7.txt"]


def test_stories_follow_additions_changes_and_removals(syndicated: Archive, home: Path, tmp_path: Path) -> None:
    rerun = write(
        tmp_path / "in" / "rerun.txt", (SYNDICATED / "steppe_post_gas.txt").read_text() + "\nFrom our desk.\n"
    )
    syndicated.add([rerun], {"outlet": "Sava Times", "date": "2024-11-09"})
    assert story_ids(syndicated, "wire_2024-11-04.txt") == [*COPIES, "rerun.txt"]

    (home / "raw" / "wire_2024-11-04.txt").unlink()
    write(home / "raw" / "steppe_post_gas.txt", (SYNDICATED / "danube_daily_storage.txt").read_text())
    syndicated.update()
    assert story_ids(syndicated, "danube_daily_gas.html") == ["danube_daily_gas.html", "rerun.txt"]
    assert story_ids(syndicated, "steppe_post_gas.txt") == ["steppe_post_gas.txt", "danube_daily_storage.txt"]

    rebuilt = Archive(home)
    rebuilt.rebuild()
    for doc_id in ("danube_daily_gas.html", "steppe_post_gas.txt", "rerun.txt"):
        assert story_ids(rebuilt, doc_id) == story_ids(syndicated, doc_id)


def test_story_filters_keep_the_document_asked_for(syndicated: Archive) -> None:
    later = SearchRequest.build("", "2024-11-05")
    assert story_ids(syndicated, "steppe_post_gas.txt") == COPIES
    assert [m.doc_id for m in syndicated.story("wire_2024-11-04.txt", later)] == COPIES
    outlet = SearchRequest(outlets=("the steppe post",))
    assert [m.doc_id for m in syndicated.story("danube_daily_gas.html", outlet)] == COPIES[1:]


def test_collapse_shows_each_story_once_with_its_other_outlets(syndicated: Archive) -> None:
    flat = syndicated.search("gas", limit=20)
    grouped = syndicated.search("gas", limit=20, collapse=True)
    assert grouped.total == flat.total == 7
    shown = [hit.doc_id for hit in grouped.hits]
    copies = [hit for hit in grouped.hits if hit.doc_id in COPIES]
    assert len(copies) == 1 and len(shown) == 5
    also = copies[0].also
    assert sorted([copies[0].doc_id, *(a.doc_id for a in also)]) == sorted(COPIES)
    assert [a.date for a in also] == sorted(a.date for a in also if a.date)
    assert {a.doc_id for a in also}.isdisjoint(shown)
    assert [hit.rank for hit in grouped.hits] == [1, 2, 3, 4, 5]


def test_collapse_lists_only_copies_that_match(syndicated: Archive) -> None:
    # The Steppe Post's shortened copy leaves out the storage paragraph.
    grouped = syndicated.search('"Banatski Dvor"', collapse=True)
    copies = [hit for hit in grouped.hits if hit.doc_id in COPIES]
    assert {copies[0].doc_id, *(a.doc_id for a in copies[0].also)} == {"wire_2024-11-04.txt", "danube_daily_gas.html"}


def test_story_command(syndicated: Archive, invoke: Invoke) -> None:
    result = invoke("story", "steppe_post_gas.txt")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Story of steppe_post_gas.txt: 3 documents in 3 outlets, 2024-11-04 to 2024-11-07"
    assert "2024-11-04  first    Balkan Wire" in result.stdout
    assert "2024-11-05  +1 day   Danube Daily" in result.stdout
    assert "2024-11-07  +3 days  The Steppe Post" in result.stdout and "(this one)" in result.stdout
    data = json.loads(invoke("story", "steppe_post_gas.txt", "--json").stdout)
    assert [(d["id"], d["lag"]) for d in data["documents"]] == [
        ("wire_2024-11-04.txt", "first"),
        ("danube_daily_gas.html", "+1 day"),
        ("steppe_post_gas.txt", "+3 days"),
    ]
    alone = invoke("story", "001_0d2a95f237a9080f.txt")
    assert "No other document shares enough of its text." in alone.stdout
    missing = invoke("story", "nope.txt")
    assert missing.exit_code == 1 and missing.stderr.startswith("Error: no document 'nope.txt'")


def test_collapse_in_the_cli(syndicated: Archive, invoke: Invoke) -> None:
    result = invoke("query", "gas", "--collapse")
    assert "also in: " in result.stdout
    assert result.stdout.startswith("7 hits for 'gas' (5 shown)")
    rows = invoke("query", "gas", "--collapse", "--format", "jsonl").stdout.splitlines()
    assert len(rows) == 5 and sum(len(json.loads(row).get("also_in", [])) for row in rows) == 2


def test_shingles_and_bands() -> None:
    text = " ".join(f"word{i}" for i in range(40))
    assert bands(text) == bands(text.upper()) and len(bands(text)) == 8
    assert overlap(shingles(text), shingles(text)) == 1.0
    assert overlap(shingles(text), shingles("nothing in common at all with the other one here")) == 0.0
    assert shingles("Vučić met Putin in Moscow") == shingles("Vucic met Putin in Moscow")
    short = " ".join(f"w{i}" for i in range(MIN_SHINGLES + 2))
    assert bands(short) == []
    half = " ".join(text.split()[:20])
    assert overlap(shingles(half), shingles(text)) == 1.0


def test_shingles_are_runs_of_whole_words_in_any_script() -> None:
    """A Hindi word's vowel signs are combining marks, not word breaks."""
    text = "भारत और रूस के बीच व्यापार बढ़ा, मंत्री ने कहा"
    assert len(shingles(text)) == len(text.split()) - SHINGLE + 1
