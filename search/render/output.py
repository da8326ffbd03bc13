"""A command's output in the format asked for: a table for people, or JSON,
JSON lines or CSV for programs, from one description of it (as sqlite-utils
renders every command's rows through its `output_options`).

A command describes its output as an `Output`: its lines for people, its
JSON document (whose shape scripts rely on) and its records as dicts (one a
line in JSON lines, one a row in CSV). Each is made only when that format
is asked for.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

FORMATS = ("table", "json", "jsonl", "csv")
"""Every command that prints records takes these."""
REPORT_FORMATS = ("table", "json")
"""Commands that print a report, not records, take these."""


class Output(NamedTuple):
    table: Callable[[], Iterable[str]]
    document: Callable[[], Any]
    rows: Callable[[], Iterable[dict[str, Any]]] = lambda: ()


def record(table: Callable[[], Iterable[str]], document: Callable[[], dict[str, Any]]) -> Output:
    """The output of a command that prints one record: its JSON document is the record."""
    return Output(table, document, lambda: [document()])


def formatted(output: Output, form: str) -> Iterator[str]:
    """The output as lines of the format `form`, one of FORMATS."""
    if form == "table":
        yield from output.table()
    elif form == "json":
        yield json_document(output.document())
    elif form == "jsonl":
        yield from (json_line(row) for row in output.rows())
    else:
        yield from csv_lines(output.rows())


def json_line(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def json_document(data: Any) -> str:
    """JSON for a person to read: indented, letters as they are."""
    return json.dumps(data, ensure_ascii=False, indent=2)


def csv_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A header of the first record's keys, then a row per record; a list or
    an object in a cell is written as JSON (ids may hold commas and spaces)."""
    header: list[str] | None = None
    for row in rows:
        if header is None:
            header = list(row)
            yield csv_row(header)
        yield csv_row(_cell(row.get(key)) for key in header)


def _cell(value: Any) -> Any:
    return json_line(value) if isinstance(value, list | dict) else value


def csv_row(values: Iterable[Any]) -> str:
    """One CSV record; a value with a line break is quoted, so the record may span lines."""
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow(["" if v is None else v for v in values])
    return line.getvalue()[:-1]
