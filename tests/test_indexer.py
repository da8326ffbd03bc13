"""Incremental indexing, rebuilds, and outlet repetition, on real indexes."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from search import Archive
from search.errors import IndexLocked, IndexMissing, SchemaMismatch
from search.index import build, indexer
from search.index.build import CHUNK, PART_DOCS
from search.model import Article

from .conftest import whoosh_index, write

FOOTER = "Danube Wire is an independent newsroom in Novi Sad. Send tips to newsroom@danube.example."
SHARED_QUOTE = '"Serbia will not impose sanctions on the Russian Federation," the president said.'


def bodies(archive: Archive) -> dict[str, str]:
    ix = whoosh_index(archive)
    with ix.searcher() as searcher:
        return {fields["id"]: fields["body"] for fields in searcher.all_stored_fields()}


def written(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the documents each later update writes into the index."""
    ids: list[str] = []
    write = indexer._write

    def spy(writer: object, articles: list[Article], *args: object) -> None:
        ids.extend(article.doc_id for article in articles)
        write(writer, articles, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(indexer, "_write", spy)
    return ids


def danube(raw: Path, n: int, extra: str = "") -> Path:
    text = (
        f"Story number {n}\n\nParagraph {n} of a story that belongs to this article only, "
        f"about pipelines and prices in year {2000 + n}.\n{extra}\n{FOOTER}\n"
    )
    path = write(raw / f"danube-{n}.txt", text)
    write(raw / f"danube-{n}.txt.meta.json", json.dumps({"outlet": "Danube Wire"}))
    return path


def test_an_update_of_some_documents_replaces_them(archive: Archive) -> None:
    """`add` indexes only what it names, looking those documents up by id (not every stamp of the index)."""
    (archive.raw_dir / "003_c724ab5fffc3b5c0.txt").write_text("date 2024-10-21 Vucic spoke about the zeppelin.")
    report = archive.update(only=["003_c724ab5fffc3b5c0.txt", "004_c9068389083bc5e7.txt"])
    assert (report.added, report.updated, report.documents) == ([], ["003_c724ab5fffc3b5c0.txt"], 5)
    assert [hit.doc_id for hit in archive.search("zeppelin").hits] == ["003_c724ab5fffc3b5c0.txt"]


def test_first_update_builds_the_index(home: Path) -> None:
    report = Archive(home).update()
    assert report.rebuilt and len(report.added) == 5 and report.documents == 5
    assert report.undated == [] and report.no_outlet == ["003_c724ab5fffc3b5c0.txt"]


def test_incremental_add_change_delete_and_unchanged(archive: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = archive.raw_dir
    write(raw / "new" / "n.txt", "New story\n\nA brand new paragraph about Belgrade and Budapest.")
    (raw / "003_c724ab5fffc3b5c0.txt").write_text("date 2024-10-21 Vucic spoke about the railway to Budapest.")
    (raw / "000_bb139807f14e536b.txt").unlink()
    ids = written(monkeypatch)
    report = archive.update()
    assert (report.added, report.updated, report.removed) == (
        ["new/n.txt"],
        ["003_c724ab5fffc3b5c0.txt"],
        ["000_bb139807f14e536b.txt"],
    )
    # The two Presidency documents left share their footer with one fewer
    # document now, below the repetition threshold: they are cleaned again,
    # and come out as the index has them (their footer's lines are
    # boilerplate by pattern too), so they are not written again.
    assert report.recleaned == [] and sorted(ids) == ["003_c724ab5fffc3b5c0.txt", "new/n.txt"]
    assert report.unchanged == 3 and report.documents == 5
    assert archive.search("railway").hits[0].doc_id == "003_c724ab5fffc3b5c0.txt"
    assert archive.search("railway").hits[0].date == "2024-10-21"
    assert archive.search("washington").total == 0
    again = archive.update()
    assert (again.added, again.updated, again.removed, again.unchanged) == ([], [], [], 5)


def test_documents_named_in_any_script_are_known_again(archive: Archive) -> None:
    raw = archive.raw_dir
    write(raw / "Вучић" / "разговор.txt", "Разговор\n\nПутин и Вучић разговарали о газу.")
    write(raw / "été déjà.txt", "Notes\n\nLe président serbe a parlé du gaz.")
    assert sorted(archive.update().added) == ["été déjà.txt", "Вучић/разговор.txt"]
    assert archive.update().unchanged == 7
    (raw / "Вучић" / "разговор.txt").unlink()
    report = archive.update()
    assert (report.removed, report.unchanged) == (["Вучић/разговор.txt"], 6)
    assert archive.update().unchanged == 6


def test_touching_a_file_without_changing_it_counts_as_unchanged(archive: Archive) -> None:
    path = archive.raw_dir / "001_0d2a95f237a9080f.txt"
    os.utime(path, (1, 1))
    report = archive.update()
    assert (report.updated, report.unchanged) == ([], 5)
    assert archive.update().unchanged == 5


def test_a_sidecar_change_reindexes_its_document(archive: Archive) -> None:
    write(archive.raw_dir / "003_c724ab5fffc3b5c0.txt.meta.json", '{"outlet": "European Pravda"}')
    report = archive.update()
    assert report.updated == ["003_c724ab5fffc3b5c0.txt"]
    assert archive.search("vucic", outlets=("european pravda",)).total == 1


def test_unreadable_files_are_skipped_with_reasons_and_the_rest_indexed(archive: Archive) -> None:
    (archive.raw_dir / "blob.txt").write_bytes(b"\x00\x01\x02binary")
    write(archive.raw_dir / "bad.txt", "Fine text.")
    write(archive.raw_dir / "bad.txt.meta.json", "{oops")
    write(archive.raw_dir / "scan.pdf", "pdf")
    report = archive.update()
    reasons = {s.doc_id: (s.failed, s.reason) for s in report.skipped}
    assert reasons["blob.txt"] == (True, "a binary file, not text")
    assert reasons["bad.txt"][0] and "bad.txt.meta.json is not valid JSON" in reasons["bad.txt"][1]
    assert reasons["scan.pdf"][0] is False
    assert report.documents == 5


def test_rebuild_replaces_the_index_with_one_built_from_scratch(archive: Archive) -> None:
    old_generation = archive.store.manifest().generation
    report = archive.rebuild()
    assert report.rebuilt and len(report.added) == 5
    new_generation = archive.store.manifest().generation
    assert new_generation != old_generation
    assert [p.name for p in archive.store.folder.glob("gen-*")] == [new_generation]


def test_a_failed_rebuild_leaves_the_old_index_live(archive: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    import search.engine.whoosh.storage

    before = archive.store.manifest()

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(search.engine.whoosh.storage, "combine", explode)
    with pytest.raises(RuntimeError):
        archive.rebuild()
    assert archive.store.manifest() == before
    assert [p.name for p in archive.store.folder.glob("gen-*")] == [before.generation]
    assert archive.search("vucic").total == 5


def test_lines_repeated_across_an_outlet_are_removed_and_quotes_in_two_documents_stay(
    empty_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = empty_home / "raw"
    danube(raw, 1, SHARED_QUOTE)
    danube(raw, 2, SHARED_QUOTE)
    archive = Archive(empty_home)
    archive.update()
    assert all(FOOTER in body for body in bodies(archive).values())  # two documents: not yet boilerplate
    ids = written(monkeypatch)
    danube(raw, 3)
    report = archive.update()
    assert report.added == ["danube-3.txt"] and report.recleaned == ["danube-1.txt", "danube-2.txt"]
    assert sorted(ids) == ["danube-1.txt", "danube-2.txt", "danube-3.txt"]  # the footer left their text
    assert not any(FOOTER in body for body in bodies(archive).values())
    assert all(SHARED_QUOTE in body for doc_id, body in bodies(archive).items() if doc_id != "danube-3.txt")
    (raw / "danube-2.txt").unlink()
    report = archive.update()
    assert report.recleaned == ["danube-1.txt", "danube-3.txt"]
    assert all(FOOTER in body for body in bodies(archive).values())


def test_a_dateline_repeated_across_an_outlet_still_dates_its_articles(empty_home: Path) -> None:
    """Three articles of one day: their dateline is not boilerplate; the footer is."""
    for n in (1, 2, 3):
        danube(empty_home / "raw", n, "").write_text(
            f"Story number {n}\nNovi Sad, 10 September 2020\n\nParagraph {n} of a story of its own, "
            f"about pipelines and prices.\n{FOOTER}\n"
        )
    archive = Archive(empty_home)
    archive.update()
    assert archive.search(date_from="2020-09-10", date_to="2020-09-10").total == 3
    assert all("Novi Sad" not in body and FOOTER not in body for body in bodies(archive).values())


def test_the_same_lines_in_another_outlet_do_not_count(empty_home: Path) -> None:
    raw = empty_home / "raw"
    danube(raw, 1)
    danube(raw, 2)
    write(raw / "other.txt", f"Other story\n\nAnother outlet's paragraph about something else entirely.\n{FOOTER}\n")
    archive = Archive(empty_home)
    archive.update()
    assert all(FOOTER in body for body in bodies(archive).values())


def test_incremental_updates_and_a_rebuild_give_the_same_text(empty_home: Path, tmp_path: Path) -> None:
    raw = empty_home / "raw"
    archive = Archive(empty_home)
    for n in range(1, 6):
        danube(raw, n, SHARED_QUOTE if n < 3 else "")
        archive.update()
    (raw / "danube-4.txt").unlink()
    archive.update()
    incremental = bodies(archive)
    archive.rebuild()
    assert bodies(archive) == incremental


def test_editing_the_rules_cleans_every_document_again(archive: Archive) -> None:
    assert "Vucic said." in archive.document("003_c724ab5fffc3b5c0.txt").body
    write(
        archive.home / "rules.toml",
        '[[boilerplate]]\nclass = "gratitude"\nwhere = "line"\npatterns = [\'thanked putin\']\n',
    )
    fresh = Archive(archive.home)
    report = fresh.update()
    assert report.rules_changed and report.rebuilt and len(report.added) == 5
    assert "thanked Putin" not in fresh.document("003_c724ab5fffc3b5c0.txt").body
    assert fresh.update().unchanged == 5


def test_a_second_writer_waits_then_gives_a_clear_error(archive: Archive) -> None:
    with (
        archive.store.write_lock(),
        pytest.raises(IndexLocked, match="another process is writing"),
        archive.store.write_lock(timeout=0.2),
    ):
        pass


def test_an_index_of_another_schema_version_is_built_again_by_an_update(archive: Archive) -> None:
    manifest = archive.store.folder / "manifest.json"
    data = json.loads(manifest.read_text())
    manifest.write_text(json.dumps(data | {"schema_version": 0}))
    with pytest.raises(SchemaMismatch, match="search index"):
        archive.search("vucic")
    report = archive.update()
    assert report.rebuilt and report.unreadable and "schema 0" in report.unreadable
    assert archive.search("vucic").total == 5


def test_a_damaged_index_asks_for_an_update(archive: Archive) -> None:
    generation = archive.store.folder / archive.store.manifest().generation
    shutil.rmtree(generation)
    generation.mkdir()
    with pytest.raises(SchemaMismatch, match="search index"):
        archive.search("vucic")
    assert archive.update().unreadable and archive.search("vucic").total == 5


def test_searching_without_an_index_says_how_to_build_one(home: Path) -> None:
    with pytest.raises(IndexMissing, match="search index"):
        Archive(home).search("vucic")


def test_a_parallel_build_writes_what_a_serial_one_does(empty_home: Path) -> None:
    """Over several spool chunks and two worker processes; a footer repeated
    across chunks is boilerplate, a quote in two documents is not."""
    raw = empty_home / "raw"
    for n in range(2 * CHUNK + 50):
        danube(raw, n, SHARED_QUOTE if n in (3, 2 * CHUNK + 7) else "")
    write(raw / "broken.txt", "\0binary")
    archive = Archive(empty_home)
    parallel = archive.rebuild(workers=2)
    parallel_bodies = bodies(archive)
    serial = archive.rebuild(workers=1)
    assert parallel_bodies == bodies(archive)
    assert parallel.added == serial.added and len(parallel.added) == 2 * CHUNK + 50
    assert [s.doc_id for s in parallel.skipped] == ["broken.txt"]
    assert all(FOOTER not in body for body in parallel_bodies.values())
    assert SHARED_QUOTE in parallel_bodies["danube-3.txt"]
    assert _segments(archive) == 1  # one worker, one segment
    archive.rebuild(workers=2)
    assert _segments(archive) == 2
    assert archive.search("pipelines").total == 2 * CHUNK + 50


def test_a_build_larger_than_a_part_writes_several_parts_with_the_same_content(
    empty_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = empty_home / "raw"
    for n in range(2 * CHUNK + 50):
        danube(raw, n, SHARED_QUOTE if n in (3, 2 * CHUNK + 7) else "")
    archive = Archive(empty_home)
    archive.rebuild(workers=1)
    serial = bodies(archive)
    monkeypatch.setattr(build, "PART_DOCS", CHUNK)  # three chunks: three parts, in two rounds of two workers
    report = archive.rebuild(workers=2)
    assert _segments(archive) == 3
    assert bodies(archive) == serial and len(report.added) == 2 * CHUNK + 50
    assert archive.search("pipelines").total == 2 * CHUNK + 50


@pytest.mark.parametrize(
    ("documents", "workers", "parts"),
    [(4 * PART_DOCS, 2, 4), (4 * PART_DOCS + 1500, 2, 6), (2 * PART_DOCS + 1500, 1, 3), (400, 2, 2), (200, 2, 1)],
)
def test_parts_fill_every_round_of_workers(documents: int, workers: int, parts: int) -> None:
    spools = [Path(f"{n:06d}") for n in range(-(-documents // CHUNK))]
    shares = build._shares(spools, workers)
    assert len(shares) == parts and sorted(sum(shares, [])) == spools
    assert max(map(len, shares)) * CHUNK <= build.PART_DOCS and max(map(len, shares)) - min(map(len, shares)) <= 1


def _segments(archive: Archive) -> int:
    with whoosh_index(archive).reader() as reader:
        return len(reader.leaf_readers())
