"""`search eval`: trec_eval's measures, the command, and the development targets."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.cli import cli
from search.evaluate.ranking import evaluate, read_qrels, run_collection

from .conftest import PROJECT, write

IR = PROJECT.parent / "shared" / "dev" / "ir"
# Best reference figures per collection (../shared/dev/README.md): nDCG@10, MAP, Recall@100.
REFERENCE = {"cranfield": (0.363, 0.298, 0.734), "cisi": (0.376, 0.210, 0.439)}


def test_measures_match_hand_computed_values() -> None:
    run = {"q1": [("a", 3.0), ("x", 2.0), ("b", 1.0)], "q2": [("y", 1.0)]}
    qrels = {"q1": {"a": 2, "b": 1, "c": 1, "x": 0}, "q2": {"z": 1}, "q3": {"n": 0}}
    scores = evaluate(run, qrels)
    assert scores.queries == 2  # q3 has no relevant document
    dcg = 2 + 1 / math.log2(4)
    ideal = 2 + 1 / math.log2(3) + 1 / math.log2(4)
    assert scores.ndcg_at_10 == pytest.approx((dcg / ideal + 0) / 2)
    assert scores.map == pytest.approx(((1 + 2 / 3) / 3 + 0) / 2)
    assert scores.recall_at_100 == pytest.approx((2 / 3 + 0) / 2)
    assert scores.mrr == pytest.approx((1 + 0) / 2)


@pytest.fixture
def collection(tmp_path: Path) -> Path:
    docs = [
        {"id": "d1", "title": "Gas pipeline to Serbia", "text": "The gas pipeline reached Serbia."},
        {"id": "d2", "title": "Vaccines", "text": "Serbia received vaccines. Gas prices fell, gas prices rose."},
        {"id": "d3", "title": "Football", "text": "A football match in Belgrade."},
    ]
    write(tmp_path / "docs.jsonl", "\n".join(json.dumps(d) for d in docs))
    write(tmp_path / "queries.tsv", "1\tgas pipeline AND NOT\n2\tfootball OR match\n")
    write(tmp_path / "qrels.txt", "1 0 d1 2\n1 0 d2 1\n2 0 d3 1\n")
    return tmp_path


def test_queries_are_bags_of_words_and_rank_the_collection(collection: Path) -> None:
    run = run_collection(collection / "docs.jsonl", collection / "queries.tsv")
    assert [doc for doc, _ in run["1"]] == ["d1", "d2"]
    assert [doc for doc, _ in run["2"]] == ["d3"]
    assert evaluate(run, read_qrels(collection / "qrels.txt")).ndcg_at_10 == pytest.approx(1.0)


def test_eval_command_json_and_run_file(collection: Path, tmp_path: Path) -> None:
    run_file = tmp_path / "out.run"
    args = ["eval", "--docs", str(collection / "docs.jsonl"), "--queries", str(collection / "queries.tsv"),
            "--qrels", str(collection / "qrels.txt"), "--run", str(run_file), "--json"]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"queries": 2, "ndcg@10": 1.0, "map": 1.0, "recall@100": 1.0, "mrr": 1.0}
    first = run_file.read_text().splitlines()[0].split()
    assert first[:4] == ["1", "Q0", "d1", "1"] and first[5] == "news-search"


def test_eval_with_bad_files_is_one_line(collection: Path) -> None:
    write(collection / "bad.txt", "not qrels\n")
    args = ["eval", "--docs", str(collection / "docs.jsonl"), "--queries", str(collection / "queries.tsv"),
            "--qrels", str(collection / "bad.txt")]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1 and result.stderr.count("\n") == 1 and "bad.txt:1" in result.stderr


@pytest.mark.skipif(not IR.is_dir(), reason="the development collections ../shared/dev/ir are absent")
@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_development_collections_beat_the_reference(name: str) -> None:
    folder = IR / name
    scores = evaluate(run_collection(folder / "docs.jsonl", folder / "queries.tsv"), read_qrels(folder / "qrels.txt"))
    for ours, reference in zip((scores.ndcg_at_10, scores.map, scores.recall_at_100), REFERENCE[name], strict=True):
        assert ours >= reference
