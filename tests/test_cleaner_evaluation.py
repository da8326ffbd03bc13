"""`search eval-clean`: the metric, the command, and the development-set targets."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.cli import cli
from search.evaluate.cleaner import Score, evaluate_cleaner
from search.ingest.rules import load_rules

from .conftest import FIXTURES, PROJECT

DEV = PROJECT.parent / "shared" / "dev" / "extraction"


def test_token_scores_follow_the_development_set_definition() -> None:
    assert Score.of("", "gold words") == Score(0.0, 0.0, 0.0)
    score = Score.of("The the cat sat", "the cat sat on the mat")
    assert (score.precision, round(score.recall, 3)) == (1.0, round(4 / 6, 3))
    assert round(score.f1, 3) == 0.8


@pytest.fixture
def gold_folder(tmp_path: Path) -> Path:
    (tmp_path / "pages").mkdir()
    shutil.copy(FIXTURES / "steppe_post.html", tmp_path / "pages" / "steppe.html")
    shutil.copy(FIXTURES / "rferl_minimal.html", tmp_path / "pages" / "rferl.html")
    gold = {
        "steppe": {"site": "steppepost.example", "body": "Kazakhstan is studying a route that would carry oil "
                   "across the Caspian Sea, bypassing Russia, the energy ministry said on Tuesday. The ministry said "
                   "the Caspian route could carry up to 20 million tonnes a year. Pressure from sanctions. Exporters "
                   "have faced delays at Russian ports since sanctions were imposed, traders said. Volumes fell by a "
                   "tenth in May. Insurance costs doubled. \"We cannot depend on one corridor,\" a ministry official "
                   "said."},
        "rferl": {"site": "rferl.org", "body": "Serbian officials attended the Victory Day parade in Moscow on "
                  "May 9, drawing criticism from European Union diplomats. The visit came days after Belgrade said "
                  "it would not join sanctions against Russia."},
    }  # fmt: skip
    (tmp_path / "gold.json").write_text(json.dumps(gold))
    return tmp_path


def test_evaluation_scores_each_path(gold_folder: Path) -> None:
    evaluation = evaluate_cleaner(gold_folder, load_rules())
    assert [page.page for page in evaluation.pages] == ["rferl", "steppe"]
    assert evaluation.mean("html").f1 == pytest.approx(1.0)
    assert evaluation.mean("baseline").precision < 0.8 and evaluation.mean("baseline").recall == 1.0
    assert evaluation.mean("text_dump").f1 > evaluation.mean("baseline").f1
    assert evaluation.pages_per_second > 0


def test_eval_clean_command_json_and_details(gold_folder: Path, home: Path) -> None:
    result = CliRunner().invoke(cli, ["--home", str(home), "eval-clean", str(gold_folder), "--json", "--details"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"pages", "precision", "recall", "f1", "baseline", "text_dump", "wrapped", "wrapped_tight"} <= set(data)
    assert data["pages"] == 2 and data["f1"] == pytest.approx(1.0)
    assert set(data["baseline"]) == set(data["text_dump"]) == set(data["wrapped"]) == {"precision", "recall", "f1"}
    assert [row["page"] for row in data["details"]] == ["rferl", "steppe"]
    text = CliRunner().invoke(cli, ["--home", str(home), "eval-clean", str(gold_folder)]).stdout
    assert "HTML path" in text and "text-dump path" in text and "whole-page text" in text


def test_eval_clean_on_a_folder_without_gold_is_one_line(tmp_path: Path, home: Path) -> None:
    result = CliRunner().invoke(cli, ["--home", str(home), "eval-clean", str(tmp_path)])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1 and "gold.json" in result.stderr


@pytest.mark.skipif(not DEV.is_dir(), reason="the development set ../shared/dev/extraction is absent")
def test_development_set_targets() -> None:
    evaluation = evaluate_cleaner(DEV, load_rules())
    html, dump = evaluation.mean("html"), evaluation.mean("text_dump")
    assert html.f1 >= 0.955 and html.precision >= 0.95, html
    assert dump.f1 >= 0.85, dump
    for shape in ("wrapped", "wrapped_tight"):  # the same text hard-wrapped, with and without blank lines
        wrapped = evaluation.mean(shape)
        assert wrapped.f1 >= 0.85 and wrapped.recall >= 0.93, (shape, wrapped)


def test_eval_clean_scores_articles_filed_hard_wrapped(gold_folder: Path, home: Path, tmp_path: Path) -> None:
    story = "Standard Oil Co and BP North America\nInc said they plan to form a venture to manage the money market\n"
    news = tmp_path / "news.jsonl"
    news.write_text(json.dumps({"id": "r1", "title": "STANDARD OIL TO FORM UNIT", "text": story}) + "\n")
    result = CliRunner().invoke(cli, ["--home", str(home), "eval-clean", str(gold_folder), "--filed", str(news)])
    assert result.exit_code == 0, result.output
    assert "1 articles filed hard-wrapped" in result.stdout and "word recall 1.000" in result.stdout
    bad = CliRunner().invoke(cli, ["--home", str(home), "eval-clean", str(gold_folder), "--filed", str(gold_folder)])
    assert bad.exit_code == 1 and bad.stderr.count("\n") == 1 and "JSON lines" in bad.stderr
