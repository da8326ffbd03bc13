"""Fixtures: a real archive folder with the shipped samples, one of several
segments made of Reuters stories, and a CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from whoosh.index import Index

from search import Archive
from search.cli import cli
from search.engine.whoosh.storage import open_index

from .benchmarks.corpus import REUTERS, documents, write_archive

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


@pytest.fixture(scope="session")
def segmented(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    """400 Reuters stories indexed, 100 more and two undated notes of no outlet
    added, 10 stories edited and 5 removed: several segments, deleted documents."""
    if not REUTERS.is_file():
        pytest.skip("needs ../shared/dev/news")
    home = tmp_path_factory.mktemp("segmented")
    docs = list(documents(500))
    write_archive(home, iter(docs[:400]))
    archive = Archive(home)
    archive.update(workers=1)
    write_archive(home, iter(docs[400:]))
    for n in (1, 2):
        write(home / "raw" / "notes" / f"note-{n}.txt", f"Oil note {n}\n\nOil stocks were counted again by the desk.\n")
    archive.update(workers=1)
    files = sorted((home / "raw").rglob("doc-*.txt"))
    for path in files[:10]:
        path.write_text(path.read_text("utf-8") + "\nOil and gas prices rose again.\n", "utf-8")
    for path in files[10:15]:
        path.unlink()
    archive.update(workers=1)
    return archive


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


def whoosh_index(archive: Archive) -> Index:
    """The archive's live index as Whoosh opens it, for the tests of the engine's internals."""
    return open_index(archive.store.live())
