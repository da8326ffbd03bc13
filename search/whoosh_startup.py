"""Whoosh imported without the one import of it that a search never uses.

`whoosh.compat`, which every Whoosh module imports, imports
`urllib.request` (and with it http.client, email and ssl: 25 ms, a tenth of
a query in a new process) for `urlretrieve`, which no part of Whoosh calls.
It is handed a stand-in for that import alone; `urllib.request` stays
importable as ever, and the stand-in's `urlretrieve` is the real one,
imported when called.
"""

from __future__ import annotations

import sys
import types
from typing import Any


def import_whoosh() -> None:
    """Import `whoosh.compat` with a stand-in for `urllib.request`, unless either is imported already."""
    if "whoosh.compat" in sys.modules or "urllib.request" in sys.modules:
        return
    stand_in = types.ModuleType("urllib.request")
    vars(stand_in)["urlretrieve"] = _urlretrieve
    sys.modules["urllib.request"] = stand_in
    try:
        import whoosh.compat  # noqa: F401
    finally:
        del sys.modules["urllib.request"]


def _urlretrieve(*args: Any, **kwargs: Any) -> Any:
    from urllib.request import urlretrieve

    return urlretrieve(*args, **kwargs)
