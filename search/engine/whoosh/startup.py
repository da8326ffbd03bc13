"""Whoosh imported without the imports of it that a search never uses.

Some of Whoosh's modules import a whole module for one function that no
search calls: `whoosh.compat`, which every Whoosh module imports, takes
`urlretrieve` from `urllib.request` (and with it http.client, email and ssl,
a tenth of a query in a new process); `whoosh.query.terms` takes
`variations` from `whoosh.lang.morph_en` (a table of English word forms for
the `Variations` query, which we do not use); `whoosh.analysis` takes
the Porter stemmer (thirteen patterns to compile) and the double
metaphone for filters our analyzer does not use (it stems with Snowball's
English). While Whoosh's query modules are imported, each of those modules
is a stand-in whose function is the real one, imported when called;
afterwards the real modules stay importable as ever.

One function a search does call: the term index's `md5`, from `hashlib`,
which loads OpenSSL for it; Python's own `_md5` module has the same function. And the
English stemmer is imported without the thirteen other languages that
`whoosh.lang.snowball` imports with it (`english_stemmer`).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from collections.abc import Callable
from typing import Any, cast

STAND_INS = {
    "urllib.request": "urlretrieve",
    "whoosh.lang.morph_en": "variations",
    "whoosh.lang.porter": "stem",
    "whoosh.lang.dmetaphone": "double_metaphone",
}
"""Module -> the one function Whoosh's start-up takes from it."""

SAME_IN = {"hashlib": ("md5", "_md5")}
"""Module -> the one function Whoosh takes from it, and a smaller module that has it too."""


def import_whoosh() -> None:
    """Import Whoosh's query modules and term tables with stand-ins for the modules not imported already."""
    if "whoosh.query" in sys.modules:
        return
    standing_in = [module for module in [*STAND_INS, *_with_smaller()] if module not in sys.modules]
    for module in standing_in:
        stand_in = sys.modules[module] = types.ModuleType(module)
        if module in STAND_INS:
            vars(stand_in)[STAND_INS[module]] = _imported_when_called(module, STAND_INS[module])
        else:
            function, smaller = SAME_IN[module]
            vars(stand_in)[function] = getattr(importlib.import_module(smaller), function)
    try:
        import whoosh.filedb.filetables  # noqa: F401  (the term index's tables: md5)
        import whoosh.query  # noqa: F401
    finally:
        for module in standing_in:
            del sys.modules[module]


def _with_smaller() -> list[str]:
    """The modules of SAME_IN whose smaller module this Python has (a build may leave `_md5` out)."""
    return [module for module, (_, smaller) in SAME_IN.items() if importlib.util.find_spec(smaller)]


def _imported_when_called(module: str, function: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), function)(*args, **kwargs)

    return call


def english_stemmer() -> Callable[[str], str]:
    """Snowball's English stemmer (Whoosh's `stemmer_for_language("en")`),
    its module imported through a stand-in of its package, so that the
    package's other languages are not."""
    package = "whoosh.lang.snowball"
    if package in sys.modules:
        return cast(Callable[[str], str], sys.modules[package].EnglishStemmer().stem)
    spec = importlib.util.find_spec(package)
    stand_in = sys.modules[package] = types.ModuleType(package)
    stand_in.__path__ = list(spec.submodule_search_locations or []) if spec else []
    try:
        english = importlib.import_module(package + ".english")
    finally:
        del sys.modules[package]
    return cast(Callable[[str], str], english.EnglishStemmer().stem)
