"""A page's URL as a request: the same words, dates and filters as the CLI.

Every state of a page lives in its URL (`q`, `from`, `to`, `outlet`, each
facet of `search.fields`, `speaker`, `sort`, `page`, `collapse`), so that it
can be shared, bookmarked and gone back to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import urlencode

from ..errors import QueryError
from ..fields import FACETS
from ..query.request import SORTS, SPEAKER, SearchRequest

PER_PAGE = 10
MAX_PAGE = 100
"""Pages past this are refused: a page is ranked with every one before it."""

Params = Mapping[str, Sequence[str]]
"""A URL's parameters, each with all the values it was given."""


def first(params: Params, name: str, default: str = "") -> str:
    values = params.get(name) or [default]
    return values[0].strip()


def search_request(params: Params, limit: int = PER_PAGE, people: bool = False) -> SearchRequest:
    """The request a page's parameters ask for (with `people`, its people
    facet counted, as the search page shows it); QueryError says what is
    wrong in them."""
    sort = first(params, "sort", "relevance") or "relevance"
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r}; use one of {', '.join(SORTS)}")
    return SearchRequest.build(
        first(params, "q"),
        first(params, "from") or None,
        first(params, "to") or None,
        {name: [v for v in params.get(name, ()) if v.strip()] for name in (*FACETS, SPEAKER)},
        outlets=tuple(v for v in params.get("outlet", ()) if v.strip()),
        sort=sort,
        limit=limit,
        collapse=first(params, "collapse") in ("1", "on", "true"),
        people=people,
    )


FILTERS = ("outlet", *FACETS, SPEAKER)
"""The parameters that filter, each a chip on the page that removes it."""


def person_query(params: Params, name: str) -> str:
    """The query with the documents naming a person added: the people facet's
    link. Only the surname is asked, in any spelling, as the facet counts
    a person's spellings as one ("Sergei Shoigu" also finds "Shoygu")."""
    words = first(params, "q")
    added = f"people:{name.split()[-1]}"
    return words if added in words.split() else f"{words} {added}".strip()


def number(params: Params, name: str, default: int, most: int) -> int:
    """A whole-number parameter (a page, a limit) from 1 to `most`."""
    text = first(params, name) or str(default)
    if not text.isdigit() or not 1 <= int(text) <= most:
        raise QueryError(f"the {name} must be a number from 1 to {most}, not {text!r}")
    return int(text)


def page_number(params: Params) -> int:
    return number(params, "page", 1, MAX_PAGE)


def link(path: str, params: Params, **changes: Sequence[str] | str | None) -> str:
    """`path` with `params`, some replaced (a value of None or () drops the parameter)."""
    merged: dict[str, list[str]] = {name: list(values) for name, values in params.items()}
    for name, value in changes.items():
        name = name.rstrip("_")  # from_ for "from"
        if value is None or value == () or value == "":
            merged.pop(name, None)
        else:
            merged[name] = [value] if isinstance(value, str) else list(value)
    query = urlencode([(name, value) for name, values in merged.items() for value in values if value])
    return f"{path}?{query}" if query else path


def toggled(params: Params, name: str, value: str) -> list[str]:
    """The values of `name` with `value` added, or removed if it was there."""
    values = list(params.get(name, ()))
    return [v for v in values if v != value] if value in values else [*values, value]
