"""Whoosh indexes on disk: opened memory-mapped and checked, made empty,
and parts of a build combined into one."""

from __future__ import annotations

import mmap
import os
import pickle
import struct
import traceback
from pathlib import Path
from typing import Any, BinaryIO

import whoosh
from whoosh.filedb.compound import SubFile
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile
from whoosh.index import TOC, Index

from ...errors import REBUILD_HINT, SchemaMismatch, said
from .schema import build_schema

WHOOSH_PACKAGE = Path(whoosh.__file__).parent
INDEX_NAME = "MAIN"  # Whoosh's default index name


class MappedStorage(FileStorage):  # type: ignore[misc]
    """Whoosh's file storage, with each file opened memory-mapped, and each
    file written counting its own length.

    Whoosh's own storage reads a compound segment by copying every file
    inside it into memory (a BytesIO of the mapped bytes) at each open, most
    of a new process's query on a large archive. Through a mapped
    file, the same reads come straight from the page cache.

    Whoosh's writers ask a file where they are (`tell`) for every term of
    the term index, every posting list and every stored document; a Python
    file answers each time with a system call, 3 % of a rebuild.
    """

    def open_file(self, name: str, **kwargs: Any) -> StructFile:
        with open(self._fpath(name), "rb") as handle:
            if os.fstat(handle.fileno()).st_size == 0:  # an empty file cannot be mapped
                return super().open_file(name, **kwargs)
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        return _Mapped(mapped, name, **kwargs)

    def create_file(self, name: str, **kwargs: Any) -> StructFile:
        created: StructFile = super().create_file(name, **kwargs)
        created.file = _Counted(created.file)
        return created


class _Mapped(StructFile):  # type: ignore[misc]
    """A memory-mapped file, or a file inside one (a compound segment's),
    whose `get` slices the map. Whoosh's reads a file object (seek, then
    read, through a sub-file of the segment's file): five calls in Python
    for each of the small reads a query makes, some a hundred for a word
    (looking it up in each segment's term index, reading its postings).
    Whoosh's readers use `get` for reads at a place, and `seek` before the
    reads that go on from where they are, so `get` leaves the position
    alone (Whoosh's moves it: tests/test_writing.py)."""

    def __init__(self, mapped: mmap.mmap, name: str, offset: int = 0, length: int | None = None, **kwargs: Any):
        inner = mapped if length is None else SubFile(mapped, offset, length)
        super().__init__(inner, name=name, **kwargs)
        self._map, self._offset = mapped, offset
        self._end = len(mapped) if length is None else offset + length

    def get(self, position: int, length: int) -> bytes:
        """The bytes from `position`, `length` of them or up to the file's end (as a read gives)."""
        start = self._offset + position
        return self._map[start : min(start + length, self._end)]

    def subset(self, offset: int, length: int, name: str | None = None) -> _Mapped:
        """A file inside this one (what Whoosh's compound storage opens)."""
        return _Mapped(self._map, name or str(self), self._offset + offset, length)


class _Counted:
    """A file being written that knows its position without asking the system
    (anything else is the file's own)."""

    def __init__(self, file: BinaryIO) -> None:
        self._file = file
        self._position = file.tell()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)

    def write(self, data: bytes) -> int:
        written = self._file.write(data)
        self._position += written
        return written

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        self._position = self._file.seek(offset, whence)
        return self._position


def create(folder: Path) -> Index:
    return MappedStorage(str(folder)).create_index(build_schema())


def open_index(folder: Path) -> Index:
    """The index in `folder`; SchemaMismatch when it cannot be read (another
    version's, or damaged)."""
    try:
        for segment in folder.glob("*.seg"):
            _check_compound(segment)
        return MappedStorage(str(folder)).open_index()
    except Exception as exc:  # Whoosh raises many kinds on a foreign or damaged index.
        raise SchemaMismatch(f"the index in {folder} is damaged ({said(exc)}); {REBUILD_HINT}") from exc


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


def is_failure(exc: BaseException) -> bool:
    """Whether `exc` was raised inside Whoosh's own code: what reading a
    damaged index gives (a seek out of range, a bad pickle, a short read)."""
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and Path(frames[-1].filename).is_relative_to(WHOOSH_PACKAGE)


def combine(folder: Path, parts: list[Path]) -> None:
    """Move the parts' segments into `folder` and list them all in its table of contents."""
    segments = []
    for part in parts:
        toc = TOC.read(FileStorage(str(part)), INDEX_NAME)
        for segment in toc.segments:
            for name in segment.list_files(FileStorage(str(part))):
                os.replace(part / name, folder / name)
            segments.append(segment)
    TOC(build_schema(), segments, 1).write(FileStorage(str(folder)), INDEX_NAME)
