"""Names in every spelling: folding, transliteration and an alias table.

`fold` maps a word to the skeleton its spellings share: Cyrillic (Serbian,
Russian, Ukrainian) is transliterated into Latin letters with diacritics,
then the diacritics go, so "Вучић", "Вучич", "Vučić" and "Vucic" all fold to
"vucic". English words are left alone ("chat" stays "chat", never "cat").

Spellings no rule joins ("Vuchich", "Kiev"/"Kyiv") are listed in an alias
table, `data/aliases.toml`, which an archive extends with its own
`aliases.toml`; they are joined at query time, so editing the table needs no
re-indexing.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping
from contextlib import suppress
from itertools import chain
from operator import mul
from pathlib import Path
from typing import Any

from ..errors import SourceError
from ..files import write_whole

SHIPPED = Path(__file__).parents[1] / "data" / "aliases.toml"

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "ђ": "đ", "е": "e", "ё": "e", "є": "je",
    "ж": "ž", "з": "z", "и": "i", "і": "i", "ї": "ji", "й": "j", "ј": "j", "к": "k", "л": "l", "љ": "lj",
    "м": "m", "н": "n", "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "ć", "у": "u",
    "ф": "f", "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š", "щ": "šč", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "ju", "я": "ja",
}  # fmt: skip
# Letters that Unicode does not decompose into a base letter and a mark.
_UNDECOMPOSED = {"đ": "dj", "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "ı": "i", "þ": "th"}
_TABLE = str.maketrans({**_CYRILLIC, **_UNDECOMPOSED})


def fold(word: str) -> str:
    """The lowercase, unaccented, Latin skeleton of a word."""
    latin = word.lower().translate(_TABLE)
    if latin.isascii():
        return latin
    decomposed = unicodedata.normalize("NFKD", latin)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).translate(_TABLE)


class Aliases:
    """Groups of spellings of one name, looked up by any member's folded form."""

    def __init__(self, groups: dict[str, frozenset[str]], names: dict[str, str] | None = None) -> None:
        self._groups = groups
        self._names = names or {}
        self._keys: dict[str, str] = {}
        self._persons: dict[tuple[str, ...], tuple[tuple[str, str], ...]] = {}

    def variants(self, term: str) -> frozenset[str]:
        """Other folded spellings of an (analysed) query term; empty if none."""
        return self._groups.get(fold(term), frozenset()) - {fold(term)}

    def named(self, word: str) -> str | None:
        """The name the table shows for a spelling ("Вучић" -> "Aleksandar Vučić"), if it lists one."""
        return self._names.get(fold(word))

    def person(self, name: str) -> str:
        """What one person's names have in common across documents: the folded
        surname, or the table's name for it ("Vucic", "Aleksandar Vučić" and
        "Вучић" -> "aleksandar vucic"). Remembered: a facet asks it of every
        name of its documents, query after query."""
        key = self._keys.get(name)
        if key is None:
            surname = name.split()[-1]
            shown = self.named(surname)
            key = self._keys[name] = fold(shown) if shown else fold(surname)
        return key

    def persons(self, names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
        """Each name of a document with its person (`person`), remembered."""
        found = self._persons.get(names)
        if found is None:
            found = self._persons[names] = tuple((self.person(name), name) for name in names)
        return found


def shown_names(counts: Mapping[str, int], aliases: Aliases) -> dict[str, str]:
    """For each name counted, the form to show for its person: the alias
    table's name, else the spelling of that person counted most (the longest
    among equals)."""
    spellings: dict[str, Counter[str]] = {}
    for name, count in counts.items():
        spellings.setdefault(aliases.person(name), Counter())[name] += count
    chosen = {key: _shown(key, found, aliases) for key, found in spellings.items()}
    return {name: chosen[aliases.person(name)] for name in counts}


def people_counts(groups: Mapping[tuple[str, ...], int], aliases: Aliases, most: int) -> dict[str, int]:
    """The `most` persons counted most in `groups` (the names of a document,
    and how many documents have just those), a person's spellings counted as
    one, shown as `shown_names` shows them. (A document giving one person in
    two spellings counts twice: `ingest.quotes` gives each its fullest form.)"""
    # Each group's (person, name) pairs repeated as many times as documents have them, counted in C.
    named = Counter(chain.from_iterable(map(mul, map(aliases.persons, groups.keys()), groups.values())))
    counts: dict[str, int] = {}
    for (key, _), count in named.items():
        counts[key] = counts.get(key, 0) + count
    best = dict(Counter(counts).most_common(most))
    spellings: dict[str, Counter[str]] = {key: Counter() for key in best}
    for (key, name), count in named.items():
        if key in best:
            spellings[key][name] = count
    shown = ((_shown(key, spellings[key], aliases), count) for key, count in best.items())
    return dict(sorted(shown, key=lambda item: (-item[1], item[0])))


def _shown(key: str, spellings: Counter[str], aliases: Aliases) -> str:
    return aliases.named(key.split()[-1]) or max(spellings, key=lambda n: (spellings[n], len(n), n))


def read_aliases(
    archive_aliases: Path | None, normalise: Callable[[str], list[str]], analysis: str, cache: Path | None = None
) -> Aliases:
    """The shipped alias table with an archive's `aliases.toml` added, analysed by `normalise`.

    Parsing the TOML and stemming every spelling is a visible share of a new
    process's query, so `cache` keeps the analysed
    table with the texts of the tables and the `analysis` it came from; a
    later process reads it back unless one of them has changed. A cache that
    cannot be read is made again; one that cannot be written (a read-only
    archive) is done without.
    """
    tables = _tables(archive_aliases)
    key = {"analysis": analysis, "tables": [text for _, text in tables]}
    cached = _read_cache(cache, key) if cache else None
    if cached is None:
        entries = _entries(tables)
        groups = _analysed([spellings for _, spellings in entries], normalise)
        names = {fold(spelling): name for name, spellings in entries if name for spelling in spellings}
        if cache:
            _write_cache(cache, key, groups, names)
        return Aliases(groups, names)
    return Aliases(*cached)


def alias_spellings(archive_aliases: Path | None) -> list[list[str]]:
    """The spellings of each group of the shipped table and an archive's, as
    written (for a cluster that analyses them itself: `interop.opensearch`)."""
    tables = _tables(archive_aliases)
    return [spellings for _, spellings in _entries(tables)]


def _analysed(spellings: list[list[str]], normalise: Callable[[str], list[str]]) -> dict[str, frozenset[str]]:
    """Each folded term of a group's spellings, with the terms of every group it is in."""
    groups: dict[str, frozenset[str]] = {}
    for group in spellings:
        terms = frozenset(fold(term) for spelling in group for term in normalise(spelling))
        for term in terms:
            groups[term] = groups.get(term, frozenset()) | terms
    return groups


def _tables(archive_aliases: Path | None) -> list[tuple[Path, str | None]]:
    """The shipped table and the archive's, each with its text (None if absent)."""
    return [(path, _text(path)) for path in (SHIPPED, archive_aliases) if path is not None]


def _text(path: Path) -> str | None:
    """A table's text; None when there is none."""
    try:
        return path.read_text("utf-8") if path.is_file() else None
    except UnicodeDecodeError as exc:
        raise _invalid(path, exc) from exc


def _entries(tables: list[tuple[Path, str | None]]) -> list[tuple[str | None, list[str]]]:
    """Each group's name (None if it has none) and spellings."""
    import tomllib  # only when a table is read: a cached one is not

    entries: list[tuple[str | None, list[str]]] = []
    for path, text in tables:
        if text is None:
            continue
        try:
            for entry in tomllib.loads(text).get("names", []):
                entries.append((entry.get("name"), [str(v) for v in entry["spellings"]]))
        except (tomllib.TOMLDecodeError, KeyError, TypeError, AttributeError) as exc:
            raise _invalid(path, exc) from exc
    return entries


def _invalid(path: Path, exc: Exception) -> SourceError:
    return SourceError(f"{path}: not a valid alias table ({exc}); see the comments in {SHIPPED}")


def _read_cache(cache: Path, key: dict[str, Any]) -> tuple[dict[str, frozenset[str]], dict[str, str]] | None:
    try:
        data = json.loads(cache.read_text("utf-8"))
        if data["key"] != key:
            return None
        return {term: frozenset(group) for term, group in data["groups"].items()}, dict(data["names"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _write_cache(cache: Path, key: dict[str, Any], groups: dict[str, frozenset[str]], names: dict[str, str]) -> None:
    """Write the cache whole or not at all (another process may be reading it);
    not at all when its folder cannot be written or is not there."""
    data = {"key": key, "groups": {term: sorted(group) for term, group in groups.items()}, "names": names}
    with suppress(OSError):
        write_whole(cache, json.dumps(data, ensure_ascii=False).encode())
