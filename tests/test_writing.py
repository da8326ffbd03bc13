"""The writer that reads each field's lengths once: the index Whoosh's own writer makes, with fewer disk lookups."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from search.pipeline import finish, never_repeated, prepare
from search.rules import load_rules
from search.schema import build_schema, to_fields
from search.sources import scan
from search.writing import open_writer

from .conftest import SAMPLES


def _write(folder: Path, make_writer: Callable[..., SegmentWriter]) -> dict[str, bytes]:
    """The shipped samples written by `make_writer` as one segment: its files by kind (pst, trm, ...)."""
    rules = load_rules()
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema())
    with make_writer(ix) as writer:
        for source in scan(SAMPLES)[0]:
            writer.add_document(**to_fields(finish(prepare(source, rules), rules, never_repeated)))
    (segment,) = whoosh_index.open_dir(str(folder))._segments()
    files = CompoundStorage(FileStorage(str(folder)).open_file(segment.make_filename(".seg")))
    return {name.split(".", 1)[1]: files.open_file(name).read() for name in files.list()}


def test_the_index_written_is_whooshs_byte_for_byte(tmp_path: Path) -> None:
    """Block statistics hold each posting's field length: a wrong length changes the postings file."""
    ours = _write(tmp_path / "ours", open_writer)
    whooshs = _write(tmp_path / "whooshs", lambda ix: ix.writer())
    assert "pst" in ours and "trm" in ours
    assert [kind for kind in whooshs if ours.get(kind) != whooshs[kind]] == []


def test_a_commit_asks_the_disk_once_per_field_not_once_per_posting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[Any] = []
    exists = FileStorage.file_exists
    monkeypatch.setattr(FileStorage, "file_exists", lambda self, name: asked.append(name) or exists(self, name))
    _write(tmp_path / "ours", open_writer)
    ours = len(asked)
    asked.clear()
    _write(tmp_path / "whooshs", lambda ix: ix.writer())
    assert ours <= len(build_schema().names())
    assert len(asked) > 10 * ours
