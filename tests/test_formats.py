"""Every command that prints records takes the same --format table|json|jsonl|csv
(and --json, its synonym), through one shared option."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from search import Archive

from .conftest import Invoke

DOCUMENT = "004_c9068389083bc5e7.txt"

COMMANDS = [
    ("query", "gas"),
    ("similar", DOCUMENT),
    ("story", DOCUMENT),
    ("terms", "gas"),
    ("timeline", "gas"),
    ("stats",),
    ("show", DOCUMENT),
    ("clean", f"raw/{DOCUMENT}"),
    ("watch", "list"),
    ("watch", "run", "--dry-run"),
]


@pytest.fixture
def watched(archive: Archive, invoke: Invoke) -> Invoke:
    archive.update()
    invoke("watch", "add", "gas", "gas")
    (archive.raw_dir / "late.txt").write_text("Gas again\n\nSerbia will buy more gas from Russia this winter.\n")
    archive.update()
    return invoke


def _run(invoke: Invoke, home: Path, *args: str) -> str:
    command = [str(home / arg) if arg.startswith("raw/") else arg for arg in args]
    result = invoke(*command)
    assert result.exit_code == 0, result.output
    return str(result.stdout)


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c[:2]) for c in COMMANDS])
def test_every_format_of_every_command(command: tuple[str, ...], watched: Invoke, home: Path) -> None:
    table = _run(watched, home, *command)
    document = _run(watched, home, *command, "--format", "json")
    lines = _run(watched, home, *command, "--format", "jsonl").splitlines()
    rows = list(csv.DictReader(io.StringIO(_run(watched, home, *command, "--format", "csv"))))
    assert table.strip() and not table.lstrip().startswith(("{", "["))
    assert _run(watched, home, *command, "--json") == document
    json.loads(document)
    records = [json.loads(line) for line in lines]
    assert records and all(isinstance(record, dict) for record in records)
    assert len(rows) == len(records)
    if command[0] != "query":  # a query's CSV has columns of its own, made for spreadsheets
        assert list(rows[0]) == list(records[0])


def test_a_list_in_a_cell_is_json(watched: Invoke, home: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(_run(watched, home, "clean", f"raw/{DOCUMENT}", "--format", "csv"))))
    assert json.loads(rows[0]["removed"]) and rows[0]["title"]


def test_reports_take_table_and_json_only(invoke: Invoke) -> None:
    assert json.loads(invoke("index", "--format", "json").stdout)["documents"] == 5
    refused = invoke("index", "--format", "csv")
    assert refused.exit_code == 2 and "'csv' is not one of 'table', 'json'" in refused.stderr
