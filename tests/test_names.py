"""Names in every spelling: folding, transliteration, aliases, exact forms first."""

from __future__ import annotations

from pathlib import Path

import pytest

from search import Archive
from search.names import fold

from .conftest import write

SAMPLE_IDS = sorted(f"{n:03d}" for n in range(5))


@pytest.mark.parametrize(("word", "folded"), [
    ("Вучић", "vucic"), ("Вучич", "vucic"), ("Vučić", "vucic"), ("Путин", "putin"), ("Лавров", "lavrov"),
    ("Đoković", "djokovic"), ("Київ", "kijiv"), ("chat", "chat"), ("ship", "ship"), ("Straße", "strasse"),
])  # fmt: skip
def test_fold(word: str, folded: str) -> None:
    assert fold(word) == folded


@pytest.mark.parametrize("spelling", ["Vucic", "Vučić", "Vuchich", "Вучић", "Вучич", "VUČIĆ"])
def test_every_spelling_finds_every_sample_about_the_president(archive: Archive, spelling: str) -> None:
    results = archive.search(spelling)
    assert sorted(hit.doc_id[:3] for hit in results.hits) == SAMPLE_IDS


@pytest.fixture
def spellings(empty_home: Path) -> Archive:
    raw = empty_home / "raw"
    write(raw / "accented.txt", "Talks\n\nVučić met the envoy in Belgrade on Monday.")
    write(raw / "plain.txt", "Talks\n\nVucic met the envoy in Belgrade on Monday.")
    write(raw / "cyrillic.txt", "Разговор\n\nПутин и Вучић разговарали о газу.")
    write(raw / "english.txt", "Notes\n\nWe will chat about the ship and the cattle.")
    archive = Archive(empty_home)
    archive.update()
    return archive


def test_the_exact_form_ranks_first(spellings: Archive) -> None:
    assert [hit.doc_id for hit in spellings.search("Vučić", limit=2).hits] == ["accented.txt", "plain.txt"]
    assert [hit.doc_id for hit in spellings.search("Vucic", limit=2).hits][0] == "plain.txt"


def test_cyrillic_and_latin_find_each_other(spellings: Archive) -> None:
    assert {hit.doc_id for hit in spellings.search("putin").hits} == {"cyrillic.txt"}
    assert {hit.doc_id for hit in spellings.search("Вучич").hits} == {"accented.txt", "plain.txt", "cyrillic.txt"}
    cyrillic = next(hit for hit in spellings.search("vucic").hits if hit.doc_id == "cyrillic.txt")
    assert "**Вучић**" in cyrillic.snippet.marked()


@pytest.mark.parametrize("word", ["cat", "sip", "hat"])
def test_english_words_do_not_collide(spellings: Archive, word: str) -> None:
    assert spellings.search(word).total == 0


def test_phrases_and_prefixes_work_across_spellings(spellings: Archive) -> None:
    assert spellings.search('"vucic met"').total == 2
    assert spellings.search("vuč*").total == 3


def test_an_archive_alias_table_adds_spellings(spellings: Archive) -> None:
    assert spellings.search("Wutschitsch").total == 0
    write(spellings.home / "aliases.toml", '[[names]]\nname = "Vučić"\nspellings = ["Vučić", "Wutschitsch"]\n')
    assert Archive(spellings.home).search("Wutschitsch").total == 3
