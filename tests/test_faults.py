"""A full disk, and files that vanish or change while the index is built.

The disk is made full by fault injection: every file Whoosh creates after
the first few fails with ENOSPC, as a full disk does.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage

import search.index.indexer
from search import Archive, IndexFailed
from search.ingest.sources import scan

from .conftest import Invoke, whoosh_index, write


def _fill_the_disk(monkeypatch: pytest.MonkeyPatch, after: int = 0) -> None:
    created = FileStorage.create_file
    calls = iter(range(1_000_000))

    def create_file(self: FileStorage, name: str, **kwargs: object) -> object:
        if next(calls) >= after:
            raise OSError(errno.ENOSPC, "No space left on device", name)
        return created(self, name, **kwargs)

    monkeypatch.setattr(FileStorage, "create_file", create_file)


def _ids(archive: Archive) -> list[str]:
    with whoosh_index(archive).searcher() as searcher:
        return sorted(fields["id"] for fields in searcher.all_stored_fields())


@pytest.mark.parametrize("command", ["update", "rebuild"])
def test_a_full_disk_leaves_the_index_as_it_was(
    archive: Archive, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    before = _ids(archive)
    write(archive.raw_dir / "new.txt", "Gas talks\n\nSerbia and Hungary talked about gas prices on Monday.")
    _fill_the_disk(monkeypatch)
    with pytest.raises(IndexFailed, match="No space left on device.*as it was before"):
        getattr(archive, command)()
    assert _ids(archive) == before
    assert archive.search("vucic").total == 5
    monkeypatch.undo()
    archive.update()
    assert _ids(archive) == sorted([*before, "new.txt"])


def test_a_full_disk_is_one_line_from_the_cli(invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill_the_disk(monkeypatch)
    result = invoke("rebuild")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.count("\n") == 1 and "No space left on device" in result.stderr


def test_files_that_vanish_or_change_during_a_build(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vanishing, changing = home / "raw" / "gone.txt", home / "raw" / "changing.txt"
    write(vanishing, "Gone\n\nThis file is deleted after the scan.")
    write(changing, "Before\n\nThe first version talks about coal.")

    def scan_then_change(raw: Path) -> object:
        found = scan(raw)
        vanishing.unlink()
        write(changing, "After\n\nThe second version talks about uranium and is longer.")
        return found

    monkeypatch.setattr(search.index.indexer, "scan", scan_then_change)
    archive = Archive(home)
    report = archive.update()
    assert [(s.doc_id, "cannot be read" in s.reason) for s in report.skipped] == [("gone.txt", True)]
    assert archive.search("uranium").total == 1  # read as it was when read
    monkeypatch.undo()
    second = archive.update()
    assert (second.added, second.updated, second.removed) == ([], [], [])  # read again, same bytes as indexed
    assert archive.search("uranium").total == 1 and archive.search("coal").total == 0
    assert "gone.txt" not in _ids(archive)


@pytest.mark.parametrize("suffix", [".txt", ".html"])
def test_a_huge_file_is_indexed_up_to_the_cap_and_said_so(
    empty_home: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    import search.ingest.sources

    monkeypatch.setattr(search.ingest.sources, "MAX_BYTES", 64 * 1024)
    paragraph = "Belgrade gas talks went on for another day of long meetings. " * 8
    text = "\n".join([paragraph] * 2000 + ["The last line mentions zeppelins."])
    if suffix == ".html":
        text = "<html><body><article>" + text.replace(paragraph, f"<p>{paragraph}</p>") + "</article></body></html>"
    write(empty_home / "raw" / f"huge{suffix}", text)
    archive = Archive(empty_home)
    report = archive.update()
    assert report.truncated == [f"huge{suffix}"] and report.added == [f"huge{suffix}"]
    assert archive.search("belgrade").total == 1 and archive.search("zeppelins").total == 0
    assert len(archive.document(f"huge{suffix}").body) <= 64 * 1024
