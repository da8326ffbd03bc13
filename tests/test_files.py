"""Files replaced whole: never half written, never sharing a temporary file, the user's permissions kept."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from search.files import copy_whole, write_whole


def test_a_file_is_replaced_whole_with_nothing_left_beside_it(tmp_path: Path) -> None:
    target = tmp_path / "manifest.json"
    target.write_bytes(b"old")
    write_whole(target, b"new")
    assert target.read_bytes() == b"new"
    assert [path.name for path in tmp_path.iterdir()] == ["manifest.json"]


def test_a_failed_replace_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "watch.json"
    target.write_bytes(b"old")

    def refuse(*args: object) -> None:
        raise PermissionError("read-only folder")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError):
        write_whole(target, b"new")
    assert target.read_bytes() == b"old"
    assert [path.name for path in tmp_path.iterdir()] == ["watch.json"]


def test_a_write_while_another_is_under_way_takes_a_temporary_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two writers of one file (two threads saving one watch): with a shared
    temporary name the second would take the first's file from under it."""
    target = tmp_path / "aliases.json"
    replace = os.replace

    def interleaved(source: str, destination: str) -> None:
        monkeypatch.setattr(os, "replace", replace)
        write_whole(target, b"second")  # starts and ends while the first is about to replace
        replace(source, destination)

    monkeypatch.setattr(os, "replace", interleaved)
    write_whole(target, b"first")
    assert target.read_bytes() == b"first"
    assert [path.name for path in tmp_path.iterdir()] == ["aliases.json"]


def test_a_new_file_has_the_permissions_the_umask_gives(tmp_path: Path) -> None:
    """Not the owner-only ones of a `tempfile`: an archive's readers may be other users."""
    previous = os.umask(0o022)
    try:
        write_whole(tmp_path / "manifest.json", b"{}")
    finally:
        os.umask(previous)
    assert (tmp_path / "manifest.json").stat().st_mode & 0o777 == 0o644


def test_a_durable_write_is_on_disk_before_it_replaces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[bool] = []
    monkeypatch.setattr(os, "fsync", lambda descriptor: synced.append(not (tmp_path / "m").exists()))
    write_whole(tmp_path / "m", b"1", durable=True)
    write_whole(tmp_path / "m", b"2")
    assert synced == [True]


def test_a_copy_keeps_content_and_times(tmp_path: Path) -> None:
    source, target = tmp_path / "a.txt", tmp_path / "raw" / "a.txt"
    source.write_bytes("Вучић said.".encode())
    os.utime(source, (1_000_000_000, 1_000_000_000))
    target.parent.mkdir()
    copy_whole(source, target)
    assert target.read_bytes() == source.read_bytes()
    assert target.stat().st_mtime == 1_000_000_000
    assert [path.name for path in target.parent.iterdir()] == ["a.txt"]
