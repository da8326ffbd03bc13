"""Every command through Click's CliRunner, its errors, and its JSON contracts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from search import Archive
from search.cli import cli
from search.engine.whoosh import startup as whoosh_startup

from .conftest import FIXTURES, Invoke, write


def one_line_error(result: Result, fragment: str) -> None:
    assert result.exit_code != 0
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("Error: ") and fragment in result.stderr, result.stderr
    assert "Traceback" not in result.output


def test_first_query_on_a_fresh_archive_builds_the_index(invoke: Invoke) -> None:
    result = invoke("query", "putin", "gas")
    assert result.exit_code == 0
    assert "No index yet: built one from raw/ (5 documents)." in result.stderr
    assert result.stdout.startswith("3 hits for 'putin gas'\n")
    assert "quantities of **gas** for Serbia" in result.stdout
    assert "By outlet: Presidency of the Republic of Serbia 1 · The Moscow Times 1 · (no outlet) 1" in result.stdout
    assert "By year:   2021 1 · 2024 2" in result.stdout
    assert "No index yet" not in invoke("query", "putin").stderr


def test_query_json_contract(invoke: Invoke) -> None:
    result = invoke("query", "vucic", "--from", "2020", "--to", "Dec 2020", "--sort", "oldest", "--json")
    data = json.loads(result.stdout)
    assert set(data) == {"query", "total", "hits", "facets", "suggestion"}
    assert data["query"] == "vucic" and data["total"] == 2
    assert [hit["id"] for hit in data["hits"]] == ["000_bb139807f14e536b.txt", "002_87ee450b78c6a74d.txt"]
    for hit in data["hits"]:
        assert set(hit) == {"rank", "id", "title", "date", "outlet", "url", "language", "score", "snippet"}
    assert data["hits"][0]["date"] == "2020-09-10" and data["hits"][0]["url"] is None  # the day: one form for all
    assert data["facets"] == {
        "outlet": {"Presidency of the Republic of Serbia": 2},
        "year": {"2020": 2},
        "language": {"en": 2},
    }


def test_query_options(invoke: Invoke) -> None:
    result = invoke("query", "putin", "--outlet", "the moscow times", "--limit", "1")
    assert result.stdout.startswith("1 hit for 'putin'")
    explained = invoke("query", "putin", "--from", "2021", "--explain")
    assert "query: ((title:putin OR title:poutin^0.5) OR (body:putin^2.0 OR body:poutin))" in explained.stdout
    assert "filter: date from 2021-01-01 00:00:00" in explained.stdout


def test_index_reports_counts_and_exit_status(invoke: Invoke, home: Path) -> None:
    first = invoke("index")
    assert first.exit_code == 0
    assert first.stdout.startswith("Rebuilt the index: 5 added, 0 updated, 0 removed, 0 unchanged, 0 skipped.")
    assert "No outlet found for 1: 003_c724ab5fffc3b5c0.txt" in first.stdout
    (home / "raw" / "blob.txt").write_bytes(b"\x00binary")
    second = invoke("index", "--json")
    assert second.exit_code == 1
    data = json.loads(second.stdout)
    assert data["unchanged"] == 5 and data["skipped"] == [
        {"id": "blob.txt", "reason": "a binary file, not text", "failed": True}
    ]


def test_rebuild(invoke: Invoke) -> None:
    invoke("index")
    result = invoke("rebuild")
    assert result.exit_code == 0 and result.stdout.startswith("Rebuilt the index: 5 added")


def test_clean_shows_text_metadata_and_removed(invoke: Invoke, home: Path) -> None:
    result = invoke("clean", str(home / "raw" / "004_c9068389083bc5e7.txt"), "--removed")
    assert result.exit_code == 0
    assert "outlet: The Moscow Times" in result.stdout
    assert "date:   2024-10-20  [from sidecar]" in result.stdout
    assert "[donation appeal] Support The Moscow Times!" in result.stdout
    assert not (home / "index" / "manifest.json").exists()


def test_clean_json_contract(invoke: Invoke) -> None:
    data = json.loads(invoke("clean", str(FIXTURES / "steppe_post.html"), "--json").stdout)
    assert {"title", "date", "date_source", "outlet", "url", "body", "removed"} <= set(data)
    assert data["date_source"] == "html-meta" and data["outlet"] == "Steppe Post"
    assert all(isinstance(item, str) for item in data["removed"])


def test_show(invoke: Invoke) -> None:
    invoke("index")
    text = invoke("show", "004_c9068389083bc5e7.txt")
    assert "title:  Serbian President Speaks to Putin for First Time in 2.5 Years – Presidency" in text.stdout
    data = json.loads(invoke("show", "002_87ee450b78c6a74d.txt", "--json").stdout)
    assert data["date_source"] == "dateline" and data["body"].startswith("President of the Republic of Serbia")


def test_stats(invoke: Invoke) -> None:
    invoke("index")
    text = invoke("stats").stdout
    assert "documents:  5" in text and "date span:  2020-09-10 to 2024-10-20" in text
    data = json.loads(invoke("stats", "--json").stdout)
    assert {k: data[k] for k in ("documents", "outlets", "years", "first_date", "last_date", "undated")} == {
        "documents": 5,
        "outlets": {"Presidency of the Republic of Serbia": 3, "The Moscow Times": 1},
        "years": {"2020": 2, "2021": 1, "2024": 2},
        "first_date": "2020-09-10",
        "last_date": "2024-10-20",
        "undated": [],
    }
    assert data["index_bytes"] > 0


def test_add_copies_writes_a_sidecar_and_indexes(invoke: Invoke, home: Path, tmp_path: Path) -> None:
    source = write(
        tmp_path / "in" / "tass note.txt", "Lavrov meets Dačić\n\nLavrov met Dačić in Moscow to discuss gas."
    )
    result = invoke("add", str(source), "--outlet", "TASS", "--date", "2023-04-05", "--url", "https://tass.com/1")
    assert result.exit_code == 0, result.output
    assert "Copied 1 file into raw/; 0 were there already." in result.stdout
    assert json.loads((home / "raw" / "tass note.txt.meta.json").read_text()) == {
        "outlet": "TASS",
        "date": "2023-04-05",
        "url": "https://tass.com/1",
    }
    hit = json.loads(invoke("query", "dacic", "--json").stdout)["hits"][0]
    assert (hit["id"], hit["outlet"], hit["date"]) == ("tass note.txt", "TASS", "2023-04-05")
    assert source.read_text().startswith("Lavrov")  # the original is untouched


def test_add_a_folder_keeps_its_structure(invoke: Invoke, home: Path, tmp_path: Path) -> None:
    write(tmp_path / "batch" / "a.txt", "A story\n\nText of the first story about sanctions.")
    write(tmp_path / "batch" / "sub" / "b.html", "<p>Second story about sanctions and gas.</p>")
    write(tmp_path / "batch" / "notes.docx", "x")
    result = invoke("add", str(tmp_path / "batch"))
    assert result.exit_code == 1  # notes.docx was refused
    assert (home / "raw" / "batch" / "sub" / "b.html").is_file()
    assert "not added" in result.stdout and "notes.docx" in result.stdout
    assert json.loads(invoke("query", "sanctions", "--json").stdout)["total"] == 5  # 3 samples + 2 added


def test_add_never_overwrites_a_different_file(invoke: Invoke, home: Path, tmp_path: Path) -> None:
    original = (home / "raw" / "003_c724ab5fffc3b5c0.txt").read_bytes()
    clash = write(tmp_path / "003_c724ab5fffc3b5c0.txt", "Different text.")
    result = invoke("add", str(clash))
    assert result.exit_code == 1 and "exists with other content" in result.stdout
    assert (home / "raw" / "003_c724ab5fffc3b5c0.txt").read_bytes() == original
    same = invoke("add", str(home / "raw" / "003_c724ab5fffc3b5c0.txt"), "--outlet", "European Pravda")
    assert same.exit_code == 0 and "Copied 0 files into raw/; 1 was there already." in same.stdout
    assert json.loads(invoke("show", "003_c724ab5fffc3b5c0.txt", "--json").stdout)["outlet"] == "European Pravda"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["query", '"gas supply'], "unbalanced quote"),
        (["query", "publisher:tass"], "unknown field 'publisher'"),
        (["query", "putin", "--from", "someday"], "'someday' is not a date"),
        (["query", "putin", "--from", "2022", "--to", "2021"], "is after the end date"),
        (["query", "putin", "--limit", "0"], "'--limit'"),
        (["query", "putin", "--outlet", "Pravda"], "no outlet named 'Pravda'"),
        (["show", "nope.txt"], "no document 'nope.txt'"),
        (["add", "/does/not/exist.txt"], "does not exist"),
        (["add", "x.txt", "--date", "soon"], "is not a date"),
        (["clean", "/does/not/exist.txt"], "is not a file"),
    ],
)
def test_user_errors_are_one_line(invoke: Invoke, args: list[str], fragment: str) -> None:
    invoke("index")
    one_line_error(invoke(*args), fragment)


def test_missing_home_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--home", str(tmp_path / "nope"), "stats"])
    one_line_error(result, "does not exist")


def test_home_from_the_environment(home: Path) -> None:
    result = CliRunner().invoke(cli, ["query", "lavrov"], env={"NEWS_SEARCH_HOME": str(home)})
    assert result.exit_code == 0 and result.stdout.startswith("2 hits")


def test_archive_without_raw_folder(tmp_path: Path) -> None:
    one_line_error(CliRunner().invoke(cli, ["--home", str(tmp_path), "index"]), "no raw/ folder")


def test_locked_index_is_one_line(invoke: Invoke, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import search.index.store

    invoke("index")
    monkeypatch.setattr(search.index.store, "LOCK_TIMEOUT", 0.2)
    from search import Archive

    with Archive(home).store.write_lock():
        one_line_error(invoke("index"), "another process is writing the index")


def test_incompatible_index_is_one_line_and_index_builds_it_again(invoke: Invoke, home: Path) -> None:
    invoke("index")
    manifest = home / "index" / "manifest.json"
    manifest.write_text(json.dumps(json.loads(manifest.read_text()) | {"schema_version": 99}))
    one_line_error(invoke("query", "putin"), "run `search index`")
    result = invoke("index")
    assert result.exit_code == 0 and "built again from raw/: the index in" in result.stderr
    assert "incompatible version (schema 99" in result.stderr
    assert invoke("query", "putin").exit_code == 0


def test_every_command_has_help_with_text() -> None:
    for name, command in cli.commands.items():
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0 and len(command.help or "") > 20, name


def test_python_dash_m_and_the_console_script(home: Path) -> None:
    for command in ([sys.executable, "-m", "search"], [str(Path(sys.executable).with_name("search"))]):
        result = subprocess.run(
            [*command, "--home", str(home), "query", "lavrov", "--json"], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["total"] == 2


QUERY_IN_A_NEW_PROCESS = """
import sys, urllib.parse
from search.cli import cli
cli(["--home", sys.argv[1], "query", "lavrov"], standalone_mode=False)
unneeded = ("urllib.request", "whoosh.lang.morph_en", "whoosh.lang.porter", "whoosh.lang.dmetaphone", "bs4",
            "hashlib", "whoosh.lang.snowball", "whoosh.lang.snowball.french",
            "search.ingest.pipeline", "search.index.build", "search.explore.watches", "search.explore.timeline",
            "search.text.shingles")
print(",".join(m for m in unneeded if m in sys.modules))
import hashlib, whoosh.filedb.filetables, whoosh.lang, search.engine.whoosh.schema
print(whoosh.filedb.filetables.md5(b"lavrov").hexdigest() == hashlib.md5(b"lavrov").hexdigest())
print(search.engine.whoosh.schema._stem("negotiations"), whoosh.lang.stemmer_for_language("fr")("continuation"))
import urllib.request, whoosh.compat, whoosh.query.terms, whoosh.analysis
print(urllib.request.urlopen.__module__, whoosh.compat.urlretrieve is not None)
print("render" in whoosh.query.terms.variations("rendering"))
stem, sound = whoosh.analysis.StemmingAnalyzer(), whoosh.analysis.DoubleMetaphoneFilter()
print([t.text for t in stem("rendering")], [t.text for t in sound(whoosh.analysis.RegexTokenizer()("Smith"))])
"""


def test_hashlib_stands_in_only_where_python_has_the_smaller_md5(monkeypatch: pytest.MonkeyPatch) -> None:
    assert whoosh_startup._with_smaller() == ["hashlib"]
    monkeypatch.setitem(whoosh_startup.SAME_IN, "hashlib", ("md5", "_no_md5_here"))
    assert whoosh_startup._with_smaller() == []


def test_a_query_imports_only_what_it_needs(archive: Archive) -> None:
    """What a new process imports is most of a query's time (docs/performance.md)."""
    result = subprocess.run(
        [sys.executable, "-c", QUERY_IN_A_NEW_PROCESS, str(archive.home)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    *_, imported, same_md5, stemmers, later, variations, stems = result.stdout.splitlines()
    assert imported == "" and same_md5 == "True" and later == "urllib.request True" and variations == "True"
    assert stemmers == "negoti continu"  # ours, and Whoosh's other languages still there
    assert stems == "['render'] ['SM0', 'XMT']"  # Whoosh's own stemming and metaphone filters still work


def test_the_command_moves_what_its_imports_made_out_of_the_collectors_way() -> None:
    run = "import gc, sys; from search import cli; sys.argv = ['search', '--version']\n"
    run += "try:\n    cli.main()\nexcept SystemExit:\n    print(gc.get_freeze_count() > 10_000)"
    result = subprocess.run([sys.executable, "-c", run], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "True"


ADD_IN_A_NEW_PROCESS = """
import sys
from search.cli import cli
cli(["--home", sys.argv[1], "add", sys.argv[2]], standalone_mode=False)
print(",".join(m for m in ("lxml", "search.ingest.extract") if m in sys.modules))
"""


def test_adding_a_text_dump_leaves_the_html_reader_unimported(archive: Archive, tmp_path: Path) -> None:
    dump = tmp_path / "gas_note.txt"
    dump.write_text("Gas deal signed\n\nSerbia and Russia signed a new gas deal on Tuesday.\n", "utf-8")
    command = [sys.executable, "-c", ADD_IN_A_NEW_PROCESS, str(archive.home), str(dump)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == ""
    assert archive.search("gas deal signed").hits[0].doc_id == "gas_note.txt"


def test_add_onto_a_broken_sidecar_is_one_line_and_keeps_it(invoke: Invoke, home: Path) -> None:
    side = home / "raw" / "003_c724ab5fffc3b5c0.txt.meta.json"
    side.write_text("{broken")
    one_line_error(invoke("add", str(home / "raw" / "003_c724ab5fffc3b5c0.txt"), "--outlet", "X"), "not valid JSON")
    assert side.read_text() == "{broken"


def test_add_brings_the_sidecars_of_the_documents_it_copies(invoke: Invoke, home: Path) -> None:
    folder = FIXTURES / "syndicated"
    assert invoke("add", str(folder)).exit_code == 0
    assert (home / "raw" / "syndicated" / "wire_2024-11-04.txt.meta.json").is_file()
    shown = invoke("show", "syndicated/wire_2024-11-04.txt").stdout
    assert "date:   2024-11-04  [from sidecar]" in shown and "outlet: Balkan Wire" in shown
    single = invoke("add", str(folder / "steppe_post_gas.txt"), str(folder / "steppe_post_gas.txt.meta.json"))
    assert single.exit_code == 0, single.output
    assert "outlet: The Steppe Post" in invoke("show", "steppe_post_gas.txt").stdout
    alone = invoke("add", str(folder / "danube_daily_gas.html.meta.json"))
    assert alone.exit_code == 1 and "not added" in alone.stdout
