"""Queries through the library: analysis, filters, sorting, facets, errors."""

from __future__ import annotations

import re
from typing import Any

import pytest

from search import Archive, QueryError, SearchRequest, SearchResults
from search.errors import UnknownDocument

from .conftest import write


def ids(results: SearchResults) -> list[str]:
    return [hit.doc_id for hit in results.hits]


@pytest.mark.parametrize(
    ("query", "total"),
    [
        ("vucic", 5),
        ("Vučić", 5),
        ("VUCIC", 5),  # accent folding and case
        ("talks", 5),
        ("talked", 5),
        ("talking", 5),  # stemming: talk, talks, talked
        ("lavrov", 2),
        ('"balkan stream"', 2),
        ('"stream balkan"', 0),
        ("putin AND gas", 3),
        ("gas OR vaccine", 3),
        ("vucic NOT putin", 0),
        ("title:visit", 1),
        ("outlet:moscow", 1),
        ("outlet:presidency", 3),
        ("sputn*", 1),
        ("date_source:sidecar", 1),
        ("date_source:dateline", 4),
    ],
)
def test_query_language(archive: Archive, query: str, total: int) -> None:
    assert archive.search(query).total == total


def test_boilerplate_is_not_searchable(archive: Archive) -> None:
    for words in ["newsletter", '"remind me later"', "andrićev", '"contact the president"', "goll"]:
        assert archive.search(words).total == 0, words


def test_a_title_match_ranks_above_a_body_match(archive: Archive) -> None:
    assert ids(archive.search("visit"))[0] == "002_87ee450b78c6a74d.txt"


def test_date_bounds_are_inclusive_periods(archive: Archive) -> None:
    assert ids(archive.search("vucic", date_from="2021", date_to="2021")) == ["001_0d2a95f237a9080f.txt"]
    assert archive.search("vucic", date_from="Sep 2020", date_to="2020-09").total == 1
    assert archive.search("vucic", date_to="10 September 2020").total == 1
    assert archive.search("vucic", date_from="2024-10-20").total == 2
    assert archive.search("vucic", date_from="2024-10-21").total == 0


def test_a_period_runs_to_its_last_instant(archive: Archive) -> None:
    """A page's time may carry fractions of a second: the last of a year is in that year."""
    write(archive.raw_dir / "eve.txt", "Vucic at midnight\n\nVucic spoke as the year ended.\n")
    write(archive.raw_dir / "eve.txt.meta.json", '{"date": "2021-12-31T23:59:59.75"}')
    archive.update()
    for period in ("2021", "Dec 2021", "2021-12", "31 December 2021"):
        assert "eve.txt" in ids(archive.search("vucic", date_from=period, date_to=period)), period
    assert "eve.txt" not in ids(archive.search("vucic", date_from="2022"))


def test_undated_documents_are_left_out_by_a_date_filter(archive: Archive) -> None:
    (archive.raw_dir / "004_c9068389083bc5e7.txt.meta.json").unlink()
    archive.update()
    assert archive.search("vucic").total == 5
    assert archive.search("vucic", date_from="2000").total == 4


def test_outlet_filter_ignores_case_and_can_be_repeated(archive: Archive) -> None:
    assert archive.search("putin", outlets=("the moscow times",)).total == 1
    both = archive.search("putin", outlets=("The Moscow Times", "Presidency of the Republic of Serbia"))
    assert both.total == 4


def test_an_unknown_outlet_lists_the_known_ones(archive: Archive) -> None:
    with pytest.raises(QueryError, match="outlets: Presidency of the Republic of Serbia; The Moscow Times"):
        archive.search("putin", outlets=("Pravda",))


def test_sort_by_date_puts_undated_last_both_ways(archive: Archive) -> None:
    (archive.raw_dir / "004_c9068389083bc5e7.txt.meta.json").unlink()
    archive.update()
    newest = ids(archive.search("vucic", sort="newest"))
    oldest = ids(archive.search("vucic", sort="oldest"))
    assert newest == [
        "003_c724ab5fffc3b5c0.txt",
        "001_0d2a95f237a9080f.txt",
        "002_87ee450b78c6a74d.txt",
        "000_bb139807f14e536b.txt",
        "004_c9068389083bc5e7.txt",
    ]
    assert oldest == [*reversed(newest[:4]), "004_c9068389083bc5e7.txt"]


def test_facets_count_the_whole_result_set_not_the_page(archive: Archive) -> None:
    results = archive.search("vucic", limit=1)
    assert results.total == 5 and len(results.hits) == 1
    assert results.outlets == {"Presidency of the Republic of Serbia": 3, "The Moscow Times": 1}
    assert results.no_outlet == 1
    assert results.years == {"2020": 2, "2024": 2, "2021": 1}


def test_snippets_mark_the_matching_words_even_in_another_form(archive: Archive) -> None:
    hit = archive.search("vucic", date_from="2021", date_to="2021").hits[0]
    assert "**Vučić**" in hit.snippet.marked()
    gas = archive.search("gas", outlets=("The Moscow Times",)).hits[0]
    assert "quantities of **gas** for Serbia" in gas.snippet.marked()


def test_an_empty_query_lists_everything_in_the_filters(archive: Archive) -> None:
    assert archive.search("", date_from="2020", date_to="2020").total == 2


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"gas supply', "unbalanced quote"),
        ("(putin OR gas", "unbalanced ()"),
        ("date:[2020 TO", "unbalanced []"),
        ("publisher:tass", "unknown field 'publisher'"),
        ("the", "nothing to search for"),
    ],
)
def test_bad_queries_say_what_is_wrong(archive: Archive, query: str, message: str) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        archive.search(query)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"date_from": "2022", "date_to": "2021"}, "after the end date"),
        ({"date_from": "someday"}, "not a date"),
        ({"sort": "random"}, "unknown sort"),
        ({"limit": 0}, "at least 1"),
    ],
)
def test_bad_request_options(options: dict[str, Any], message: str) -> None:
    with pytest.raises(QueryError, match=message):
        SearchRequest.build("x", **options)


def test_show_and_unknown_ids(archive: Archive) -> None:
    doc = archive.document("002_87ee450b78c6a74d.txt")
    assert doc.title == "Visit of the Minister of Foreign Affairs of the Russian Federation"
    assert (doc.date, doc.date_source, doc.outlet) == (
        "2020-12-15T18:55:00",
        "dateline",
        "Presidency of the Republic of Serbia",
    )
    with pytest.raises(UnknownDocument, match="no document 'nope.txt'"):
        archive.document("nope.txt")


def test_statistics(archive: Archive) -> None:
    stats = archive.statistics()
    assert stats.documents == 5
    assert stats.outlets == {"Presidency of the Republic of Serbia": 3, "The Moscow Times": 1}
    assert stats.years == {"2020": 2, "2021": 1, "2024": 2}
    assert (stats.first_date, stats.last_date) == ("2020-09-10", "2024-10-20")
    assert stats.undated == () and stats.no_outlet == ("003_c724ab5fffc3b5c0.txt",)


def test_words_of_scripts_with_combining_marks_are_found_whole(empty_home: Any) -> None:
    """Hindi's vowel signs and viramas are marks: a word of it was indexed as
    its scattered letters, so any text holding them matched."""
    write(empty_home / "raw" / "trade.txt", "भारत रूस व्यापार\n\nभारत और रूस के बीच व्यापार बढ़ा, मंत्री ने कहा।\n")
    write(empty_home / "raw" / "letters.txt", "वय पर\n\nव य प र: ये अक्षर हैं, कोई शब्द नहीं।\n")
    write(empty_home / "raw" / "arabic.txt", "رسالة\n\nكَتَبَ الرئيسُ رسالةً إلى الوزير.\n")
    archive = Archive(empty_home)
    archive.update()
    assert ids(archive.search("व्यापार")) == ["trade.txt"]
    assert ids(archive.search("كتب")) == ["arabic.txt"]  # written with its vowel marks, asked without
    assert ("व्यापार", True) in archive.search("व्यापार").hits[0].snippet.pieces  # highlighted whole
    # "Did you mean" does not take the letters between two marks for a word of their own.
    assert archive.search("बढ़ाकमलों").suggestion is None
