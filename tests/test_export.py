"""`search export --format opensearch`: a mapping and bulk files a cluster can load."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import search.interop.opensearch
from search import Archive
from search.query.request import SearchRequest

from .conftest import Invoke


def test_export_writes_a_mapping_and_bulk_files_of_every_document(
    archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search.interop.opensearch, "BULK_DOCUMENTS", 2)
    report = archive.export_opensearch(tmp_path / "out", "serbia")
    assert report.documents == 5 and len(report.files) == 4
    mapping = json.loads((tmp_path / "out" / "mapping.json").read_text())
    assert mapping["mappings"]["properties"]["outlet"]["type"] == "keyword"
    assert mapping["settings"]["analysis"]["analyzer"]["news"]["filter"][-1] == "news_stem"
    bulk = sorted((tmp_path / "out").glob("documents-*.ndjson"))
    lines = [json.loads(line) for f in bulk for line in f.read_text("utf-8").splitlines()]
    actions, sources = lines[0::2], lines[1::2]
    assert sorted(a["index"]["_id"] for a in actions) == sorted(p.name for p in archive.raw_dir.glob("*.txt"))
    assert {a["index"]["_index"] for a in actions} == {"serbia"}
    dated = [s for s in sources if s.get("date") == "2024-10-20"]
    assert len(dated) == 2 and all(s["body"] for s in sources)
    assert "The Moscow Times" in {s.get("outlet") for s in sources}


def test_export_refuses_a_folder_with_files_and_leaves_them(invoke: Invoke, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    assert invoke("index").exit_code == 0
    result = invoke("export", "--format", "opensearch", str(mine))
    assert result.exit_code != 0 and "is not empty" in result.stderr and "Traceback" not in result.output
    assert [p.name for p in mine.iterdir()] == ["notes.txt"] and (mine / "notes.txt").read_text() == "keep me"
    done = invoke("export", str(tmp_path / "new"))
    assert done.exit_code == 0 and "Wrote 5 documents" in done.stdout and "_bulk" in done.stdout


def test_export_carries_each_documents_quotes_speakers_and_people(archive: Archive, tmp_path: Path) -> None:
    archive.export_opensearch(tmp_path / "out")
    lines = (tmp_path / "out" / "documents-00001.ndjson").read_text("utf-8").splitlines()
    sources = {json.loads(a)["index"]["_id"]: json.loads(s) for a, s in zip(lines[0::2], lines[1::2], strict=True)}
    visit = sources["002_87ee450b78c6a74d.txt"]
    found = archive.quotes(SearchRequest(limit=100))
    assert set(visit["quotes"]) == {q.text for q in found.quotes if q.doc_id == "002_87ee450b78c6a74d.txt"}
    assert len(visit["quotes"]) > 1
    assert "Aleksandar Vučić" in visit["speakers"] and "Sergey Lavrov" in visit["people"]


def test_explain_writes_the_query_for_a_cluster_and_refuses_the_format_without_it(invoke: Invoke) -> None:
    options = ("--from", "2020", "--outlet", "the moscow times", "--explain", "--format", "opensearch")
    done = invoke("query", *options, "--", "Vučić", "-gas")
    assert done.exit_code == 0, done.output
    body = json.loads(done.stdout)
    terms = json.dumps(body["query"], ensure_ascii=False)
    assert '"body": {"value": "vučić", "boost": 2.0}' in terms and '"body.folded": {"value": "vuchich"}' in terms
    assert body["query"]["bool"]["filter"][1] == {"terms": {"outlet": ["The Moscow Times"]}}
    assert set(body["aggs"]) >= {"outlet", "year", "language"}
    refused = invoke("query", "Vučić", "--format", "opensearch")
    assert refused.exit_code == 2 and "add --explain" in refused.stderr and "Traceback" not in refused.output
    unknown = invoke("query", "Vučić", "--outlet", "Nowhere Daily", "--explain", "--format", "opensearch")
    assert unknown.exit_code != 0 and "no outlet named 'Nowhere Daily'" in unknown.stderr
