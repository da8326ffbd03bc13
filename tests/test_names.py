"""Names in every spelling: folding, transliteration, aliases, exact forms first."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from search import Archive
from search.index.store import ALIAS_CACHE
from search.text import names
from search.text.names import fold, read_aliases

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


def test_the_analysed_table_is_read_back_from_its_cache(spellings: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    assert spellings.search("Vuchich").total == 3
    cache = spellings.store.folder / ALIAS_CACHE
    assert cache.is_file()
    monkeypatch.setattr(names, "_analysed", _must_not_analyse)
    assert Archive(spellings.home).search("Vuchich").total == 3


def test_a_changed_table_or_analysis_is_analysed_again(tmp_path: Path) -> None:
    table, cache, analysed = tmp_path / "aliases.toml", tmp_path / "aliases.json", []

    def normalise(text: str) -> list[str]:
        analysed.append(text)
        return [text.lower()]

    write(table, '[[names]]\nname = "Vučić"\nspellings = ["Vučić", "Wutschitsch"]\n')
    first = read_aliases(table, normalise, "one", cache)
    assert "vucic" in first.variants("wutschitsch") and analysed
    analysed.clear()
    assert read_aliases(table, normalise, "one", cache).variants("wutschitsch") == first.variants("wutschitsch")
    assert not analysed
    assert read_aliases(table, normalise, "two", cache).variants("wutschitsch") and analysed
    analysed.clear()
    write(table, '[[names]]\nname = "Vučić"\nspellings = ["Vučić", "Wuchitch"]\n')
    edited = read_aliases(table, normalise, "two", cache)
    assert analysed and not edited.variants("wutschitsch") and "vucic" in edited.variants("wuchitch")


@pytest.mark.parametrize("damage", ["{not json", '{"key": 1}', "[]", '{"key": null, "groups": 3}'])
def test_a_damaged_cache_is_made_again(spellings: Archive, damage: str) -> None:
    cache = spellings.store.folder / ALIAS_CACHE
    cache.write_text(damage, "utf-8")
    assert Archive(spellings.home).search("Vuchich").total == 3
    assert json.loads(cache.read_text("utf-8"))["groups"]["vuchich"]


@pytest.mark.parametrize("groups", [3, {"vuchich": 5}, {"vuchich": None}])
def test_a_cache_of_the_same_tables_with_damaged_groups_is_made_again(spellings: Archive, groups: object) -> None:
    assert spellings.search("Vuchich").total == 3
    cache = spellings.store.folder / ALIAS_CACHE
    cache.write_text(json.dumps({**json.loads(cache.read_text("utf-8")), "groups": groups}), "utf-8")
    assert Archive(spellings.home).search("Vuchich").total == 3
    assert "vucic" in json.loads(cache.read_text("utf-8"))["groups"]["vuchich"]


def test_a_cache_that_cannot_be_written_is_done_without(spellings: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise PermissionError("read-only archive")

    monkeypatch.setattr(os, "replace", refuse)
    assert spellings.search("Vuchich").total == 3
    assert sorted(path.name for path in spellings.store.folder.iterdir() if "aliases" in path.name) == []


def test_a_cache_whose_folder_is_not_there_is_done_without(tmp_path: Path) -> None:
    cache = tmp_path / "index" / ALIAS_CACHE
    aliases = read_aliases(None, lambda text: text.lower().split(), "one", cache)
    assert aliases.variants("vucic") and not (tmp_path / "index").exists()


def _must_not_analyse(*args: object) -> None:
    raise AssertionError("the alias table was analysed again")
