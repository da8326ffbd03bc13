"""Fixtures: a real archive folder with the shipped samples, and a CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from search import Archive
from search.cli import cli

PROJECT = Path(__file__).resolve().parent.parent
SAMPLES = PROJECT / "raw"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """An archive folder whose raw/ holds a copy of the shipped samples."""
    shutil.copytree(SAMPLES, tmp_path / "raw")
    return tmp_path


@pytest.fixture
def archive(home: Path) -> Archive:
    archive = Archive(home)
    archive.update()
    return archive


@pytest.fixture
def empty_home(tmp_path: Path) -> Path:
    (tmp_path / "raw").mkdir()
    return tmp_path


Invoke = Callable[..., Result]


@pytest.fixture
def invoke(home: Path) -> Invoke:
    """Run the CLI on the `home` archive (or on `home=` given)."""

    def run(*args: str, at: Path | None = None) -> Result:
        return CliRunner().invoke(cli, ["--home", str(at or home), *args], catch_exceptions=False)

    return run


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path
