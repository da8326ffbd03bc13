"""The archive for an OpenSearch or Elasticsearch cluster to take over.

`mapping.json` creates an index that analyses text as we do, with nothing
but what a cluster's core has (no plugin to install):

- each text field (title, body, ...) is indexed twice: as written, and
  folded (Cyrillic transliterated, accents removed: "Вучић" and "Vučić" as
  "vucic") in its `folded` subfield. We keep both forms in one field; a
  cluster's filters cannot add a token beside the one they change, so the
  folding is a `mapping` character filter of every letter `text.names.fold`
  changes and every combining mark it drops, generated here from `fold`
  itself;
- the words are found by our pattern, Unicode-aware (`(?U)`: without it,
  Java's `\\w` is ASCII-only and drops every Cyrillic word), lowercased, our
  engine's stop words removed and Snowball's English stemmer applied. Our
  stemmer reads a typographic apostrophe as a straight one (Lucene's does
  not), so both analyzers begin by mapping it;
- the alias table (shipped and the archive's own `aliases.toml`) becomes a
  `synonym_graph` filter of the folded fields' search analyzer, so a query
  typed into the cluster finds "Vuchich" for "Вучић" as ours does.

What still differs, and why, is measured by tests/test_lucene.py against
Lucene itself and listed in docs/cluster.md.

`documents-NNNNN.ndjson` are bulk requests of the cleaned documents, written
as they are read from the index, a file per BULK_DOCUMENTS, so that memory
does not grow with the archive (`load_commands` says how to load them).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Any

from ..errors import ArchiveError
from ..fields import EXPORTED_NAMES, FIELDS, FOLDED
from ..model import StoredDocument, speakers_of
from ..text.analysis import TOKEN_PATTERN, WORD
from ..text.names import fold

BULK_DOCUMENTS = 5000
"""Documents per bulk file: a few MB, the size bulk requests do best at."""
TEXT_FIELDS = ("title", "body", *(f.name for f in FIELDS if f.kind == "text"), "quotes")


@dataclass
class ExportReport:
    """What an export wrote: how many documents, in which files."""

    documents: int = 0
    files: list[str] = field(default_factory=list)


def load_commands(index_name: str) -> list[str]:
    """Shell commands that load an export into a cluster on localhost."""
    return [
        f"curl -XPUT localhost:9200/{index_name} -H 'Content-Type: application/json' -d @mapping.json",
        "for f in documents-*.ndjson; do curl -XPOST localhost:9200/_bulk "
        "-H 'Content-Type: application/x-ndjson' --data-binary @$f; done",
    ]


def mapping(stop_words: Iterable[str], alias_groups: Iterable[list[str]]) -> dict[str, Any]:
    """Index settings and mappings equivalent to our analysis and fields:
    `stop_words` are the engine's, `alias_groups` the spellings of each
    group of the alias tables, as written (the cluster analyses them)."""
    words = ["lowercase", "news_stop", "news_stem"]
    return {
        "settings": {
            "analysis": {
                "char_filter": {
                    "news_apostrophe": {"type": "mapping", "mappings": ["’ => '"]},
                    "news_fold": {"type": "mapping", "mappings": fold_mappings()},
                },
                "tokenizer": {"news_words": {"type": "pattern", "pattern": f"(?U){TOKEN_PATTERN}", "group": 0}},
                "filter": {
                    "news_stop": {"type": "stop", "stopwords": sorted(stop_words)},
                    "news_stem": {"type": "snowball", "language": "English"},
                    "news_aliases": {"type": "synonym_graph", "synonyms": synonym_rules(alias_groups)},
                },
                "analyzer": {
                    "news": {"type": "custom", "char_filter": ["news_apostrophe"], **_words(words)},
                    "news_folded": _folded(words),
                    "news_folded_search": _folded([*words, "news_aliases"]),
                },
            }
        },
        "mappings": {
            "properties": {
                **{name: _text() for name in TEXT_FIELDS},
                **{name: _name() for name in EXPORTED_NAMES},
                **{f.name: {"type": "keyword"} for f in FIELDS if f.kind != "text"},
                "date": {"type": "date", "format": "strict_date_optional_time"},
                "date_source": {"type": "keyword"},
            }
        },
    }


def _folded(filters: list[str]) -> dict[str, Any]:
    return {"type": "custom", "char_filter": ["news_apostrophe", "news_fold"], **_words(filters)}


def _words(filters: list[str]) -> dict[str, Any]:
    return {"tokenizer": "news_words", "filter": filters}


_AS_WRITTEN = {"type": "text", "analyzer": "news"}
_FOLDED_WORDS = {"type": "text", "analyzer": "news_folded", "search_analyzer": "news_folded_search"}


def _text() -> dict[str, Any]:
    """A text field: its words as written, and folded in a subfield."""
    return {**_AS_WRITTEN, "fields": {FOLDED: _FOLDED_WORDS}}


def _name() -> dict[str, Any]:
    """A name kept whole (counted, filtered on), its words searchable as a text field's."""
    return {"type": "keyword", "fields": {"text": _AS_WRITTEN, FOLDED: _FOLDED_WORDS}}


@cache
def fold_mappings() -> list[str]:
    """`fold` as a character filter: each word character it changes
    (Cyrillic, accented Latin and Greek letters, ligatures), with what it
    makes, and each combining mark it drops (a virama, Arabic vowel marks),
    with nothing."""
    changed = (chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000)
    return [f"{char} => {folded}" for char in changed if (folded := _folded_char(char)) is not None]


def _folded_char(char: str) -> str | None:
    """What `fold` makes of a word character or a combining mark, if it
    changes it into word characters or nothing ("ь" into nothing: "Зеленський",
    "zelenskij"); None if it leaves it be, or makes a word of it apart ("½",
    "1⁄2")."""
    if not (WORD.fullmatch(char) or unicodedata.combining(char)):
        return None
    folded = fold(char)
    return folded if folded != char.lower() and (folded == "" or WORD.fullmatch(folded)) else None


def synonym_rules(alias_groups: Iterable[list[str]]) -> list[str]:
    """Each alias group as an equivalence rule, in the Solr format a cluster reads."""
    return [", ".join(_escaped(spelling) for spelling in group) for group in alias_groups if len(group) > 1]


def _escaped(spelling: str) -> str:
    return re.sub(r"([\\,=>])", r"\\\1", spelling)


def export_opensearch(
    documents: Iterator[StoredDocument], folder: Path, index_name: str, settings: dict[str, Any]
) -> ExportReport:
    """Write `settings` (the `mapping`) as mapping.json and the bulk files into
    `folder`, which must be new or empty."""
    if folder.exists() and any(folder.iterdir()):
        raise ArchiveError(f"{folder} is not empty; give a new folder for the export")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mapping.json").write_text(json.dumps(settings, indent=2, ensure_ascii=False) + "\n", "utf-8")
    report = ExportReport(files=["mapping.json"])
    while batch := list(islice(documents, BULK_DOCUMENTS)):
        name = f"documents-{len(report.files):05d}.ndjson"
        with open(folder / name, "w", encoding="utf-8") as handle:
            handle.writelines(_bulk_lines(index_name, document) for document in batch)
        report.files.append(name)
        report.documents += len(batch)
    return report


def _bulk_lines(index_name: str, document: StoredDocument) -> str:
    action = {"index": {"_index": index_name, "_id": document.doc_id}}
    source = {
        "title": document.title,
        "body": document.body,
        "outlet": document.outlet,
        **document.metadata,
        "date": document.date,
        "date_source": document.date_source,
        "quotes": [quote.text for quote in document.quotes],
        "speakers": speakers_of(document.quotes),
        "people": list(document.people),
    }
    source = {key: value for key, value in source.items() if value not in (None, [])}
    return json.dumps(action, ensure_ascii=False) + "\n" + json.dumps(source, ensure_ascii=False) + "\n"
