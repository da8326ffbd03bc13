"""Every command survives every state the archive can be in: one line or an answer, never a traceback or a hang."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pytest import CaptureFixture, MonkeyPatch
from whoosh.filedb.structfile import StructFile
from whoosh.reading import SegmentReader

from search import Archive
from search.cli import _colour_wanted, cli
from search.engine.whoosh.searching import MAX_EXPANSIONS, SUGGEST_WORDS
from search.errors import QueryTimeout
from search.fields import PEOPLE
from search.ingest.clean import TITLE_MAX_CHARS
from search.model import NO_SNIPPET, Also, Hit
from search.query.request import MAX_WORD_LENGTH, MAX_WORDS
from search.render.output import csv_row
from search.render.results import export_lines

from .conftest import SAMPLES, write
from .test_cli import one_line_error

STORY = "Oil story {n}\n\nOil talks went on in Vienna for the {n}th day, the ministers said.\n"


def run(home: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home), *args])


def ok(home: Path, *args: str) -> Result:
    result = run(home, *args)
    assert result.exit_code == 0 and result.exception is None, (args, result.output, result.exception)
    return result


def test_stats_after_an_update_of_documents_without_a_date_or_an_outlet(home: Path, tmp_path: Path) -> None:
    """The new segment has no value in the outlet and date columns: read through it, not past it."""
    ok(home, "index")
    write(home / "raw" / "plain.txt", STORY.format(n=1))
    ok(home, "index")
    stats = json.loads(ok(home, "stats", "--json").stdout)
    assert stats["documents"] == 6 and "plain.txt" in stats["no_outlet"] and "plain.txt" in stats["undated"]
    assert sum(stats["outlets"].values()) + len(stats["no_outlet"]) == 6
    ok(home, "add", str(write(tmp_path / "wire.txt", STORY.format(n=2))), "--outlet", "Danube Wire")
    stats = json.loads(ok(home, "stats", "--json").stdout)
    assert stats["outlets"]["Danube Wire"] == 1 and stats["documents"] == 7


def test_an_empty_index_takes_documents_and_answers(empty_home: Path, tmp_path: Path) -> None:
    for command in (["query", "oil"], ["index"], ["stats"], ["timeline", "oil"], ["terms"]):
        ok(empty_home, *command)
    ok(empty_home, "add", str(write(tmp_path / "f.txt", STORY.format(n=1))))
    assert json.loads(ok(empty_home, "query", "oil", "--json").stdout)["total"] == 1


def test_an_archive_emptied_of_its_files_is_an_empty_index(home: Path) -> None:
    ok(home, "index")
    shutil.rmtree(home / "raw")
    (home / "raw").mkdir()
    ok(home, "index")
    assert json.loads(ok(home, "query", "putin", "--json").stdout)["total"] == 0
    shutil.copytree(SAMPLES, home / "raw", dirs_exist_ok=True)
    ok(home, "index")
    assert json.loads(ok(home, "stats", "--json").stdout)["documents"] == 5


def test_a_query_too_large_to_answer_quickly_is_one_line(archive: Archive) -> None:
    one_line_error(run(archive.home, "query", "q" * 10_000), f"at most {MAX_WORD_LENGTH}")
    one_line_error(run(archive.home, "query", " ".join(["oil"] * (MAX_WORDS + 1))), f"at most {MAX_WORDS:,}")
    result = run(archive.home, "query", '"' + "oil " * 1000)
    one_line_error(result, "unbalanced quote")
    assert len(result.stderr) < 300


def test_did_you_mean_corrects_a_few_short_words(archive: Archive) -> None:
    typed = ["sanctoins", "presdent", "russain", "serbai", "moscwo", "gazz", "vucicc"]
    suggestion = archive.search(" OR ".join(typed)).suggestion or ""
    changed = [word for word in suggestion.split(" OR ") if word not in typed]
    assert changed and len(changed) == SUGGEST_WORDS, suggestion
    assert archive.search("x" * MAX_WORD_LENGTH).suggestion is None


def cut_short(home: Path) -> None:
    segment = max((home / "index").glob("gen-*/*.seg"), key=lambda path: path.stat().st_size)
    with open(segment, "r+b") as handle:
        handle.truncate(segment.stat().st_size // 2)


def test_a_damaged_index_is_one_line_and_index_builds_it_again(home: Path) -> None:
    ok(home, "index")
    cut_short(home)
    for command in (["query", "putin"], ["stats"], ["show", "000_bb139807f14e536b.txt"], ["timeline", "putin"]):
        one_line_error(run(home, *command), "is damaged")
        assert "run `search index`" in run(home, *command).stderr
    result = ok(home, "index", "--json")
    assert json.loads(result.stdout)["unreadable"] and "built again" in result.stderr
    assert json.loads(ok(home, "query", "putin", "--json").stdout)["total"] == 5


def test_a_failure_inside_whoosh_while_reading_is_one_line(archive: Archive, monkeypatch: MonkeyPatch) -> None:
    """Damage that only a read finds (the segment's directory was whole) is reported like any damage."""

    def unpickle_garbage(*_: object, **__: object) -> object:
        return StructFile(io.BytesIO(b"garbage")).read_pickle()  # fails inside Whoosh, as a damaged file does

    monkeypatch.setattr(SegmentReader, "stored_fields", unpickle_garbage)
    one_line_error(run(archive.home, "show", "000_bb139807f14e536b.txt"), "could not be read (UnpicklingError")
    monkeypatch.undo()
    monkeypatch.setattr(json, "dumps", lambda *_, **__: 1 / 0)  # a failure of our own is not called damage
    assert isinstance(run(archive.home, "stats", "--json").exception, ZeroDivisionError)


def test_a_document_that_can_no_longer_be_read_leaves_the_index_as_a_rebuild_would(home: Path) -> None:
    ok(home, "index")
    sidecar = home / "raw" / "000_bb139807f14e536b.txt.meta.json"
    sidecar.write_text("{bad json")
    write(home / "raw" / "001_0d2a95f237a9080f.txt", "\0\1\2 binary now")
    report = json.loads(run(home, "index", "--json").stdout)
    assert report["removed"] == ["000_bb139807f14e536b.txt", "001_0d2a95f237a9080f.txt"] and report["documents"] == 3
    assert [s["id"] for s in report["skipped"]] == report["removed"]
    assert json.loads(run(home, "rebuild", "--json").stdout)["documents"] == 3
    sidecar.unlink()
    assert json.loads(run(home, "index", "--json").stdout)["added"] == ["000_bb139807f14e536b.txt"]


def total(home: Path, query: str) -> int:
    return int(json.loads(ok(home, "query", "--json", "--", query).stdout)["total"])


def test_a_dash_before_a_word_or_a_phrase_leaves_it_out(archive: Archive) -> None:
    home = archive.home
    assert total(home, "putin -gas") == total(home, "putin NOT gas") < total(home, "putin")
    assert total(home, 'putin -"gas supplies"') == total(home, 'putin NOT "gas supplies"') > 0
    assert total(home, "(-gas putin)") == total(home, "putin -gas")


def test_a_dash_inside_a_word_or_a_phrase_is_not_a_not(empty_home: Path) -> None:
    write(empty_home / "raw" / "a.txt", "Pro-Kremlin rally\n\nA pro-Kremlin rally was held in Belgrade.\n")
    assert total(empty_home, "pro-Kremlin") == 1 and total(empty_home, '"pro -Kremlin"') == 1


def test_dates_the_query_cannot_read_or_that_run_backwards_are_one_line(archive: Archive) -> None:
    for query, said in [("date:[2021 TO 2020]", "runs backwards"), ("putin date:garbage", "could not be read")]:
        one_line_error(run(archive.home, "query", query), said)
    in_text = json.loads(ok(archive.home, "query", "putin date:[2020 TO 2021]", "--json").stdout)
    as_options = json.loads(ok(archive.home, "query", "putin", "--from", "2020", "--to", "2021", "--json").stdout)
    assert in_text["total"] == as_options["total"] > 0 and in_text["hits"] == as_options["hits"]
    assert total(archive.home, "date:2024") == total(archive.home, "year:2024") > 0


def test_symbols_and_single_figures_are_words(empty_home: Path) -> None:
    stories = {
        "att.txt": "AT&T deal\n\nAT&T agreed to buy the network for $5 billion, it said.\n",
        "code.txt": "Code\n\nThe exchange runs on C++ and Plan B is ready.\n",
        "oil.txt": "Oil output\n\nOutput rose by 5 mln barrels, not 6 mln as forecast.\n",
        "gas.txt": "Gas output\n\nOutput rose by 6 mln cubic metres.\n",
    }
    for name, text in stories.items():
        write(empty_home / "raw" / name, text)
    assert total(empty_home, "AT&T") == 1 and total(empty_home, "C++") == 1
    assert total(empty_home, "$5") == 2  # "5" in "$5 billion" and in "5 mln"
    assert total(empty_home, '"5 mln"') == 1 and total(empty_home, '"plan b"') == 1


def test_command_line_mistakes_are_one_line_with_exit_status_2(archive: Archive) -> None:
    for args in (["query", "--bogus"], ["query", "--limit", "0", "oil"], ["nonsense"]):
        result = run(archive.home, *args)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1 and result.stderr.startswith("Error: "), args
    assert run(archive.home, "query", "date:garbage").exit_code == 1  # a query it cannot answer is not a usage error
    assert "query [OPTIONS] [WORDS]" in ok(archive.home, "query", "-h").stdout


def test_colour_is_asked_for_or_follows_the_terminal_and_no_color(
    archive: Archive, monkeypatch: MonkeyPatch, capsys: CaptureFixture[str]
) -> None:
    coloured = CliRunner().invoke(cli, ["--home", str(archive.home), "--color", "query", "putin"], color=True)
    plain = CliRunner().invoke(cli, ["--home", str(archive.home), "query", "putin"], color=True)
    assert "\x1b[" in coloured.stdout and "\x1b[" not in plain.stdout and "**" in plain.stdout
    with capsys.disabled():
        monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
        monkeypatch.delenv("NO_COLOR", raising=False)
        monkeypatch.setenv("TERM", "xterm")
        assert _colour_wanted()
        monkeypatch.setenv("TERM", "dumb")
        assert not _colour_wanted()
        monkeypatch.setenv("TERM", "xterm")
        monkeypatch.setenv("NO_COLOR", "1")
        assert not _colour_wanted()


def test_watch_alone_lists_and_a_file_as_home_says_so(archive: Archive, tmp_path: Path) -> None:
    assert "No saved searches" in ok(archive.home, "watch").stdout
    one_line_error(run(write(tmp_path / "notes.txt", "x"), "query", "oil"), "is a file, not a folder")


def test_exports_keep_one_record_a_hit_one_date_form_and_facets_that_add_up(empty_home: Path) -> None:
    raw = empty_home / "raw"
    write(raw / "line\nbreak.txt", STORY.format(n=1))
    write(raw / "with time.txt", STORY.format(n=2))
    write(raw / "with time.txt.meta.json", json.dumps({"date": "2024-03-01T10:15:00", "outlet": "Danube Wire"}))
    write(raw / "day only.txt", STORY.format(n=3))
    write(raw / "day only.txt.meta.json", json.dumps({"date": "2024-03-02"}))
    rows = list(csv.DictReader(io.StringIO(ok(empty_home, "query", "oil", "--format", "csv").stdout)))
    assert sorted(row["id"] for row in rows) == ["day only.txt", "line\nbreak.txt", "with time.txt"]
    assert sorted(row["date"] for row in rows) == ["", "2024-03-01", "2024-03-02"]
    data = json.loads(ok(empty_home, "query", "oil", "--json").stdout)
    assert {hit["date"] for hit in data["hits"]} == {None, "2024-03-01", "2024-03-02"}
    for name, facet in data["facets"].items():
        if name != PEOPLE:  # a document counts under each person it names
            assert sum(facet.values()) == data["total"] == 3, data["facets"]
    assert data["facets"]["outlet"]["(no outlet)"] == 2 and data["facets"]["year"]["(undated)"] == 1


def test_also_in_is_a_list_that_ids_with_spaces_survive(archive: Archive) -> None:
    assert next(csv.reader(io.StringIO(csv_row(["a", 'x "y"\nz', ""])))) == ["a", 'x "y"\nz', ""]
    also = (Also("a b.txt", "2024-03-02T09:00:00", None), Also("c,d.txt", None, "Danube Wire"))
    hit = Hit(1, "x y.txt", None, "2024-03-01T10:15:00", None, 1.0, NO_SNIPPET, also)
    rows = list(csv.DictReader(export_lines(archive.search("putin"), [hit], "csv")))
    assert json.loads(rows[0]["also_in"]) == ["a b.txt", "c,d.txt"] and rows[0]["date"] == "2024-03-01"


def test_a_huge_first_line_is_not_a_title(empty_home: Path) -> None:
    write(empty_home / "raw" / "x.txt", "x" * 20_000 + "\n")
    write(empty_home / "raw" / "long.txt.meta.json", json.dumps({"title": "word " * 1000}))
    write(empty_home / "raw" / "long.txt", STORY.format(n=1))
    titles = {hit["id"]: hit["title"] for hit in json.loads(ok(empty_home, "query", "--json").stdout)["hits"]}
    assert titles["x.txt"] is None and TITLE_MAX_CHARS - 10 < len(titles["long.txt"]) <= TITLE_MAX_CHARS


def test_a_query_past_its_time_budget_stops_and_says_what_was_costly(archive: Archive) -> None:
    with pytest.raises(QueryTimeout, match=r"more than 1e-09 s \(scoring\)"):
        archive.search("putin gas", timeout=1e-9)
    one_line_error(run(archive.home, "query", "putin", "--timeout", "0.000000001"), "allow more with --timeout")
    assert run(archive.home, "query", "putin", "--timeout", "0").exit_code == 2
    assert archive.search("putin", timeout=None).total == archive.search("putin").total == 5


def test_a_wildcard_that_stands_for_too_many_words_is_one_line(empty_home: Path) -> None:
    words = " ".join(f"w{n:04d}" for n in range(MAX_EXPANSIONS + 1))
    write(empty_home / "raw" / "many.txt", f"Many words\n\nThe list: {words}.\n")
    ok(empty_home, "index")
    one_line_error(run(empty_home, "query", "w*"), f"stand for more than {MAX_EXPANSIONS:,} words (up to 'w*')")
    assert total(empty_home, "w00*") == total(empty_home, "w01*") == 1  # 100 words each (in the body)
    one_line_error(run(empty_home, "query", "w00* OR w01* OR w02*"), "(up to 'w02*')")  # together, too many
