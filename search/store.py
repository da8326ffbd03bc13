"""The index folder on disk: which Whoosh index is live, and who may write.

`index/manifest.json` names the live generation, a Whoosh index in a folder
of its own, with the schema version and the digest of the rules it was
cleaned with. A rebuild writes a new generation beside the live one and
switches the manifest only when it is complete, so a crash leaves the old one.
`index/aliases.json` keeps the alias table analysed (names.read_aliases).
"""

from __future__ import annotations

import fcntl
import json
import mmap
import os
import pickle
import shutil
import struct
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

import whoosh
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile
from whoosh.index import Index

from .errors import IndexLocked, IndexMissing, SchemaMismatch
from .files import write_whole
from .schema import SCHEMA_VERSION, build_schema

MANIFEST = "manifest.json"
ALIAS_CACHE = "aliases.json"
LOCK = "write.lock"
GENERATION_PREFIX = "gen-"
LOCK_TIMEOUT = 30.0
REBUILD_HINT = "run `search index` to build it again from raw/"
WHOOSH_PACKAGE = Path(whoosh.__file__).parent


class Manifest(NamedTuple):
    generation: str
    schema_version: int
    rules: str


class MappedStorage(FileStorage):  # type: ignore[misc]
    """Whoosh's file storage, with each file opened memory-mapped.

    Whoosh's own storage reads a compound segment by copying every file
    inside it into memory (a BytesIO of the mapped bytes) at each open, most
    of a new process's query on a large archive. Through a mapped
    file, the same reads come straight from the page cache.
    """

    def open_file(self, name: str, **kwargs: Any) -> StructFile:
        with open(self._fpath(name), "rb") as handle:
            if os.fstat(handle.fileno()).st_size == 0:  # an empty file cannot be mapped
                return super().open_file(name, **kwargs)
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        return StructFile(mapped, name=name, **kwargs)


def _check_compound(path: Path) -> None:
    """Raise ValueError unless every file inside a compound segment lies within it.

    Whoosh 2.7.4 (filedb/compound.py) writes a segment as one file that
    starts with the offset and length of its directory, a pickled dict of
    name -> {"offset", "length", "modified"}; a cut-short file (a full disk, a copy that
    stopped) would fail later, in the middle of a query."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        offset, length = struct.unpack("!qi", handle.read(12).ljust(12, b"\0"))
        if not 12 <= offset <= offset + length <= size:
            raise ValueError(f"{path.name} is cut short")
        handle.seek(offset)
        directory = pickle.loads(handle.read(length))
    if any(entry["offset"] + entry["length"] > offset for entry in directory.values()):
        raise ValueError(f"{path.name} is cut short")


def _said(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def engine_failure(exc: BaseException) -> bool:
    """Whether `exc` was raised inside Whoosh's own code: what reading a
    damaged index gives (a seek out of range, a bad pickle, a short read)."""
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and Path(frames[-1].filename).is_relative_to(WHOOSH_PACKAGE)


def damaged_message(folder: Path, exc: BaseException) -> str:
    return f"the index in {folder} could not be read ({_said(exc)}); it may be damaged: {REBUILD_HINT}"


class IndexStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def exists(self) -> bool:
        return (self.folder / MANIFEST).is_file()

    def manifest(self) -> Manifest:
        path = self.folder / MANIFEST
        if not path.is_file():
            raise IndexMissing(f"no index in {self.folder}; run `search index` to build it")
        try:
            data = json.loads(path.read_text("utf-8"))
            manifest = Manifest(str(data["generation"]), int(data["schema_version"]), str(data["rules"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise SchemaMismatch(f"{path} is not a news-search manifest; {REBUILD_HINT}") from exc
        if manifest.schema_version != SCHEMA_VERSION:
            raise SchemaMismatch(
                f"the index in {self.folder} was written by an incompatible version "
                f"(schema {manifest.schema_version}, this version reads {SCHEMA_VERSION}); {REBUILD_HINT}"
            )
        return manifest

    def open(self) -> Index:
        """The live Whoosh index. Raises IndexMissing, or SchemaMismatch when
        it cannot be read (another version's, or damaged)."""
        folder = self.folder / self.manifest().generation
        try:
            for segment in folder.glob("*.seg"):
                _check_compound(segment)
            return MappedStorage(str(folder)).open_index()
        except Exception as exc:  # Whoosh raises many kinds on a foreign or damaged index.
            raise SchemaMismatch(f"the index in {folder} is damaged ({_said(exc)}); {REBUILD_HINT}") from exc

    def create_generation(self) -> tuple[str, Index]:
        """A new, empty Whoosh index beside the live one, not yet live."""
        name = f"{GENERATION_PREFIX}{datetime.now():%Y%m%dT%H%M%S%f}-{os.getpid()}"
        folder = self.folder / name
        folder.mkdir(parents=True)
        return name, whoosh_index.create_in(str(folder), build_schema())

    def publish(self, generation: str, rules: str) -> None:
        """Make `generation` live in one atomic step, then drop the others."""
        self._write_manifest(Manifest(generation, SCHEMA_VERSION, rules))
        self._sweep()

    def _sweep(self) -> None:
        """Remove the generations no manifest names: builds a crash cut short.
        Only the holder of the write lock makes generations, so none is under way."""
        try:
            live = self.manifest().generation if self.exists() else None
        except SchemaMismatch:
            return  # the next publish, of a new build, sweeps
        for folder in self.folder.glob(GENERATION_PREFIX + "*"):
            if folder.name != live:
                shutil.rmtree(folder, ignore_errors=True)

    def _write_manifest(self, manifest: Manifest) -> None:
        data = {"generation": manifest.generation, "schema_version": manifest.schema_version, "rules": manifest.rules}
        write_whole(self.folder / MANIFEST, json.dumps(data, indent=2).encode(), durable=True)

    @contextmanager
    def write_lock(self, timeout: float | None = None) -> Iterator[None]:
        """Hold the archive's write lock, waiting up to `timeout` seconds."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / LOCK, "a+b") as handle:
            deadline = time.monotonic() + (LOCK_TIMEOUT if timeout is None else timeout)
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise IndexLocked(
                            f"another process is writing the index in {self.folder}; "
                            "wait for it to finish and try again"
                        ) from None
                    time.sleep(0.1)
            self._sweep()
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
