"""The archive for an OpenSearch or Elasticsearch cluster to take over.

`mapping.json` creates an index whose analysis matches ours (same word
pattern, lowercase, English stop words, folded forms kept beside the exact
ones, the Snowball English stemmer; the outlet as a keyword, the date as a
date), and `documents-NNNNN.ndjson` are bulk requests of the cleaned
documents, written as they are read from the index, a file per
BULK_DOCUMENTS, so that memory does not grow with the archive
(`load_commands` says how to load them).

Cyrillic-to-Latin transliteration has no filter in OpenSearch's core; with
the analysis-icu plugin, add an `icu_transform` ("Cyrillic-Latin") filter
before `asciifolding` to fold "Вучић" to "vucic" as we do.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from ..errors import ArchiveError
from ..fields import FIELDS
from ..model import StoredDocument
from ..text.analysis import TOKEN_PATTERN

BULK_DOCUMENTS = 5000
"""Documents per bulk file: a few MB, the size bulk requests do best at."""


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


def mapping() -> dict[str, Any]:
    """Index settings and mappings equivalent to our analysis and fields."""
    news = {"type": "text", "analyzer": "news"}
    keyword = {"type": "keyword"}
    return {
        "settings": {
            "analysis": {
                "tokenizer": {"news_words": {"type": "pattern", "pattern": TOKEN_PATTERN, "group": 0}},
                "filter": {
                    "news_fold": {"type": "asciifolding", "preserve_original": True},
                    "news_stop": {"type": "stop", "stopwords": "_english_"},
                    "news_stem": {"type": "snowball", "language": "English"},
                },
                "analyzer": {
                    "news": {
                        "type": "custom",
                        "tokenizer": "news_words",
                        "filter": ["lowercase", "news_stop", "news_fold", "news_stem"],
                    }
                },
            }
        },
        "mappings": {
            "properties": {
                "title": news,
                "body": news,
                "outlet": {"type": "keyword", "fields": {"text": news}},
                **{field.name: news if field.kind == "text" else keyword for field in FIELDS},
                "date": {"type": "date", "format": "strict_date_optional_time"},
                "date_source": keyword,
            }
        },
    }


def export_opensearch(documents: Iterator[StoredDocument], folder: Path, index_name: str) -> ExportReport:
    """Write mapping.json and the bulk files into `folder`, which must be new or empty."""
    if folder.exists() and any(folder.iterdir()):
        raise ArchiveError(f"{folder} is not empty; give a new folder for the export")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mapping.json").write_text(json.dumps(mapping(), indent=2) + "\n", "utf-8")
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
    }
    source = {key: value for key, value in source.items() if value is not None}
    return json.dumps(action, ensure_ascii=False) + "\n" + json.dumps(source, ensure_ascii=False) + "\n"
