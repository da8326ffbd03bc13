"""The metadata fields of a document beyond its title, date and outlet,
declared once: what each field is, where a page declares it, how it is
indexed, whether it is a facet. Every stage reads this table: the sidecar
and `search add` accept each field, the extraction reads it from the page,
the index stores it, queries search it (`language:sr`), facets count it and
`--language sr` filters on it, every output format and the OpenSearch
export carry it. Adding a field is adding a line here (and, for one worked
out from the text, its function).

Title, date and outlet are not in this table: each has rules of its own
(the title cut to length, dates parsed with their source, outlets found by
fingerprint and counted by year too), in `ingest.metadata`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, NamedTuple

Kind = Literal["text", "keyword", "url"]


class Field(NamedTuple):
    name: str
    help: str
    kind: Kind
    """text: its words are searched (`author:ivanov`); keyword: one value,
    matched whole (`language:en`); url: kept and matched as written."""
    declared: tuple[str, ...] = ()
    """Where a web page declares it, first found first: `meta:NAME` (a meta
    tag's name or property), `ld:KEY` (the page's JSON-LD article),
    `link:REL` (a link element's href), `html:ATTRIBUTE` (of the root element)."""
    facet: bool = False
    """Counted over every match (as outlets and years are), and a
    `--NAME` filter on every command that searches."""
    in_hits: bool = False
    """Shown with each hit of a query, not only with the whole document."""
    derive: str | None = None
    """`module:function` making the value from the one declared (or None)
    and the article's text (None for a value the user gave, to be only
    normalised): to normalise it, or to work it out."""


FIELDS: tuple[Field, ...] = (
    Field("url", "URL of the document.", "url", declared=("link:canonical", "meta:og:url"), in_hits=True),
    Field("author", "Author of the document.", "text", declared=("ld:author", "meta:author", "meta:article:author")),
    Field(
        "language",
        "Language of the document, an ISO 639-1 code such as en, sr or ru.",
        "keyword",
        declared=("ld:inLanguage", "html:lang", "meta:og:locale", "meta:content-language", "meta:dc.language"),
        facet=True,
        in_hits=True,
        derive="search.ingest.language:language",
    ),
)

PEOPLE = "people"
"""The facet of the persons a document quotes or names, found with its
quotes (`ingest.quotes`), not a field of this table. A document counts under
each of its people, so the facet's counts do not add up to the total."""

EXPORTED_NAMES = ("outlet", "speakers", "people")
"""Names in an OpenSearch export (`interop.opensearch`): kept whole as
keywords, for facets and filters, their words searchable in subfields."""
FOLDED = "folded"
"""In an OpenSearch export, the subfield of each text field (and name) holding its words folded."""

NAMES = tuple(field.name for field in FIELDS)
FACETS = tuple(field.name for field in FIELDS if field.facet)
IN_HITS = tuple(field.name for field in FIELDS if field.in_hits)

Metadata = Mapping[str, str]
"""A document's values of these fields, by name; a field without a value is absent."""
NO_METADATA: Metadata = {}
"""Shared by every record without metadata: typed read-only, never written to
(a read-only proxy would be safer, but documents are pickled between processes)."""


def ordered(values: Mapping[str, str | None]) -> dict[str, str]:
    """The values given, in the table's order, empty ones left out."""
    return {name: value for name in NAMES if (value := values.get(name))}
