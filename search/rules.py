"""Boilerplate classes and outlet fingerprints, loaded from editable data.

The shipped `data/rules.toml` is read first; an archive's own `rules.toml`
adds its entries to it. Nothing here knows any particular outlet: that is data.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import SourceError

SHIPPED = Path(__file__).with_name("data") / "rules.toml"
WHERE = ("line", "suffix", "tail", "header")


@dataclass(frozen=True)
class BoilerplateClass:
    """One kind of boilerplate: how to recognise it and what to drop."""

    name: str
    where: str
    patterns: tuple[re.Pattern[str], ...]
    max_words: int

    def matches(self, line: str) -> bool:
        if len(line.split()) > self.max_words:
            return False
        return any(p.search(line) for p in self.patterns)

    def cut_suffix(self, line: str) -> str:
        for pattern in self.patterns:
            line = pattern.sub("", line)
        return line.rstrip()


@dataclass(frozen=True)
class Outlet:
    """An outlet's display name and what identifies its documents."""

    name: str
    domains: tuple[str, ...]
    fingerprints: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Rules:
    """Everything the cleaner and the metadata extraction are tuned by."""

    boilerplate: tuple[BoilerplateClass, ...]
    outlets: tuple[Outlet, ...]
    repeat_min_docs: int
    run_min_lines: int
    run_max_words: int
    title_max_words: int
    digest: str

    def of_kind(self, where: str) -> tuple[BoilerplateClass, ...]:
        return tuple(b for b in self.boilerplate if b.where == where)

    def outlet_for_domain(self, host: str) -> str | None:
        host = host.lower().removeprefix("www.")
        for outlet in self.outlets:
            if any(host == d or host.endswith("." + d) for d in outlet.domains):
                return outlet.name
        return None

    def outlet_by_fingerprint(self, lines: list[str]) -> str | None:
        for outlet in self.outlets:
            if any(p.search(line) for p in outlet.fingerprints for line in lines):
                return outlet.name
        return None


def load_rules(archive_rules: Path | None = None) -> Rules:
    """The shipped rules, extended by an archive's `rules.toml` if it has one."""
    layers = [(SHIPPED, SHIPPED.read_bytes())]
    if archive_rules is not None and archive_rules.is_file():
        layers.append((archive_rules, archive_rules.read_bytes()))
    data: dict[str, Any] = {"boilerplate": [], "outlets": []}
    for origin, raw in layers:
        try:
            layer = tomllib.loads(raw.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SourceError(f"{origin}: not valid TOML ({exc}); fix the file") from exc
        data["boilerplate"] += layer.pop("boilerplate", [])
        data["outlets"] += layer.pop("outlets", [])
        data.update(layer)
    try:
        return _compile(data, hashlib.sha1(b"\0".join(raw for _, raw in layers)).hexdigest())
    except (KeyError, TypeError, ValueError, re.error) as exc:
        where = layers[-1][0]
        raise SourceError(f"{where}: bad rule ({exc}); see the comments in {SHIPPED}") from exc


def _compile(data: dict[str, Any], digest: str) -> Rules:
    classes = tuple(_boilerplate(entry) for entry in data["boilerplate"])
    outlets = tuple(
        Outlet(
            name=str(entry["name"]),
            domains=tuple(d.lower() for d in entry.get("domains", [])),
            fingerprints=_patterns(entry.get("fingerprints", []), 0),
        )
        for entry in data["outlets"]
    )
    return Rules(
        boilerplate=classes,
        outlets=outlets,
        repeat_min_docs=int(data["repetition"]["min_docs"]),
        run_min_lines=int(data["runs"]["min_lines"]),
        run_max_words=int(data["runs"]["max_words"]),
        title_max_words=int(data["title"]["max_words"]),
        digest=digest,
    )


def _boilerplate(entry: dict[str, Any]) -> BoilerplateClass:
    where = entry["where"]
    if where not in WHERE:
        raise ValueError(f"where = {where!r} in class {entry.get('class')!r}; use one of {WHERE}")
    return BoilerplateClass(
        name=str(entry["class"]),
        where=where,
        patterns=_patterns(entry["patterns"], re.IGNORECASE),
        max_words=int(entry.get("max_words", 10_000)),
    )


def _patterns(sources: list[str], flags: int) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(source, flags) for source in sources)
