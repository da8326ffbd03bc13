"""Exploring a result set, on the samples plus documents written for the tests:
exports of every hit, timelines, significant terms, saved searches."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from search import Archive, QueryError, SearchRequest
from search.engine.whoosh import searching as searcher_module
from search.explore.timeline import choose_unit, following, label, start_of

from .conftest import FIXTURES, Invoke, write

SYNDICATED = FIXTURES / "syndicated"


@pytest.fixture
def explored(home: Path) -> Archive:
    for path in SYNDICATED.iterdir():
        shutil.copy(path, home / "raw" / path.name)
    write(home / "raw" / "sub dir" / "undated gas note.txt", "Gas prices\n\nGas prices rose again in Serbia.\n")
    archive = Archive(home)
    archive.update()
    return archive


# Exports


def test_every_format_carries_every_hit(explored: Archive, invoke: Invoke) -> None:
    total = explored.search("serbia").total
    assert total == 10
    data = json.loads(invoke("query", "serbia", "--format", "json").stdout)
    assert data["total"] == total and len(data["hits"]) == total
    assert [hit["rank"] for hit in data["hits"]] == list(range(1, total + 1))
    assert data["facets"]["outlet"]["Danube Daily"] == 2
    assert json.loads(invoke("query", "serbia", "--json").stdout) == data

    lines = invoke("query", "serbia", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [hit["id"] for hit in data["hits"]]

    rows = list(csv.DictReader(io.StringIO(invoke("query", "serbia", "--format", "csv").stdout)))
    assert [row["id"] for row in rows] == [hit["id"] for hit in data["hits"]]
    assert rows[0].keys() == {"rank", "id", "score", "date", "outlet", "title", "url", "language", "snippet", "also_in"}
    assert all("**serbia**" in row["snippet"].lower() for row in rows)

    trec = invoke("query", "serbia", "--format", "trec").stdout.splitlines()
    assert len(trec) == total
    fields = [line.split() for line in trec]
    assert all(len(f) == 6 and f[0] == "1" and f[1] == "Q0" and f[5] == "news-search" for f in fields)
    assert [int(f[3]) for f in fields] == list(range(1, total + 1))
    assert "sub%20dir/undated%20gas%20note.txt" in [f[2] for f in fields]
    scores = [float(f[4]) for f in fields]
    assert scores == sorted(scores, reverse=True)


def test_exports_keep_filters_sort_and_limit(explored: Archive, invoke: Invoke) -> None:
    rows = invoke("query", "gas", "--from", "2024-11", "--sort", "oldest", "--format", "jsonl").stdout.splitlines()
    dates = [json.loads(row)["date"] for row in rows]
    assert dates == ["2024-11-04", "2024-11-05", "2024-11-07", "2024-11-14"]
    assert len(invoke("query", "gas", "--format", "csv", "--limit", "2").stdout.splitlines()) == 3
    newest = invoke("query", "gas", "--sort", "newest", "--format", "trec").stdout.splitlines()
    assert [float(line.split()[4]) for line in newest] == [-1, -2, -3, -4, -5, -6, -7, -8]


def test_an_export_makes_each_hit_as_it_is_read(explored: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[int] = []
    real = searcher_module.snippet  # type: ignore[attr-defined]

    def counted(*args: Any) -> Any:
        made.append(1)
        return real(*args)

    monkeypatch.setattr(searcher_module, "snippet", counted)
    results, hits = explored.stream(SearchRequest("serbia"))
    assert results.total == 10 and made == []
    next(hits)
    assert len(made) == 1
    assert len(list(hits)) == 9 and len(made) == 10


def test_relevance_ties_are_broken_newest_first_across_the_whole_ranking(empty_home: Path) -> None:
    """Four notes with the same body tie on score; the newest comes first, the undated last."""
    dates = {"one": "2021-01-01", "two": "2023-05-05", "six": "2022-03-03", "ten": None}
    for name, day in dates.items():
        write(
            empty_home / "raw" / f"{name}.txt", f"Tie note {name}\n\nZanzibar cloves were weighed at the port again.\n"
        )
        if day:
            write(empty_home / "raw" / f"{name}.txt.meta.json", json.dumps({"date": day}))
    archive = Archive(empty_home)
    archive.update()
    for limit in (2, 10):  # the first few, as a table shows them, and the whole ranking
        ranked = archive.search("zanzibar", limit=limit).hits
        assert len({hit.score for hit in ranked}) == 1
        assert [hit.doc_id for hit in ranked] == ["two.txt", "six.txt", "one.txt", "ten.txt"][:limit]
    _, streamed = archive.stream(SearchRequest("zanzibar"), snippets=False)
    assert [hit.doc_id for hit in streamed] == ["two.txt", "six.txt", "one.txt", "ten.txt"]


# Timelines


def test_timeline_counts_every_period_and_the_undated_apart(explored: Archive) -> None:
    found = explored.timeline(SearchRequest("gas"), "year")
    assert [(p.label, p.count) for p in found.periods] == [("2021", 1), ("2022", 0), ("2023", 0), ("2024", 6)]
    assert found.total == 8 and found.undated == 1
    assert [p.published for p in found.periods] == [1, 0, 0, 6]


def test_timeline_by_month_within_dates_and_by_outlet(explored: Archive) -> None:
    request = SearchRequest.build("gas", "2024-09", "2024-11")
    found = explored.timeline(request, "month", by_outlet=True)
    assert [(p.label, p.count) for p in found.periods] == [("2024-09", 0), ("2024-10", 2), ("2024-11", 4)]
    november = found.periods[-1]
    assert november.outlets["Danube Daily"] == 2 and sum(november.outlets.values()) == november.count
    assert found.outlets[0] == "Danube Daily"
    assert found.undated == 0  # the dates leave the undated document out


def test_share_is_of_what_the_outlet_published(explored: Archive) -> None:
    found = explored.timeline(SearchRequest.build("storage", "2024-11", "2024-11"), "month", by_outlet=True)
    november = found.periods[0]
    assert november.outlets == {"Danube Daily": 2, "Balkan Wire": 1}
    assert november.published_by_outlet == {"Danube Daily": 2, "Balkan Wire": 1}
    assert november.outlet_share("Danube Daily") == 1.0
    only = explored.timeline(SearchRequest.build("storage", "2024-11", "2024-11", outlets=("Danube Daily",)), "month")
    assert only.periods[0].count == 2 and only.periods[0].published == 2
    everything = explored.timeline(SearchRequest.build("storage", "2024-11", "2024-11"), "month")
    assert everything.periods[0].published == 4 and everything.periods[0].share == 0.75


def test_an_unknown_period_is_refused(explored: Archive) -> None:
    with pytest.raises(QueryError, match="unknown period 'fortnight'"):
        explored.timeline(SearchRequest("gas"), "fortnight")


def test_auto_unit_and_period_arithmetic() -> None:
    assert choose_unit(date(2024, 11, 1), date(2024, 11, 30)) == "day"
    assert choose_unit(date(2024, 1, 1), date(2024, 12, 31)) == "week"
    assert choose_unit(date(2021, 1, 1), date(2024, 12, 31)) == "month"
    assert choose_unit(date(1990, 1, 1), date(2024, 12, 31)) == "year"
    assert following(date(2024, 12, 1), "month") == date(2025, 1, 1)
    assert start_of(date(2024, 11, 7), "week") == date(2024, 11, 4)
    assert label(date(2024, 12, 30), "week") == "2025-W01"
    assert label(date(2024, 2, 1), "month") == "2024-02"


def test_timeline_command(explored: Archive, invoke: Invoke) -> None:
    text = invoke("timeline", "gas", "--by", "year").stdout.splitlines()
    assert text[0] == "Matching documents for 'gas' by year: 8 matches"
    assert text[1].startswith("2021 ") and text[1].endswith(" 1") and "█" in text[1]
    assert text[2].startswith("2022 ") and "█" not in text[2] and text[2].endswith(" 0")
    assert text[-1] == "Undated matches (not shown above): 1"
    shares = invoke("timeline", "storage", "--from", "2024-11", "--to", "2024-11", "--by", "month", "--share").stdout
    assert "3 of 4" in shares and "75.0%" in shares
    split = invoke("timeline", "gas", "--by", "outlet", "--from", "2024-11", "--to", "2024-11").stdout
    assert "  Danube Daily" in split
    rows = list(csv.DictReader(io.StringIO(invoke("timeline", "gas", "--by", "year", "--csv").stdout)))
    assert [(r["period"], r["count"]) for r in rows] == [("2021", "1"), ("2022", "0"), ("2023", "0"), ("2024", "6"),
                                                        ("undated", "1")]  # fmt: skip
    data = json.loads(invoke("timeline", "gas", "--by", "year", "--by", "outlet", "--json").stdout)
    assert data["unit"] == "year" and data["undated"] == 1
    assert data["periods"][3]["outlets"]["Danube Daily"] == {"count": 2, "published": 2, "share": 1.0}
    two = invoke("timeline", "gas", "--by", "year", "--by", "month")
    assert two.exit_code == 2 and "give one period with --by" in two.stderr


def test_timeline_of_nothing(explored: Archive, invoke: Invoke) -> None:
    assert invoke("timeline", "zzyzx").stdout.splitlines()[-1] == "No dated matches."


# Significant terms


def test_terms_characterise_the_matches(explored: Archive) -> None:
    found = explored.terms(SearchRequest("gas"))
    names = [row.text for row in found.names]
    assert "Banatski Dvor" in names and "European Union" in names
    words = [row.text.lower() for row in found.terms]
    assert "gas" not in words  # the query's own word says nothing new
    assert all(row.sample >= 2 and row.archive >= row.sample for row in found.terms)
    assert found.total == 8 and found.sample == 8 and found.documents == 10


def test_terms_with_filters_and_json(explored: Archive, invoke: Invoke) -> None:
    data = json.loads(invoke("terms", "putin", "--to", "2021", "--json").stdout)
    assert data["total"] == 3 and data["documents"] == 10
    assert any(row["text"] == "Minister Lavrov" for row in data["names"])
    text = invoke("terms", "gas", "--limit", "3").stdout
    assert text.startswith("What sets apart 'gas': the best 8 of 8 matches against all 10 documents")


# Saved searches


def test_a_watch_lists_what_is_new_since_it_last_ran(explored: Archive, home: Path, tmp_path: Path) -> None:
    from search.explore.watches import Watch

    added = explored.watch_add(Watch("gas", "gas", date_from="2024"))
    assert added.total == 6 and added.new == ()
    assert [run.new for run in explored.watch_run("gas")] == [()]

    fresh = write(tmp_path / "in" / "fresh.txt", "Gas deal\n\nSerbia signed another gas deal on Friday in Belgrade.\n")
    old = write(tmp_path / "in" / "old.txt", "Old gas\n\nSerbia had gas talks long ago, in Belgrade.\n")
    explored.add([fresh], {"date": "2024-12-06", "outlet": "Danube Daily"})
    explored.add([old], {"date": "2019-05-01"})
    assert [hit.doc_id for hit in explored.watch_run("gas", dry_run=True)[0].new] == ["fresh.txt"]
    run = explored.watch_run("gas")[0]
    assert [hit.doc_id for hit in run.new] == ["fresh.txt"] and run.total == 7 and run.since
    assert explored.watch_run("gas")[0].new == ()

    write(home / "raw" / "fresh.txt", "Gas deal\n\nSerbia signed another gas deal on Friday, officials said.\n")
    explored.update()
    assert [hit.doc_id for hit in explored.watch_run("gas")[0].new] == ["fresh.txt"]

    explored.rebuild()
    assert explored.watch_run("gas")[0].new == ()


def test_watch_commands(explored: Archive, invoke: Invoke, tmp_path: Path) -> None:
    added = invoke("watch", "add", "danube", "gas", "--outlet", "Danube Daily")
    assert added.exit_code == 0
    assert added.stdout.startswith("Saved 'danube': gas --outlet 'Danube Daily'. 2 documents match now.")
    assert invoke("watch", "add", "danube", "gas").stderr.startswith("Error: a saved search named 'danube' exists")
    bad = invoke("watch", "add", "no good", "gas")
    assert bad.exit_code == 1 and "cannot name a saved search" in bad.stderr and bad.stderr.count("\n") == 1

    other = write(tmp_path / "in" / "elsewhere.txt", "Gas\n\nGas news from elsewhere about Serbia.\n")
    mine = write(tmp_path / "in" / "mine.txt", "Gas\n\nGas news from the Danube, about Serbia.\n")
    assert invoke("add", str(other), "--outlet", "Sava Times", "--date", "2024-12-01").exit_code == 0
    assert invoke("add", str(mine), "--outlet", "Danube Daily", "--date", "2024-12-02").exit_code == 0
    run = invoke("watch", "run", "danube")
    assert run.stdout.startswith("danube: 1 new since ") and "mine.txt" in run.stdout
    assert "elsewhere.txt" not in run.stdout
    assert invoke("watch", "run", "--json").stdout.strip().startswith("[")
    assert json.loads(invoke("watch", "run", "--json").stdout)[0]["new"] == []

    listing = invoke("watch", "list").stdout
    assert listing.startswith("danube               gas --outlet 'Danube Daily'") and "3 matched" in listing
    assert json.loads(invoke("watch", "list", "--json").stdout)[0]["outlets"] == ["Danube Daily"]
    assert invoke("watch", "remove", "danube").stdout == "Removed the saved search 'danube'.\n"
    invoke("watch", "add", "again", "gas")
    assert json.loads(invoke("watch", "remove", "again", "--json").stdout)["query"] == "gas"
    assert invoke("watch", "list").stdout.startswith("No saved searches")
    missing = invoke("watch", "run", "danube")
    assert missing.exit_code == 1 and missing.stderr == "Error: no saved search named 'danube'; saved: none yet\n"


def test_a_damaged_watch_is_reported_not_lost(explored: Archive, invoke: Invoke, home: Path) -> None:
    invoke("watch", "add", "w", "gas")
    (home / "watches" / "w.json").write_text("{not json")
    result = invoke("watch", "run", "w")
    assert result.exit_code == 1 and "is damaged" in result.stderr
    assert (home / "watches" / "w.json").read_text() == "{not json"
