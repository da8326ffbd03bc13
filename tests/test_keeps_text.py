"""What recurs across documents, odd encodings and heavy cuts: text is kept, or the loss is reported."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from search import Archive
from search.cli import cli

from .conftest import whoosh_index, write

LEAD = (
    "Serbia signed a three-year gas contract with Gazprom on Thursday, President Aleksandar Vucic said, "
    "after talks in Belgrade that ran late into the night."
)
QUOTE = '"We will not be blackmailed," the minister said.'
FOOTER = ["Newsroom of the Danube Wire", "Send your tips to desk@example.org", "Follow us on Telegram."]


def story(n: int, *middle: str, lead: str = "") -> str:
    """A story of its own with `middle` paragraphs in its body and the shared footer."""
    own = [f"Paragraph {k} of story {n}, about pipelines and prices in its own words, told at length." for k in (1, 2)]
    return "\n\n".join([f"Story number {n}", lead or own[0], *middle, own[1], own[0] + " More.", *FOOTER]) + "\n"


def bodies(home: Path) -> dict[str, str]:
    archive = Archive(home)
    archive.update()
    with whoosh_index(archive).searcher() as searcher:
        return {fields["id"]: fields["body"] for fields in searcher.all_stored_fields()}


@pytest.mark.parametrize("outlet", ["Danube Wire", None])
def test_a_wire_story_and_its_updates_keep_their_lead_and_a_shared_quote_stays(
    empty_home: Path, outlet: str | None
) -> None:
    raw = empty_home / "raw" / "wire"
    for n, name in enumerate(["original", "update-1", "update-2"]):
        write(raw / f"{name}.txt", story(n, lead=LEAD))
    for n in range(3, 6):
        write(raw / f"other-{n}.txt", story(n, QUOTE))
    if outlet:
        for path in raw.glob("*.txt"):
            write(path.with_name(path.name + ".meta.json"), json.dumps({"outlet": outlet}))
    found = bodies(empty_home)
    assert len(found) == 6
    assert all(LEAD in body for doc_id, body in found.items() if "other" not in doc_id)
    assert all(QUOTE in body for doc_id, body in found.items() if "other" in doc_id)
    assert not any(line in body for body in found.values() for line in FOOTER)


def test_documents_of_no_outlet_in_different_folders_are_not_pooled(empty_home: Path, tmp_path: Path) -> None:
    for n, folder in enumerate(["a", "b", "c"]):
        write(empty_home / "raw" / folder / "s.txt", story(n))
        write(tmp_path / folder / "raw" / "s.txt", story(n))
    alone = {f"{folder}/s.txt": bodies(tmp_path / folder)["s.txt"] for folder in "abc"}
    assert bodies(empty_home) == alone and all(FOOTER[0] in body for body in alone.values())


def test_utf16_and_utf32_with_a_byte_order_mark_are_text(empty_home: Path) -> None:
    text = "Разговор\n\nВучић и Путин разговарали су о гасу у Београду.\n"
    write(empty_home / "raw" / "utf16.txt", "\ufeff" + text, "utf-16-le")
    write(empty_home / "raw" / "utf32.txt", text, "utf-32")
    archive = Archive(empty_home)
    report = archive.update()
    assert sorted(report.added) == ["utf16.txt", "utf32.txt"] and report.skipped == []
    assert archive.search("vucic").total == 2


def test_a_bad_byte_in_utf8_is_replaced_and_reported(empty_home: Path) -> None:
    text = "Vučić in Moscow\n\nPresident Vučić met Putin in Moscow on Tuesday, Dačić said.\n"
    (empty_home / "raw" / "bad.txt").write_bytes(text.encode() + b"Caf\xe9 talk.\n")
    result = CliRunner().invoke(cli, ["--home", str(empty_home), "index", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["repaired"] == ["bad.txt"]
    assert Archive(empty_home).search("vucic").total == 1


def test_a_zone_name_in_a_date_is_understood_without_a_warning(empty_home: Path) -> None:
    """pytest turns warnings into errors here: dateutil's UnknownTimezoneWarning would fail it."""
    write(empty_home / "raw" / "d.txt", "Story\n\nA paragraph of the story, told once.\n")
    write(empty_home / "raw" / "d.txt.meta.json", json.dumps({"date": "Tue, 20 Oct 2024 23:30:00 EST"}))
    archive = Archive(empty_home)
    archive.update()
    assert archive.search(date_from="2024-10-21", date_to="2024-10-21").total == 1  # 04:30 UTC


SECTIONS = ["World", "Europe", "Politics", "Business", "Markets", "Energy", "Sport", "Culture", "Opinion"]


def test_a_document_that_lost_most_of_its_words_is_reported(empty_home: Path) -> None:
    menus = "\n".join(f"{section} news" for section in SECTIONS * 2)
    write(empty_home / "raw" / "page.txt", f"{menus}\n{LEAD} {LEAD}\n{menus}\n")
    write(empty_home / "raw" / "fine.txt", "Title\n\n" + textwrap.fill(LEAD * 3, 72) + "\n")
    result = CliRunner().invoke(cli, ["--home", str(empty_home), "index", "--json"])
    assert json.loads(result.stdout)["mostly_cut"] == ["page.txt"]
    assert "more than half the words of 1 document: page.txt" in result.stderr
    for command in (["stats", "--json"], ["rebuild"], ["stats"]):
        result = CliRunner().invoke(cli, ["--home", str(empty_home), *command])
        assert result.exit_code == 0, result.output
    assert json.loads(CliRunner().invoke(cli, ["--home", str(empty_home), "stats", "--json"]).stdout)["mostly_cut"] == {
        "page.txt": 60
    }
    assert "Mostly cut" in result.stdout and " 60 % cut  page.txt" in result.stdout


QUOTAS = [f"{country} nil {n * 1000 + 130:,}" for n, country in enumerate(SECTIONS * 2, start=7)]


def test_a_table_of_figures_is_kept_with_its_text(empty_home: Path) -> None:
    """Rows of figures are neither a menu nor text around the article."""
    header = ["SUGAR QUOTA IMPORTS DETAILED", "", "The department said imports were as follows:", "QUOTA 1987"]
    write(empty_home / "raw" / "quota.txt", "\n".join([*header, *QUOTAS, "Totals are in short tons.", *SECTIONS]))
    body = bodies(empty_home)["quota.txt"]
    assert all(row in body for row in QUOTAS) and "imports were as follows" in body


def test_a_file_with_no_article_to_find_is_taken_whole(empty_home: Path) -> None:
    """No run of lines scores `min_article_words` as text: the cut would leave a stub."""
    lines = [f"- {section} desk: no change in the weekly figures" for section in SECTIONS]
    write(empty_home / "raw" / "list.txt", "Standings\n\n" + "\n".join([*lines, "Results are final."]) + "\n")
    body = bodies(empty_home)["list.txt"]
    assert all(line in body for line in lines) and "Results are final." in body


def test_the_region_cut_can_be_switched_off_for_an_outlet_or_a_folder(empty_home: Path) -> None:
    from search.ingest.rules import load_rules

    rules = '[region]\noff_folders = ["clean/"]\noff_outlets = ["TASS"]\n'
    write(empty_home / "rules.toml", rules)
    region = load_rules(empty_home / "rules.toml").region
    assert not region.applies(None, "clean/page.txt") and not region.applies("tass", "x.txt")
    assert region.applies(None, "cleaner/page.txt") and region.applies("Reuters", "x.txt")


def test_a_one_paragraph_brief_carried_by_several_documents_keeps_its_paragraph(empty_home: Path) -> None:
    for n in range(4):
        write(empty_home / "raw" / f"brief-{n}.txt", f"Brief {n}\n\n{QUOTE}\n")
    assert all(QUOTE in body for body in bodies(empty_home).values())


def test_updates_of_a_story_under_one_headline_keep_their_lead(empty_home: Path) -> None:
    """Three versions of a story under the same headline: the headline recurs,
    and once it went as boilerplate every recurring line after it went too (the
    lead and the paragraph the versions share), leaving each a paragraph."""
    shared = "Gazprom will deliver two billion cubic metres a year, the energy ministry said in a statement."
    for n in range(3):
        text = "\n\n".join(["Serbia signs a gas deal with Gazprom", LEAD, shared, story(n).split("\n\n")[2], *FOOTER])
        write(empty_home / "raw" / "wire" / f"version-{n}.txt", text + "\n")
    found = bodies(empty_home)
    assert all(body.startswith(f"{LEAD}\n\n{shared}") for body in found.values()), found
    assert not any(line in body for body in found.values() for line in FOOTER)


def test_a_routine_story_keeps_its_headline_and_figures_and_an_outlets_name_still_goes(empty_home: Path) -> None:
    """Every week under one headline, the same wording and a table: all of it
    recurs, none of it is boilerplate. The site's name above it is."""
    for week in range(1, 5):
        write(
            empty_home / "raw" / "wire" / f"week-{week}.txt",
            "Danube Wire Online\nFED ADDS RESERVES VIA CUSTOMER REPURCHASES\n"
            "The Federal Reserve entered the government\nsecurities market to arrange customer repurchase "
            f"agreements,\na spokesman said, in week {week} of the quarter.\nNet 5,011,000 vs 2,314,000\n",
        )
    archive = Archive(empty_home)
    archive.update()
    for week in range(1, 5):
        article = archive.document(f"wire/week-{week}.txt")
        assert article.title == "FED ADDS RESERVES VIA CUSTOMER REPURCHASES"
        assert article.body.startswith("The Federal Reserve entered the government securities market")
        assert "Net 5,011,000 vs 2,314,000" in article.body and "Danube Wire Online" not in article.body
    cleaned = archive.clean(empty_home / "raw" / "wire" / "week-1.txt")  # `search clean FILE` counts the folder too
    assert ("repeated in the outlet", "Danube Wire Online") in {(r.why, r.text) for r in cleaned.removed}


def test_a_routine_note_whose_every_line_recurs_keeps_them(empty_home: Path) -> None:
    """A dividend note is set wording through and through: with every line of
    it but the headline recurring, there is no article left to keep apart."""
    for company in ("ACME CORP", "DANUBE MILLS", "NOVI SAD DAIRY"):
        write(
            empty_home / "raw" / "wire" / f"{company.split()[0].lower()}.txt",
            f"{company} REGULAR DIVIDEND\n\nQtly div three cts vs three cts prior\n\nPay and record dates not given\n",
        )
    found = bodies(empty_home)
    assert len(found) == 3
    assert all(body.startswith("Qtly div three cts vs three cts prior") for body in found.values()), found
