"""The cleaner on documents written in other outlets' styles than the samples."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.ingest.pipeline import finish, never_repeated, prepare
from search.ingest.rules import load_rules
from search.ingest.sources import SourceFile
from search.model import Article

from .conftest import FIXTURES, write


def clean(path: Path) -> Article:
    rules = load_rules()
    return finish(prepare(SourceFile(path.name, path, ""), rules), rules, never_repeated)


def test_text_dump_of_a_wire_service() -> None:
    article = clean(FIXTURES / "danube_wire.txt")
    assert article.title == "Serbia and Hungary sign pipeline extension deal"
    assert (article.date_text, article.date_source) == ("2021-03-03T10:15:00", "dateline")
    kept = [
        "Serbia and Hungary signed an agreement on Wednesday to extend the gas pipeline",
        "The extension will raise capacity by a third",
        '"This gives us security of supply for years to come," she said',
        "Hungarian officials said construction would start in May.",
        "Critics in Brussels warned that the project deepens the region's dependence on Moscow.",
    ]
    for sentence in kept:
        assert sentence in article.body
    for boilerplate in [
        "Home",
        "Sport",
        "We use cookies",
        "Accept",
        "Read more",
        "Share on Facebook",
        "Tweet",
        "Photo by",
        "Tags:",
        "Related stories",
        "Gas prices climb again",
        "All rights reserved",
        "By Jana Kovač",
    ]:
        assert boilerplate not in article.body, boilerplate
    assert article.outlet is None  # nothing in the text names it: reported, not guessed


def test_html_page_with_json_ld_and_open_graph() -> None:
    article = clean(FIXTURES / "steppe_post.html")
    assert article.title == "Kazakhstan weighs new oil route"
    assert article.date_text == "2022-06-14T08:30:00+06:00"
    assert article.date is not None and article.date == article.date.replace(
        year=2022, month=6, day=14, hour=2, minute=30
    )
    assert article.date_source == "html-meta"
    assert article.outlet == "Steppe Post"
    assert article.metadata["url"] == "https://www.steppepost.example/news/2022/oil-route"
    assert article.metadata["author"] == "Aliya Nurpeisova"
    paragraphs = article.body.split("\n\n")
    assert paragraphs[:2] == [
        "Kazakhstan is studying a route that would carry oil across the Caspian Sea, bypassing Russia, "
        "the energy ministry said on Tuesday.",
        "The ministry said the Caspian route could carry up to 20 million tonnes a year.",
    ]
    for kept in [
        "Pressure from sanctions",
        "Volumes fell by a tenth in May.",
        "Insurance costs doubled.",
        '"We cannot depend on one corridor," a ministry official said.',
    ]:
        assert kept in paragraphs
    for gone in [
        "By Aliya",
        "Economy",
        "We use cookies",
        "tanker in the port",
        "Subscribe",
        "Share this article",
        "Most read",
        "Tenge slides",
        "All rights reserved",
        "window.ads",
    ]:
        assert gone not in article.body, gone


def test_outlet_from_a_known_domain_and_date_from_time_tag() -> None:
    article = clean(FIXTURES / "rferl_minimal.html")
    assert article.outlet == "Radio Free Europe/Radio Liberty"
    assert (article.date_text, article.date_source) == ("2023-05-09", "html-meta")
    assert article.body.startswith("Serbian officials attended the Victory Day parade")


def test_unknown_domain_names_the_outlet_by_its_host(tmp_path: Path) -> None:
    page = write(tmp_path / "a.html", '<link rel="canonical" href="https://www.danas.example/x"><p>Text of it.</p>')
    assert clean(page).outlet == "danas.example"


def test_sidecar_overrides_what_extraction_finds(tmp_path: Path) -> None:
    page = write(tmp_path / "page.html", (FIXTURES / "steppe_post.html").read_text("utf-8"))
    write(tmp_path / "page.html.meta.json", '{"outlet": "Steppe Post (print)", "date": "15 June 2022", "title": "T"}')
    article = clean(page)
    assert (article.outlet, article.date_text, article.date_source, article.title) == (
        "Steppe Post (print)",
        "2022-06-15",
        "sidecar",
        "T",
    )


def test_archive_rules_extend_the_shipped_ones(tmp_path: Path) -> None:
    doc = write(
        tmp_path / "raw" / "n.txt",
        "Headline here\n\nA paragraph of the article that stays.\nListen to our podcast on every platform\n",
    )
    rules_file = write(
        tmp_path / "rules.toml",
        '[[boilerplate]]\nclass = "podcast plug"\nwhere = "line"\n'
        "patterns = ['^listen to our podcast']\n\n[[outlets]]\nname = \"Nova\"\n"
        "fingerprints = ['podcast on every platform']\n",
    )
    rules = load_rules(rules_file)
    article = finish(prepare(SourceFile("n.txt", doc, ""), rules), rules, never_repeated)
    assert "podcast" not in article.body
    assert article.removed[-1].why == "podcast plug"
    assert article.outlet == "Nova"


@pytest.mark.parametrize(
    "bad",
    [
        "[[boilerplate]]\nclass = 'x'\nwhere = 'nowhere'\npatterns = ['a']\n",
        "[[boilerplate]]\nclass = 'x'\nwhere = 'line'\npatterns = ['(']\n",
        "not toml [",
    ],
)
def test_a_broken_rules_file_is_named_in_the_error(tmp_path: Path, bad: str) -> None:
    from search.errors import SourceError

    rules_file = write(tmp_path / "rules.toml", bad)
    with pytest.raises(SourceError, match="rules.toml"):
        load_rules(rules_file)


def test_a_sentence_that_merely_mentions_a_date_is_kept(tmp_path: Path) -> None:
    doc = write(tmp_path / "d.txt", "Title of it\n\nOn 3 February 2021 the two presidents spoke by phone.\n")
    article = clean(doc)
    assert "On 3 February 2021 the two presidents spoke by phone." in article.body
    assert article.date is None


def test_a_comment_count_in_a_run_of_short_lines_still_ends_the_article(tmp_path: Path) -> None:
    """A dump splits "[167 comments]" over three lines; the run of short lines
    around it is a widget, but the count still says the comments start there."""
    story = "Apple plans a new keyboard for its smaller laptops, according to sources cited by DigiTimes."
    widget = ["Related Roundup:", "MacBook Pro", "Tag:", "[", "167 comments", "]", "Top Rated Comments"]
    comment = "I think we will see similar updates to what the larger model received, and soon."
    page = ["Apple keyboard", *["Home", "Mac", "iPhone", "Forums"], story, story, *widget, "Woyzeck", comment]
    write(tmp_path / "dump.txt", "\n".join(page) + "\n")
    article = clean(tmp_path / "dump.txt")
    assert story in article.body and comment not in article.body
