"""Style and types are checked with the tests, as the project's own settings say."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import PROJECT


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-m", "ruff", "check", "search", "tests"],
        [sys.executable, "-m", "ruff", "format", "--check", "search", "tests"],
        [sys.executable, "-m", "mypy", "search", "tests"],
    ],
    ids=["ruff", "ruff-format", "mypy"],
)
def test_clean(command: list[str]) -> None:
    result = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_whoosh_segments_are_read_only_through_columns_py() -> None:
    """Whoosh 2.7.4's own multi-segment column reader misreads documents after
    a segment without the column, and an empty index has a segment without
    columns: `columns.column_reader` and `columns.leaves` handle both."""
    for path in (PROJECT / "search").rglob("*.py"):
        if path.name != "columns.py":
            text = path.read_text("utf-8")
            assert ".column_reader(" not in text and ".leaf_readers(" not in text, path
