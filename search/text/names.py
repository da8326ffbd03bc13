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
from collections.abc import Callable
from contextlib import suppress
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

    def __init__(self, groups: dict[str, frozenset[str]]) -> None:
        self._groups = groups

    def variants(self, term: str) -> frozenset[str]:
        """Other folded spellings of an (analysed) query term; empty if none."""
        return self._groups.get(fold(term), frozenset()) - {fold(term)}


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
    tables = [(path, _text(path)) for path in (SHIPPED, archive_aliases) if path is not None]
    key = {"analysis": analysis, "tables": [text for _, text in tables]}
    groups = _read_cache(cache, key) if cache else None
    if groups is None:
        groups = _analysed(_spellings(tables), normalise)
        if cache:
            _write_cache(cache, key, groups)
    return Aliases(groups)


def _analysed(spellings: list[list[str]], normalise: Callable[[str], list[str]]) -> dict[str, frozenset[str]]:
    """Each folded term of a group's spellings, with the terms of every group it is in."""
    groups: dict[str, frozenset[str]] = {}
    for group in spellings:
        terms = frozenset(fold(term) for spelling in group for term in normalise(spelling))
        for term in terms:
            groups[term] = groups.get(term, frozenset()) | terms
    return groups


def _text(path: Path) -> str | None:
    """A table's text; None when there is none."""
    try:
        return path.read_text("utf-8") if path.is_file() else None
    except UnicodeDecodeError as exc:
        raise _invalid(path, exc) from exc


def _spellings(tables: list[tuple[Path, str | None]]) -> list[list[str]]:
    import tomllib  # only when a table is read: a cached one is not

    groups: list[list[str]] = []
    for path, text in tables:
        if text is None:
            continue
        try:
            groups += [[str(v) for v in entry["spellings"]] for entry in tomllib.loads(text).get("names", [])]
        except (tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
            raise _invalid(path, exc) from exc
    return groups


def _invalid(path: Path, exc: Exception) -> SourceError:
    return SourceError(f"{path}: not a valid alias table ({exc}); see the comments in {SHIPPED}")


def _read_cache(cache: Path, key: dict[str, Any]) -> dict[str, frozenset[str]] | None:
    try:
        data = json.loads(cache.read_text("utf-8"))
        if data["key"] != key:
            return None
        return {term: frozenset(group) for term, group in data["groups"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _write_cache(cache: Path, key: dict[str, Any], groups: dict[str, frozenset[str]]) -> None:
    """Write the cache whole or not at all (another process may be reading it);
    not at all when its folder cannot be written or is not there."""
    data = {"key": key, "groups": {term: sorted(group) for term, group in groups.items()}}
    with suppress(OSError):
        write_whole(cache, json.dumps(data, ensure_ascii=False).encode())
