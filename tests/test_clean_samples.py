"""Golden tests of the cleaner on the five shipped samples.

For each sample the test names the boilerplate lines and the metadata lines
(title, datelines); every other line of the raw file is article text and
must be in the cleaned body, and no boilerplate line may be.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from search.ingest.pipeline import finish, never_repeated, prepare
from search.ingest.rules import load_rules
from search.ingest.sources import SourceFile, scan
from search.model import Article

from .conftest import SAMPLES

PRESIDENCY_FOOTER = [
    "Contact the President",
    "You can send your questions by mail to the address given below:",
    "(Contact the President) No. 1, Andrićev venac Str.",
    "Or via electronic mail to:",
    "For the purpose of receiving a response, please provide the following contact information",
]
MOSCOW_TIMES_BOILERPLATE = [
    "Support The Moscow Times!",
    "vucic.rs",
    "Sign up for our free weekly newsletter",
    "Our weekly newsletter contains a hand-picked selection",
    "Subscribers agree to the Privacy Policy",
    "A Message from The Moscow Times:",
    "Dear readers,",
    "We are facing unprecedented challenges.",
    "These actions are direct attempts to silence independent journalism",
    "We, the journalists of The Moscow Times, refuse to be silenced.",
    "Your support, no matter how small, makes a world of difference.",
    "By supporting The Moscow Times, you're defending open, independent journalism",
    "Once",
    "Monthly",
    "Annual",
    "Continue",
    "paiment methods",
    "Not ready to support today?",
    "Remind me later.",
    "Read more",
]

GOLDEN: dict[str, dict[str, Any]] = {
    "000_bb139807f14e536b.txt": dict(
        title="Telephone conversation with the President of the Russian Federation",
        date="2020-09-10T11:34:00",
        date_source="dateline",
        outlet="Presidency of the Republic of Serbia",
        boilerplate=["Press Releases", *PRESIDENCY_FOOTER],
        metadata_lines=["10.09.2020. - 11:34", "Belgarde, 10th September 2020"],
    ),
    "001_0d2a95f237a9080f.txt": dict(
        title="Telephone conversation with the President of the Russian Federation",
        date="2021-02-03T14:31:00",
        date_source="dateline",
        outlet="Presidency of the Republic of Serbia",
        boilerplate=["Press Releases", *PRESIDENCY_FOOTER],
        metadata_lines=["03.02.2021. - 14:31", "3rd February 2021"],
    ),
    "002_87ee450b78c6a74d.txt": dict(
        title="Visit of the Minister of Foreign Affairs of the Russian Federation",
        date="2020-12-15T18:55:00",
        date_source="dateline",
        outlet="Presidency of the Republic of Serbia",
        boilerplate=["Photo: Presidency of Serbia / Dimitrije Goll", *PRESIDENCY_FOOTER],
        metadata_lines=["15.12.2020. - 18:55"],
    ),
    "003_c724ab5fffc3b5c0.txt": dict(
        title=None,
        date="2024-10-20",
        date_source="dateline",
        outlet=None,
        boilerplate=[],
        metadata_lines=[],
    ),
    "004_c9068389083bc5e7.txt": dict(
        title="Serbian President Speaks to Putin for First Time in 2.5 Years – Presidency",
        date="2024-10-20",
        date_source="sidecar",
        outlet="The Moscow Times",
        boilerplate=MOSCOW_TIMES_BOILERPLATE,
        metadata_lines=[],
    ),
}


def _clean(doc_id: str) -> tuple[Article, str]:
    rules = load_rules()
    path = SAMPLES / doc_id
    found, _ = scan(SAMPLES)
    source = next(f for f in found if f.doc_id == doc_id)
    return finish(prepare(source, rules), rules, never_repeated), path.read_text("utf-8")


def _is_listed(line: str, listed: list[str]) -> bool:
    return any(line == item or (len(item) > 12 and line.startswith(item)) for item in listed)


@pytest.mark.parametrize("doc_id", sorted(GOLDEN))
def test_every_article_line_is_kept_and_every_boilerplate_line_goes(doc_id: str) -> None:
    golden = GOLDEN[doc_id]
    article, raw = _clean(doc_id)
    body_lines = article.body.split("\n\n")
    for line in (" ".join(line.split()) for line in raw.splitlines()):
        if not line or line == golden["title"] or line in golden["metadata_lines"]:
            continue
        if _is_listed(line, golden["boilerplate"]):
            assert not any(line in kept for kept in body_lines), f"boilerplate kept: {line!r}"
        else:
            article_text = line.removeprefix("date 2024-10-20 ").removesuffix(" Share")
            assert article_text in body_lines, f"article line lost: {line!r}"


@pytest.mark.parametrize("doc_id", sorted(GOLDEN))
def test_sample_metadata(doc_id: str) -> None:
    golden = GOLDEN[doc_id]
    article, _ = _clean(doc_id)
    assert (article.title, article.date_text, article.date_source, article.outlet) == (
        golden["title"],
        golden["date"],
        golden["date_source"],
        golden["outlet"],
    )


def test_share_residue_is_cut_from_the_end_of_a_paragraph() -> None:
    article, _ = _clean("003_c724ab5fffc3b5c0.txt")
    assert "Vucic said." in article.body
    assert not any(line.endswith("Share") for line in article.body.split("\n\n"))
    assert [r.why for r in article.removed].count("share residue") == 2


def test_removed_lists_the_class_of_each_boilerplate_in_document_order() -> None:
    article, _ = _clean("002_87ee450b78c6a74d.txt")
    assert [r.position for r in article.removed] == sorted(r.position for r in article.removed)
    assert {r.why for r in article.removed} >= {"photo credit", "footer block", "dateline", "title"}


def test_the_sample_without_a_date_in_its_text_is_dated_by_its_sidecar(tmp_path: Path) -> None:
    assert (SAMPLES / "004_c9068389083bc5e7.txt.meta.json").is_file()
    copy = tmp_path / "x.txt"
    copy.write_bytes((SAMPLES / "004_c9068389083bc5e7.txt").read_bytes())
    rules = load_rules()
    undated = finish(prepare(SourceFile("x.txt", copy, ""), rules), rules, never_repeated)
    assert undated.date is None and undated.date_source == "none"
