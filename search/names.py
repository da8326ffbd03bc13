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

import tomllib
import unicodedata
from collections.abc import Callable
from pathlib import Path

from .errors import SourceError

SHIPPED = Path(__file__).with_name("data") / "aliases.toml"

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

    def __init__(self, groups: list[list[str]], normalise: Callable[[str], list[str]]) -> None:
        self._groups: dict[str, frozenset[str]] = {}
        for spellings in groups:
            terms = frozenset(fold(term) for spelling in spellings for term in normalise(spelling))
            for term in terms:
                self._groups[term] = self._groups.get(term, frozenset()) | terms

    def variants(self, term: str) -> frozenset[str]:
        """Other folded spellings of an (analysed) query term; empty if none."""
        return self._groups.get(fold(term), frozenset()) - {fold(term)}


def load_alias_groups(archive_aliases: Path | None = None) -> list[list[str]]:
    """The shipped alias groups, with an archive's `aliases.toml` added."""
    groups: list[list[str]] = []
    for path in (SHIPPED, archive_aliases):
        if path is None or not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text("utf-8"))
            groups += [[str(v) for v in entry["spellings"]] for entry in data.get("names", [])]
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, KeyError, TypeError) as exc:
            raise SourceError(f"{path}: not a valid alias table ({exc}); see the comments in {SHIPPED}") from exc
    return groups
