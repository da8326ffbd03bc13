"""Boilerplate classes and outlet fingerprints, loaded from editable data.

The shipped `data/rules.toml` is read first; an archive's own `rules.toml`
adds its entries to it. Nothing here knows any particular outlet: that is data.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SourceError
from .cues import SHIPPED as QUOTES
from .cues import Cues, compile_cues

SHIPPED = Path(__file__).parents[1] / "data" / "rules.toml"
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def word_count(text: str) -> int:
    """Words in a line; two Chinese, Japanese or Korean characters count as one."""
    return len(text.split()) + len(_CJK.findall(text)) // 2


WHERE = ("line", "suffix", "tail", "header")


@dataclass(frozen=True)
class BoilerplateClass:
    """One kind of boilerplate: how to recognise it and what to drop."""

    name: str
    where: str
    pattern: re.Pattern[str]
    max_words: int

    def matches(self, line: str, words: int | None = None) -> bool:
        """Whether `line` (of `words` words, counted if not given) is of this class."""
        if (words if words is not None else word_count(line)) > self.max_words:
            return False
        return self.pattern.search(line) is not None

    def cut_suffix(self, line: str) -> str:
        return self.pattern.sub("", line).rstrip()


@dataclass(frozen=True)
class Outlet:
    """An outlet's display name and what identifies its documents."""

    name: str
    domains: tuple[str, ...]
    fingerprints: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class HtmlRules:
    """What an HTML page loses before its content is looked for."""

    drop_tags: tuple[str, ...]
    boilerplate_tags: frozenset[str]
    boilerplate_names: re.Pattern[str]
    content_names: re.Pattern[str]
    max_link_density: float


@dataclass(frozen=True)
class RegionRules:
    """When the cleaner looks for the article's region in a text file."""

    min_other_lines: int
    """A file with fewer lines that are neither paragraphs nor rows of figures
    has nothing around its article to cut: it is taken whole."""
    min_article_words: int
    """The least a run of lines must score as article text to be cut out as
    the article; a file where no run reaches it has no article to find (a
    table, a list of results) and is taken whole rather than cut to a stub."""
    off_outlets: frozenset[str]
    """Outlets (case folded) whose files hold clean article text already."""
    off_folders: tuple[str, ...]
    """Folders of raw/ (with a trailing slash) whose files hold clean text."""

    def applies(self, outlet: str | None, doc_id: str) -> bool:
        """Whether the region cut is on for a document of `outlet` at `doc_id`."""
        if outlet is not None and outlet.casefold() in self.off_outlets:
            return False
        return not doc_id.startswith(self.off_folders)


@dataclass(frozen=True)
class Rules:
    """Everything the cleaner and the metadata extraction are tuned by."""

    boilerplate: tuple[BoilerplateClass, ...]
    outlets: tuple[Outlet, ...]
    html: HtmlRules
    region: RegionRules
    repeat_min_docs: int
    repeat_edge_lines: int
    repeat_prose_words: int
    run_min_lines: int
    run_max_words: int
    title_max_words: int
    digest: str
    quotes: Cues = field(hash=False, compare=False)
    """How quotations and their speakers are found, by language (data/quotes.toml)."""
    any_of: dict[str, re.Pattern[str]] = field(hash=False, compare=False)
    """For each kind of boilerplate, one pattern matching where any of its classes does."""
    longest: dict[str, int] = field(hash=False, compare=False)
    """For each kind, the most words a line of it can have."""

    def of_kind(self, where: str) -> tuple[BoilerplateClass, ...]:
        return tuple(b for b in self.boilerplate if b.where == where)

    def classify(self, where: str, line: str, words: int) -> str | None:
        """The name of the first class of kind `where` that `line` belongs to.

        One search with all the kind's patterns rules most lines out at once.
        """
        if words > self.longest[where] or self.any_of[where].search(line) is None:
            return None
        return next((c.name for c in self.of_kind(where) if c.matches(line, words)), None)

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
    """The shipped rules, extended by an archive's `rules.toml` if it has one;
    and the quotation cues, by its `quotes.toml`."""
    layers = _layers(SHIPPED, archive_rules)
    quote_layers = _layers(QUOTES, archive_rules.with_name("quotes.toml") if archive_rules else None)
    data: dict[str, Any] = {"boilerplate": [], "outlets": []}
    for origin, raw in layers:
        layer = _toml(origin, raw)
        data["boilerplate"] += layer.pop("boilerplate", [])
        data["outlets"] += layer.pop("outlets", [])
        for name, value in layer.items():
            data[name] = {**data[name], **value} if isinstance(value, dict) and name in data else value
    digest = hashlib.sha1(b"\0".join(raw for _, raw in layers + quote_layers)).hexdigest()
    try:
        quotes = compile_cues([_toml(origin, raw) for origin, raw in quote_layers])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SourceError(f"{quote_layers[-1][0]}: bad cue ({exc}); see the comments in {QUOTES}") from exc
    try:
        return _compile(data, digest, quotes)
    except (KeyError, TypeError, ValueError, re.error) as exc:
        where = layers[-1][0]
        raise SourceError(f"{where}: bad rule ({exc}); see the comments in {SHIPPED}") from exc


def _layers(shipped: Path, archive: Path | None) -> list[tuple[Path, bytes]]:
    """The shipped file's bytes, and the archive's file's if it has one."""
    layers = [(shipped, shipped.read_bytes())]
    if archive is not None and archive.is_file():
        layers.append((archive, archive.read_bytes()))
    return layers


def _toml(origin: Path, raw: bytes) -> dict[str, Any]:
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourceError(f"{origin}: not valid TOML ({exc}); fix the file") from exc


def _compile(data: dict[str, Any], digest: str, quotes: Cues) -> Rules:
    classes = tuple(_boilerplate(entry) for entry in data["boilerplate"])
    outlets = tuple(
        Outlet(
            name=str(entry["name"]),
            domains=tuple(d.lower() for d in entry.get("domains", [])),
            fingerprints=_patterns(entry.get("fingerprints", []), 0),
        )
        for entry in data["outlets"]
    )
    html = data["html"]
    return Rules(
        boilerplate=classes,
        outlets=outlets,
        html=HtmlRules(
            drop_tags=tuple(html["drop_tags"]),
            boilerplate_tags=frozenset(html["boilerplate_tags"]),
            boilerplate_names=_any_word(html["boilerplate_names"]),
            content_names=_any_word(html["content_names"]),
            max_link_density=float(html["max_link_density"]),
        ),
        region=_region(data["region"]),
        repeat_min_docs=int(data["repetition"]["min_docs"]),
        repeat_edge_lines=int(data["repetition"]["edge_lines"]),
        repeat_prose_words=int(data["repetition"]["prose_words"]),
        run_min_lines=int(data["runs"]["min_lines"]),
        run_max_words=int(data["runs"]["max_words"]),
        title_max_words=int(data["title"]["max_words"]),
        any_of={where: _union([c.pattern for c in classes if c.where == where]) for where in WHERE},
        longest={where: max((c.max_words for c in classes if c.where == where), default=0) for where in WHERE},
        digest=digest,
        quotes=quotes,
    )


def _region(entry: dict[str, Any]) -> RegionRules:
    folders = (str(folder).strip("/") for folder in entry.get("off_folders", []))
    return RegionRules(
        min_other_lines=int(entry["min_other_lines"]),
        min_article_words=int(entry["min_article_words"]),
        off_outlets=frozenset(str(outlet).casefold() for outlet in entry.get("off_outlets", [])),
        off_folders=tuple(f"{folder}/" for folder in folders if folder),
    )


def _boilerplate(entry: dict[str, Any]) -> BoilerplateClass:
    where = entry["where"]
    if where not in WHERE:
        raise ValueError(f"where = {where!r} in class {entry.get('class')!r}; use one of {WHERE}")
    return BoilerplateClass(
        name=str(entry["class"]),
        where=where,
        pattern=re.compile("|".join(f"(?:{source})" for source in entry["patterns"]), re.IGNORECASE),
        max_words=int(entry.get("max_words", 10_000)),
    )


def _union(patterns: list[re.Pattern[str]]) -> re.Pattern[str]:
    sources = [pattern.pattern for pattern in patterns] or ["(?!)"]
    return re.compile("|".join(f"(?:{source})" for source in sources), re.IGNORECASE)


def _any_word(words: list[str]) -> re.Pattern[str]:
    """Finds any of `words` standing alone in a class or id ("share" in "post-share-bar")."""
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(w.lower()) for w in words) + r")(?![a-z0-9])")


def _patterns(sources: list[str], flags: int) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(source, flags) for source in sources)
