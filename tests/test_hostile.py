"""Hostile input ends in a result or one clear line: never a traceback."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search import Archive, QueryError
from search.cli import cli
from search.ingest.pipeline import finish, never_repeated, prepare_raw
from search.ingest.rules import load_rules
from search.ingest.sources import decode

from .conftest import Invoke, write

RULES = load_rules()

QUERIES = ["AND", "OR NOT", '"', "(", ")", ":", "~", "title:", "*", "?", "putin^", "date:[garbage to 2021]",
           "date:[2021 to", "ctl\x01\x02chars", "word " * 2000, "[[", "year:", "NOT putin", "+putin", "putin~99",
           "date:[2021 to]", "date:[to 2021]", "pu*n", "*tin", "\u202e\u200b", "ｖｕｃｉｃ"]  # fmt: skip


@pytest.mark.parametrize("query", QUERIES)
def test_odd_queries_give_a_result_or_one_line(archive: Archive, invoke: Invoke, query: str) -> None:
    result = invoke("query", "--", query)
    assert result.exit_code in (0, 1), result.output
    if result.exit_code:
        assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1


def test_a_word_starting_with_a_dash_needs_a_double_dash(invoke: Invoke) -> None:
    result = invoke("query", "-putin")
    assert result.exit_code == 2 and "put -- before words that start with a dash" in result.stderr


@given(st.text(max_size=200))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_query_text_is_answered_or_refused_cleanly(archive: Archive, text: str) -> None:
    with contextlib.suppress(QueryError):
        archive.search(text)


@given(st.binary(max_size=2000), st.booleans())
@settings(max_examples=150, deadline=None)
def test_any_bytes_decode_and_clean(data: bytes, is_html: bool) -> None:
    from search.model import RawDocument

    text, _ = decode(data, is_html)
    raw = RawDocument("x", "x", text, is_html, "utf-8", "", "")
    finish(prepare_raw(raw, RULES), RULES, never_repeated)


def test_deeply_nested_and_malformed_html(empty_home: Path) -> None:
    raw = empty_home / "raw"
    text = "<p>Deep text in a nested page about gas talks, with a sentence.</p>"
    write(raw / "deep.html", "<div>" * 200 + text + "</div>" * 200)
    # lxml stops at 256 levels: the text below is lost, the page still indexed.
    write(raw / "abyss.html", "<div>" * 20000 + text + "</div>" * 20000)
    write(raw / "broken.html", "<html><body><p>Unclosed <b>bold <i>italic, about gas.<p>next</table></td></body>")
    archive = Archive(empty_home)
    report = archive.update()
    assert report.documents == 3 and not report.skipped
    assert sorted(hit.doc_id for hit in archive.search("gas").hits) == ["broken.html", "deep.html"]


def test_odd_file_names_and_impossible_dates(empty_home: Path) -> None:
    raw = empty_home / "raw"
    write(raw / "-dash name.txt", "Title\n\nA paragraph about Belgrade.")
    write(raw / "ćirilica чланак.txt", "Наслов\n\nПутин и Вучић разговарали.")
    write(raw / "far.txt", "Title\n\ndate 9999-12-31 Something happened in Belgrade.")
    write(raw / "impossible.txt", "31.02.2021\n\nTitle\n\nSomething happened in Belgrade.")
    archive = Archive(empty_home)
    assert archive.update().documents == 4
    assert archive.search("belgrade").total == 3 and archive.search("putin").total == 1
    assert archive.statistics().undated == ("-dash name.txt", "far.txt", "impossible.txt", "ćirilica чланак.txt")
    result = CliRunner().invoke(cli, ["--home", str(empty_home), "show", "--", "-dash name.txt"])
    assert result.exit_code == 0 and "A paragraph about Belgrade." in result.stdout


def test_links_out_of_raw_are_skipped_without_failing_the_run(empty_home: Path) -> None:
    os.symlink("/etc/hostname", empty_home / "raw" / "outside.txt")
    write(empty_home / "raw" / "in.txt", "Title\n\nText.")
    result = CliRunner().invoke(cli, ["--home", str(empty_home), "index"])
    assert result.exit_code == 0 and "skipped outside.txt: a link to a file outside raw/" in result.stdout
