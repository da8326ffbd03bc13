"""Saved searches ("watches"): run again later, they list what is new.

Each watch is a file in the archive's `watches/` folder: the request as the
user typed it (dates are parsed again at each run), when it last ran and
against which index generation. Beside it, the documents it has shown are
kept as 8-byte hashes of (id, content hash), sorted: a document is new when
it was added, or changed, since the watch last ran. A rebuild of the index
does not make old documents new, as a count of index commits would.
"""

from __future__ import annotations

import hashlib
import json
import re
from array import array
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from ..errors import WatchError
from ..files import write_whole
from ..model import Hit
from ..query.request import SearchRequest

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


@dataclass(frozen=True)
class Watch:
    name: str
    query: str
    date_from: str | None = None
    date_to: str | None = None
    outlets: tuple[str, ...] = ()
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Facet filters, as `SearchRequest.filters`."""
    created: str = ""
    last_run: str | None = None
    generation: str | None = None
    """The index generation the watch last ran against."""
    matched: int = 0
    """Documents it matched then."""

    def request(self, limit: int) -> SearchRequest:
        """The search, newest first."""
        return SearchRequest.build(
            self.query,
            self.date_from,
            self.date_to,
            dict(self.filters),
            outlets=self.outlets,
            sort="newest",
            limit=limit,
        )

    def ran(self, generation: str, matched: int) -> Watch:
        return replace(self, last_run=_now(), generation=generation, matched=matched)


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def key(doc_id: str, sha: bytes) -> int:
    """A document's version as an 8-byte number."""
    return int.from_bytes(hashlib.blake2b(doc_id.encode() + b"\0" + sha, digest_size=8).digest(), "big")


class Watches:
    """The saved searches of one archive, in `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def all(self) -> list[Watch]:
        if not self.folder.is_dir():
            return []
        return [self.get(path.stem) for path in sorted(self.folder.glob("*.json"))]

    def get(self, name: str) -> Watch:
        path = self._path(name, ".json")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            filters = tuple((name, tuple(values)) for name, values in data.get("filters", ()))
            return Watch(**{**data, "outlets": tuple(data.get("outlets", ())), "filters": filters})
        except FileNotFoundError:
            known = ", ".join(w.stem for w in sorted(self.folder.glob("*.json"))) if self.folder.is_dir() else ""
            raise WatchError(f"no saved search named {name!r}; saved: {known or 'none yet'}") from None
        except (ValueError, TypeError) as exc:
            raise WatchError(f"the saved search {path} is damaged ({exc}); remove it and add it again") from exc

    def seen(self, name: str) -> set[int]:
        """The document versions the watch has already shown."""
        try:
            data = self._path(name, ".seen").read_bytes()
        except FileNotFoundError:
            return set()
        seen = array("Q")
        seen.frombytes(data[: len(data) // 8 * 8])
        return set(seen)

    def create(self, watch: Watch, seen: Iterable[int]) -> None:
        if self._path(watch.name, ".json").exists():
            raise WatchError(f"a saved search named {watch.name!r} exists; remove it first or choose another name")
        self.save(watch, seen)

    def save(self, watch: Watch, seen: Iterable[int]) -> None:
        """Write the watch and what it has seen; each file is replaced whole."""
        self.folder.mkdir(exist_ok=True)
        write_whole(self._path(watch.name, ".seen"), array("Q", sorted(seen)).tobytes())
        write_whole(self._path(watch.name, ".json"), json.dumps(asdict(watch), ensure_ascii=False, indent=2).encode())

    def remove(self, name: str) -> Watch:
        watch = self.get(name)
        self._path(name, ".seen").unlink(missing_ok=True)
        self._path(name, ".json").unlink()
        return watch

    def _path(self, name: str, suffix: str) -> Path:
        if not _NAME.fullmatch(name):
            raise WatchError(
                f"{name!r} cannot name a saved search: use letters, digits, '-', '_' or '.', up to 64, no spaces"
            )
        return self.folder / f"{name}{suffix}"


class WatchRun(NamedTuple):
    """A saved search run: what it matches now, and the new documents among them."""

    watch: Watch
    total: int
    new: tuple[Hit, ...]
    since: str | None
    """When it ran before (None: never), as the watch recorded it."""
