"""Ranking quality on a test collection, as trec_eval computes it.

The documents are indexed into a temporary index with the product's own
analysis, and every query runs through the product's own query path, as a
bag of words (TREC topics contain words such as AND, OR and NOT, which are
words there, not operators). Measures, over the queries with at least one
relevant document (relevance >= 1) in the judgements:
  nDCG@10   gains are the relevance grades, discounted by log2(rank + 1),
            normalised by the ideal ordering of all judged documents;
  MAP       mean of the precision at each relevant document retrieved, over
            all relevant documents (the run holds the top 1,000);
  Recall@100, MRR (1 / rank of the first relevant document).
"""

from __future__ import annotations

import json
import math
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

from ..engine import engine, load_aliases
from ..errors import SourceError
from ..fields import NO_METADATA
from ..model import Article
from ..query.request import SearchRequest
from ..text.dates import parse_date

RUN_DEPTH = 1000
Qrels = dict[str, dict[str, int]]
Run = dict[str, list[tuple[str, float]]]


@dataclass(frozen=True)
class RelevanceScores:
    queries: int
    ndcg_at_10: float
    map: float
    recall_at_100: float
    mrr: float


def read_documents(path: Path) -> Iterator[Article]:
    for number, line in enumerate(_lines(path), 1):
        try:
            record = json.loads(line)
            yield _article(record)
        except (ValueError, KeyError, TypeError) as exc:
            raise SourceError(f'{path}:{number}: not a document record ({exc}); expected {{"id", "text"}}') from exc


def _article(record: dict[str, object]) -> Article:
    date = parse_date(str(record["date"])) if record.get("date") else None
    return Article(
        doc_id=str(record["id"]),
        title=str(record.get("title") or "") or None,
        body=str(record["text"]),
        date=date.when if date else None,
        date_text=date.text if date else None,
        date_source="sidecar" if date else "none",
        outlet=str(record["outlet"]) if record.get("outlet") else None,
        metadata=NO_METADATA,
    )


def read_queries(path: Path) -> dict[str, str]:
    queries = {}
    for number, line in enumerate(_lines(path), 1):
        qid, tab, text = line.partition("\t")
        if not tab:
            raise SourceError(f"{path}:{number}: expected id<TAB>text")
        queries[qid.strip()] = text.strip()
    return queries


def read_qrels(path: Path) -> Qrels:
    qrels: Qrels = {}
    for number, line in enumerate(_lines(path), 1):
        parts = line.split()
        if len(parts) != 4 or not parts[3].lstrip("-").isdigit():
            raise SourceError(f"{path}:{number}: expected TREC qrels 'qid 0 docid relevance'")
        qrels.setdefault(parts[0], {})[parts[2]] = int(parts[3])
    return qrels


def _lines(path: Path) -> Iterator[str]:
    try:
        with open(path, encoding="utf-8") as handle:
            yield from (line.rstrip("\n") for line in handle if line.strip())
    except OSError as exc:
        raise SourceError(f"{path} cannot be read ({exc.strerror})") from exc


def run_collection(docs: Path, queries: Path) -> Run:
    """Index the documents in a temporary folder and rank them for every query."""
    topics = read_queries(queries)
    with tempfile.TemporaryDirectory(prefix="news-search-eval-") as folder:
        index = engine()
        index.create(Path(folder))
        with index.writer(Path(folder)) as writer:
            for article in read_documents(docs):
                writer.add(article)
        aliases = load_aliases()
        reader = index.open(Path(folder))
        try:
            return {
                qid: reader.ranked(SearchRequest(text, limit=RUN_DEPTH, bag_of_words=True, timeout=None), aliases)
                for qid, text in topics.items()
            }
        finally:
            reader.close()


def evaluate(run: Run, qrels: Qrels) -> RelevanceScores:
    judged = [qid for qid, judgements in qrels.items() if any(rel > 0 for rel in judgements.values())]
    if not judged:
        raise SourceError("the judgements mark no document relevant (relevance >= 1)")
    per_query = [_measures([doc for doc, _ in run.get(qid, [])], qrels[qid]) for qid in judged]
    return RelevanceScores(len(judged), *(mean(values) for values in zip(*per_query, strict=True)))


def _measures(ranked: list[str], judgements: dict[str, int]) -> tuple[float, float, float, float]:
    relevant = {doc for doc, rel in judgements.items() if rel > 0}
    gains = [max(judgements.get(doc, 0), 0) for doc in ranked]
    ideal = sorted((rel for rel in judgements.values() if rel > 0), reverse=True)
    ndcg = _dcg(gains[:10]) / _dcg(ideal[:10])
    hits, precisions = 0, []
    for rank, doc in enumerate(ranked, 1):
        if doc in relevant:
            hits += 1
            precisions.append(hits / rank)
    first = next((rank for rank, doc in enumerate(ranked, 1) if doc in relevant), None)
    return (
        ndcg,
        sum(precisions) / len(relevant),
        len(relevant & set(ranked[:100])) / len(relevant),
        1 / first if first else 0.0,
    )


def _dcg(gains: list[int]) -> float:
    return sum(gain / math.log2(rank + 1) for rank, gain in enumerate(gains, 1))


def write_run(run: Run, path: Path, tag: str = "news-search") -> None:
    """The run in TREC format: `qid Q0 docid rank score tag`."""
    with open(path, "w", encoding="utf-8") as handle:
        for qid, ranked in run.items():
            for rank, (doc, score) in enumerate(ranked, 1):
                handle.write(f"{qid} Q0 {doc} {rank} {score:.4f} {tag}\n")
