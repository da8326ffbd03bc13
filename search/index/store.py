"""The index folder on disk: which index is live, and who may write.

`index/manifest.json` names the live generation, an index of the engine in a
folder of its own, with the schema version and the digest of the rules it was
cleaned with. A rebuild writes a new generation beside the live one and
switches the manifest only when it is complete, so a crash leaves the old one.
`index/aliases.json` keeps the alias table analysed (text.names.read_aliases).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from ..engine import Reader, engine
from ..errors import REBUILD_HINT, IndexLocked, IndexMissing, SchemaMismatch, said
from ..files import write_whole

MANIFEST = "manifest.json"
ALIAS_CACHE = "aliases.json"
LOCK = "write.lock"
GENERATION_PREFIX = "gen-"
LOCK_TIMEOUT = 30.0


class Manifest(NamedTuple):
    generation: str
    schema_version: int
    rules: str


def engine_failure(exc: BaseException) -> bool:
    """Whether `exc` was raised inside the engine: what reading a damaged index gives."""
    return engine().is_failure(exc)


def damaged_message(folder: Path, exc: BaseException) -> str:
    return f"the index in {folder} could not be read ({said(exc)}); it may be damaged: {REBUILD_HINT}"


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
        version = engine().schema_version
        if manifest.schema_version != version:
            raise SchemaMismatch(
                f"the index in {self.folder} was written by an incompatible version "
                f"(schema {manifest.schema_version}, this version reads {version}); {REBUILD_HINT}"
            )
        return manifest

    def open(self) -> Reader:
        """A reader of the live index. Raises IndexMissing, or SchemaMismatch
        when it cannot be read (another version's, or damaged)."""
        return engine().open(self.live())

    def live(self) -> Path:
        """The folder of the live generation."""
        return self.folder / self.manifest().generation

    def create_generation(self) -> str:
        """A new, empty index beside the live one, not yet live."""
        name = f"{GENERATION_PREFIX}{datetime.now():%Y%m%dT%H%M%S%f}-{os.getpid()}"
        folder = self.folder / name
        folder.mkdir(parents=True)
        engine().create(folder)
        return name

    def publish(self, generation: str, rules: str) -> None:
        """Make `generation` live in one atomic step, then drop the others."""
        self._write_manifest(Manifest(generation, engine().schema_version, rules))
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
