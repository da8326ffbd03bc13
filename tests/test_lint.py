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
        [sys.executable, "-m", "mypy", "search"],
    ],
    ids=["ruff", "ruff-format", "mypy"],
)
def test_clean(command: list[str]) -> None:
    result = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
