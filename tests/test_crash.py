"""Killing `search index` or `search rebuild` at any moment loses nothing.

Real subprocesses are killed with SIGKILL while they work on a few hundred
documents; then the last committed index must still answer, and the next
`search index` must finish the job with every document exactly once.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from search import Archive
from search.engine.whoosh.writing import MERGE_AT

from .conftest import whoosh_index, write

DOCUMENTS = 300


def _archive_of(home: Path, count: int) -> None:
    for n in range(count):
        write(home / "raw" / f"d{n:04d}.txt", f"Story {n}\n\nReport number {n} on gas talks in Belgrade, day {n % 30}.")


def _search(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "search", "--home", str(home), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def _kill_after(home: Path, command: str, seconds: float) -> None:
    process = subprocess.Popen([sys.executable, "-m", "search", "--home", str(home), command])
    time.sleep(seconds)
    process.send_signal(signal.SIGKILL)
    process.wait()


def _ids(home: Path) -> list[str]:
    ix = whoosh_index(Archive(home))
    with ix.searcher() as searcher:
        return sorted(fields["id"] for fields in searcher.all_stored_fields())


@pytest.mark.parametrize("command", ["index", "rebuild"])
@pytest.mark.parametrize("delay", [0.4, 0.9, 1.6])
def test_a_killed_indexer_loses_nothing(tmp_path: Path, command: str, delay: float) -> None:
    _archive_of(tmp_path, DOCUMENTS // 2)
    assert _search(tmp_path, "index").returncode == 0
    before = _ids(tmp_path)
    _archive_of(tmp_path, DOCUMENTS)
    _kill_after(tmp_path, command, delay)
    after_kill = _ids(tmp_path)
    assert after_kill in (before, sorted(f"d{n:04d}.txt" for n in range(DOCUMENTS)))
    assert json.loads(_search(tmp_path, "query", "gas", "--json").stdout)["total"] == len(after_kill)
    assert _search(tmp_path, "index").returncode == 0
    assert _ids(tmp_path) == sorted(f"d{n:04d}.txt" for n in range(DOCUMENTS))
    live = Archive(tmp_path).store.manifest().generation
    assert [folder.name for folder in (tmp_path / "index").glob("gen-*")] == [live]  # what the kill left is gone


def test_what_a_killed_build_left_is_not_counted_and_goes_with_the_next_write(home: Path) -> None:
    archive = Archive(home)
    archive.update()
    size = archive.index_size()
    leftover = archive.store.folder / "gen-20200101T000000000000-1"
    write(leftover / "MAIN_partial.seg", "x" * 100_000)
    assert archive.index_size() == size
    archive.update()
    assert not leftover.exists()


def test_two_indexers_at_once_wait_for_each_other(tmp_path: Path) -> None:
    _archive_of(tmp_path, DOCUMENTS)
    command = [sys.executable, "-m", "search", "--home", str(tmp_path), "index"]
    first, second = subprocess.Popen(command), subprocess.Popen(command)
    assert (first.wait(timeout=120), second.wait(timeout=120)) == (0, 0)
    assert _ids(tmp_path) == sorted(f"d{n:04d}.txt" for n in range(DOCUMENTS))
    assert json.loads(_search(tmp_path, "query", "gas", "--json").stdout)["total"] == DOCUMENTS


def test_queries_keep_working_while_a_rebuild_runs(tmp_path: Path) -> None:
    _archive_of(tmp_path, DOCUMENTS)
    assert _search(tmp_path, "index").returncode == 0
    archive = Archive(tmp_path)
    rebuild = subprocess.Popen([sys.executable, "-m", "search", "--home", str(tmp_path), "rebuild"])
    totals = []
    while rebuild.poll() is None:
        totals.append(archive.search("gas").total)
    assert rebuild.wait() == 0 and totals and set(totals) == {DOCUMENTS}
    assert archive.search("gas").total == DOCUMENTS  # and the new generation answers


def _added_in_pieces(home: Path, pieces: int, size: int) -> None:
    """`pieces` adds of `size` documents each, through the library: a segment each."""
    archive = Archive(home)
    for piece in range(pieces):
        folder = home / "incoming" / str(piece)
        for n in range(size):
            write(folder / f"p{piece:02d}-{n:02d}.txt", f"Piece {piece}\n\nGas note {n} of piece {piece}.")
        archive.add([folder], {})


def _segments(home: Path) -> int:
    return len(whoosh_index(Archive(home))._segments())


def test_an_add_never_merges_and_the_next_index_does(tmp_path: Path) -> None:
    _archive_of(tmp_path, 120)
    assert _search(tmp_path, "index").returncode == 0
    _added_in_pieces(tmp_path, MERGE_AT, 20)
    assert _segments(tmp_path) == 1 + MERGE_AT  # every add left its own segment
    report = json.loads(_search(tmp_path, "index", "--json").stdout)
    assert report["merged"] == MERGE_AT and report["added"] == []
    assert _segments(tmp_path) == 2
    assert json.loads(_search(tmp_path, "query", "gas", "--json").stdout)["total"] == 120 + MERGE_AT * 20
    assert json.loads(_search(tmp_path, "index", "--json").stdout)["merged"] == 0


@pytest.mark.parametrize("delay", [0.5, 0.8, 1.1])
def test_a_merge_killed_midway_leaves_the_archive_as_it_was(tmp_path: Path, delay: float) -> None:
    _archive_of(tmp_path, DOCUMENTS)
    assert _search(tmp_path, "index").returncode == 0
    _added_in_pieces(tmp_path, MERGE_AT, 30)
    before, pieces = _ids(tmp_path), _segments(tmp_path)
    _kill_after(tmp_path, "index", delay)
    assert _ids(tmp_path) == before and _segments(tmp_path) in (pieces, pieces - MERGE_AT + 1)
    assert json.loads(_search(tmp_path, "query", "gas", "--json").stdout)["total"] == len(before)
    assert _search(tmp_path, "index").returncode == 0
    assert _ids(tmp_path) == before and _segments(tmp_path) == pieces - MERGE_AT + 1
