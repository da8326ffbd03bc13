"""Results, documents and reports as text for people and as JSON for programs.

Pure functions: they return strings and dicts, and never print. `mark`
decides how a matched word looks (bold on a terminal, **word** elsewhere).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ..fields import IN_HITS, NAMES, Metadata
from ..model import NO_OUTLET, NO_VALUE, UNDATED, Hit, SearchResults, Statistics, StoredDocument
from .output import csv_row, json_line

if TYPE_CHECKING:
    from ..archive import AddReport
    from ..evaluate.cleaner import CleanEvaluation, FiledEvaluation, Score
    from ..evaluate.ranking import RelevanceScores
    from ..index.report import IndexReport
    from ..model import Article

Mark = Callable[[str], str]


def plain_mark(text: str) -> str:
    return f"**{text}**"


def count(n: int, one: str, many: str | None = None) -> str:
    """'1 file', '2 files'; '1 was', '2 were'."""
    return f"{n} {one if n == 1 else many or one + 's'}"


def day(iso: str | None) -> str:
    return iso[:10] if iso else "undated"


def _facet_line(counts: dict[str, int], missing: int, missing_label: str) -> str:
    parts = [f"{name} {count}" for name, count in counts.items()]
    if missing:
        parts.append(f"({missing_label}) {missing}")
    return " · ".join(parts) or "-"


def results_lines(results: SearchResults, mark: Mark = plain_mark) -> Iterator[str]:
    request = results.request
    shown = f"{len(results.hits)} shown" if results.total > len(results.hits) else ""
    noun = "hit" if results.total == 1 else "hits"
    yield f"{results.total} {noun} for {request.text or 'everything'!r}" + (f" ({shown})" if shown else "")
    if results.suggestion:
        yield f"Did you mean: {results.suggestion}"
    for hit in results.hits:
        yield ""
        yield from hit_lines(hit, mark)
    if results.total:
        yield ""
        yield "By outlet: " + _facet_line(results.outlets, results.no_outlet, "no outlet")
        yield "By year:   " + _facet_line(dict(sorted(results.years.items())), results.undated, "undated")
        for name, counts in results.facets.items():
            yield f"By {name}: ".ljust(11) + facet_line(counts, FACET_SHOWN)


FACET_SHOWN = 10
"""The most values of a facet a table shows (people are many); JSON has every one."""


def facet_line(counts: dict[str, int], most: int | None = None) -> str:
    """A facet's values and counts on one line, its first `most` (all with None)."""
    items = list(counts.items())
    line = " · ".join(f"{value} {count}" for value, count in items[:most]) or "-"
    return line + (f" · … {len(items) - most} more" if most is not None and len(items) > most else "")


def hit_lines(hit: Hit, mark: Mark = plain_mark) -> Iterator[str]:
    yield f"{hit.rank:>3}. {day(hit.date)} · {hit.outlet or '(no outlet)'}"
    yield f"     {hit.title or '(no title)'}"
    yield f"     {hit.doc_id}"
    yield "     " + "".join(mark(text) if is_match else text for text, is_match in hit.snippet.pieces)
    if hit.also:
        yield "     also in: " + ", ".join(f"{a.outlet or '(no outlet)'} {day(a.date)}" for a in hit.also)


def results_json(results: SearchResults) -> dict[str, Any]:
    return {
        "query": results.request.text,
        "total": results.total,
        "hits": [hit_json(hit) for hit in results.hits],
        "facets": results_facets(results),
        "suggestion": results.suggestion,
    }


MISSING = frozenset({NO_OUTLET, UNDATED, NO_VALUE})
"""The facet entries that count documents without a value (no filter selects them)."""


def results_facets(results: SearchResults) -> dict[str, dict[str, int]]:
    """Every facet's counts over the matches: outlet, year, those of `search.fields`."""
    return _facets(results.outlets, results.no_outlet, results.years, results.undated, results.facets)


def stats_facets(stats: Statistics) -> dict[str, dict[str, int]]:
    """Every facet's counts over the archive."""
    return _facets(stats.outlets, len(stats.no_outlet), stats.years, len(stats.undated), stats.facets)


def _facets(
    outlets: dict[str, int], no_outlet: int, years: dict[str, int], undated: int, more: dict[str, dict[str, int]]
) -> dict[str, dict[str, int]]:
    return {
        "outlet": outlets | _none(NO_OUTLET, no_outlet),
        "year": dict(sorted(years.items())) | _none(UNDATED, undated),
        **more,
    }


def _none(label: str, count: int) -> dict[str, int]:
    return {label: count} if count else {}


def iso_day(iso: str | None) -> str | None:
    """The day of an ISO date or date-time: exports give every date in one form
    (a column mixing dates and date-times is left as text by pandas and others)."""
    return iso[:10] if iso else None


def hit_json(hit: Hit) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rank": hit.rank,
        "id": hit.doc_id,
        "title": hit.title,
        "date": iso_day(hit.date),
        "outlet": hit.outlet,
        **{name: hit.metadata.get(name) for name in IN_HITS},
        "score": hit.score,
        "snippet": hit.snippet.marked(),
    }
    if hit.also:
        data["also_in"] = [{"id": a.doc_id, "date": iso_day(a.date), "outlet": a.outlet} for a in hit.also]
    return data


def hit_rows(results: SearchResults) -> Iterator[dict[str, Any]]:
    return (hit_json(hit) for hit in results.hits)


EXPORT_FORMATS = ("table", "json", "jsonl", "csv", "trec")
CSV_COLUMNS = ("rank", "id", "score", "date", "outlet", "title", *IN_HITS, "snippet", "also_in")
TREC_RUN = "news-search"


def export_lines(results: SearchResults, hits: Iterable[Hit], form: str, topic: str = "1") -> Iterator[str]:
    """Every hit in a format for other tools, a line at a time as hits come:
    json (one document: the counts, then the hits), jsonl (a hit a line),
    csv (a header, then a hit a row) or trec (a run file, `topic` as the query id)."""
    if form == "jsonl":
        yield from (json_line(hit_json(hit)) for hit in hits)
    elif form == "csv":
        yield csv_row(CSV_COLUMNS)
        yield from (csv_row(_csv_values(hit)) for hit in hits)
    elif form == "trec":
        for hit in hits:
            score = hit.score if hit.score is not None else -hit.rank  # TREC tools sort by score
            yield f"{topic} Q0 {_trec_id(hit.doc_id)} {hit.rank} {score} {TREC_RUN}"
    else:
        yield from _json_document(results, hits)


def _json_document(results: SearchResults, hits: Iterable[Hit]) -> Iterator[str]:
    head = results_json(results)
    del head["hits"]
    yield json_line(head)[:-1] + ', "hits": ['
    for n, hit in enumerate(hits):
        yield ("  " if n == 0 else ", ") + json_line(hit_json(hit))
    yield "]}"


def _csv_values(hit: Hit) -> tuple[Any, ...]:
    also = json_line([a.doc_id for a in hit.also]) if hit.also else ""  # ids may hold spaces and commas
    day = iso_day(hit.date)
    shown = (hit.metadata.get(name) for name in IN_HITS)
    return (hit.rank, hit.doc_id, hit.score, day, hit.outlet, hit.title, *shown, hit.snippet.marked(), also)


def _trec_id(doc_id: str) -> str:
    """A document id without whitespace, which run files cannot hold."""
    return re.sub(r"[%\s]", lambda m: f"%{ord(m.group()):02X}", doc_id)


def _metadata_lines(
    title: str | None, date: str | None, date_source: str, outlet: str | None, metadata: Metadata
) -> Iterator[str]:
    yield f"title:  {title or '(not found)'}"
    yield f"date:   {date or '(not found)'}" + (f"  [from {date_source}]" if date else "")
    yield f"outlet: {outlet or '(not found)'}"
    for name in NAMES:
        yield f"{name + ':':<7} {metadata.get(name) or '(none)'}"


def _metadata_json(metadata: Metadata) -> dict[str, str | None]:
    """Every field of `search.fields`, null where the document has no value."""
    return {name: metadata.get(name) for name in NAMES}


def article_lines(article: Article, removed: bool = False, quotes: bool = False) -> Iterator[str]:
    yield from _metadata_lines(article.title, article.date_text, article.date_source, article.outlet, article.metadata)
    yield ""
    yield article.body
    if removed:
        yield ""
        yield f"--- removed ({len(article.removed)}) ---"
        for item in article.removed:
            yield f"[{item.why}] {item.text}"
    if quotes:
        yield ""
        yield f"--- quotes ({len(article.quotes)}) ---"
        for quote in article.quotes:
            yield f"[{quote.speaker or 'speaker not found'}] {quote.text}"
        yield f"people: {', '.join(article.people) or '(none)'}"


def article_json(article: Article) -> dict[str, Any]:
    return {
        "title": article.title,
        "date": article.date_text,
        "date_source": article.date_source,
        "outlet": article.outlet,
        **_metadata_json(article.metadata),
        "body": article.body,
        "removed": [item.text for item in article.removed],
        "removed_by": [{"class": item.why, "text": item.text} for item in article.removed],
        "quotes": [{"text": quote.text, "speaker": quote.speaker} for quote in article.quotes],
        "people": list(article.people),
    }


def document_lines(doc: StoredDocument) -> Iterator[str]:
    yield f"id:     {doc.doc_id}"
    yield from _metadata_lines(doc.title, doc.date, doc.date_source, doc.outlet, doc.metadata)
    yield ""
    yield doc.body


def document_json(doc: StoredDocument) -> dict[str, Any]:
    return {
        "id": doc.doc_id,
        "title": doc.title,
        "date": doc.date,
        "date_source": doc.date_source,
        "outlet": doc.outlet,
        **_metadata_json(doc.metadata),
        "body": doc.body,
    }


def stats_lines(stats: Statistics, index_bytes: int) -> Iterator[str]:
    yield f"documents:  {stats.documents}"
    yield f"date span:  {day(stats.first_date)} to {day(stats.last_date)}" if stats.first_date else "date span:  -"
    yield f"index size: {index_bytes / 1_048_576:.1f} MB"
    yield ""
    for name, counts in stats_facets(stats).items():
        yield f"By {name}:"
        yield from (f"  {count:>6}  {value}" for value, count in counts.items())
    if stats.undated:
        yield ""
        yield "Undated (add a sidecar with a date, see docs/rules.md):"
        yield from (f"  {doc_id}" for doc_id in stats.undated)
    if stats.mostly_cut:
        yield ""
        yield "Mostly cut (see why with `search clean FILE --removed`):"
        yield from (f"  {percent:>3} % cut  {doc_id}" for doc_id, percent in stats.mostly_cut.items())


def stats_rows(stats: Statistics) -> Iterator[dict[str, Any]]:
    """A record per value of each facet: outlet, year and those of `search.fields`."""
    for facet, counts in stats_facets(stats).items():
        yield from ({"facet": facet, "value": value, "documents": count} for value, count in counts.items())


def stats_json(stats: Statistics, index_bytes: int) -> dict[str, Any]:
    return {
        "documents": stats.documents,
        "outlets": stats.outlets,
        "years": stats.years,
        "first_date": stats.first_date,
        "last_date": stats.last_date,
        "undated": list(stats.undated),
        "no_outlet": list(stats.no_outlet),
        "mostly_cut": stats.mostly_cut,
        "facets": stats.facets,
        "index_bytes": index_bytes,
    }


def index_report_lines(report: IndexReport) -> Iterator[str]:
    failed = [s for s in report.skipped if s.failed]
    yield (
        f"{'Rebuilt' if report.rebuilt else 'Updated'} the index: {len(report.added)} added, "
        f"{len(report.updated)} updated, {len(report.removed)} removed, {report.unchanged} unchanged, "
        f"{len(report.skipped)} skipped. {report.documents} documents in the index."
    )
    if report.rules_changed:
        yield "The cleaning rules changed: every document was cleaned again."
    if report.merged:
        yield f"Merged {count(report.merged, 'segment')} of the index that earlier writes had left."
    if report.recleaned:
        others = count(len(report.recleaned), "other document")
        yield f"{others} cleaned again (lines repeated in their outlet changed)."
    for item in report.skipped:
        yield f"  skipped {item.doc_id}: {item.reason}"
    if report.undated:
        sidecar = "give one in a sidecar, see docs/rules.md"
        yield f"No date found for {len(report.undated)} ({sidecar}): {_some(report.undated)}"
    if report.no_outlet:
        yield f"No outlet found for {len(report.no_outlet)}: {_some(report.no_outlet)}"
    if report.truncated:
        yield f"Only the first 8 MB indexed of {len(report.truncated)} large file(s): {_some(report.truncated)}"
    if report.repaired:
        yield f"Bad bytes replaced in {len(report.repaired)} UTF-8 file(s): {_some(report.repaired)}"
    if failed:
        yield (
            f"{count(len(failed), 'document')} could not be read, and are not in the index "
            "until they can be; the rest are indexed."
        )


def index_warning_lines(report: IndexReport) -> Iterator[str]:
    """What the user should look at, for the terminal's error stream."""
    if report.unreadable:
        yield f"The index was built again from raw/: {report.unreadable.partition('; ')[0]}."
    if report.mostly_cut:
        yield (
            f"The cleaner removed more than half the words of {count(len(report.mostly_cut), 'document')}: "
            f"{_some(report.mostly_cut)}. See why with `search clean FILE --removed`; "
            "[region] in rules.toml switches the article cut off for an outlet or a folder."
        )


def _some(ids: list[str], shown: int = 10) -> str:
    """The first few ids of a long list; --json gives them all."""
    more = f" … and {len(ids) - shown} more (--json lists them all)" if len(ids) > shown else ""
    return ", ".join(ids[:shown]) + more


def index_report_json(report: IndexReport) -> dict[str, Any]:
    return {
        "added": report.added,
        "updated": report.updated,
        "removed": report.removed,
        "recleaned": report.recleaned,
        "unchanged": report.unchanged,
        "skipped": [{"id": s.doc_id, "reason": s.reason, "failed": s.failed} for s in report.skipped],
        "undated": report.undated,
        "no_outlet": report.no_outlet,
        "truncated": report.truncated,
        "mostly_cut": report.mostly_cut,
        "repaired": report.repaired,
        "documents": report.documents,
        "rules_changed": report.rules_changed,
        "merged": report.merged,
        "unreadable": report.unreadable,
        "rebuilt": report.rebuilt,
    }


def add_report_lines(report: AddReport) -> Iterator[str]:
    yield (
        f"Copied {count(len(report.copied), 'file')} into raw/; "
        f"{count(len(report.already_there), 'was', 'were')} there already."
    )
    for item in report.refused:
        yield f"  not added {item.doc_id}: {item.reason}"
    if report.index:
        yield from index_report_lines(report.index)


def add_report_json(report: AddReport) -> dict[str, Any]:
    return {
        "copied": report.copied,
        "already_there": report.already_there,
        "refused": [{"path": s.doc_id, "reason": s.reason} for s in report.refused],
        "index": index_report_json(report.index) if report.index else None,
    }


def _score_row(label: str, score: Score) -> str:
    return f"{label:<22} {score.precision:>9.3f} {score.recall:>7.3f} {score.f1:>6.3f}"


def evaluation_lines(evaluation: CleanEvaluation, details: bool = False) -> Iterator[str]:
    yield f"{len(evaluation.pages)} pages; token-level scores against the gold text, means over pages"
    yield f"{'':<22} {'precision':>9} {'recall':>7} {'F1':>6}"
    yield _score_row("HTML path", evaluation.mean("html"))
    for path, label in DUMP_SHAPES.items():
        yield _score_row(label, evaluation.mean(path))
    yield _score_row("whole-page text", evaluation.mean("baseline"))
    if evaluation.reference:
        yield _score_row(evaluation.reference, evaluation.mean("reference")) + "  (reference, same run)"
    yield f"HTML path speed: {evaluation.pages_per_second:.0f} pages/s on one core"
    if details:
        yield ""
        yield f"{'page':<12} {'site':<28} {'P':>5} {'R':>5} {'F1':>5} {'dump F1':>7} {'wrapped':>7} {'tight':>5}"
        for page in sorted(evaluation.pages, key=lambda p: p.html.f1):
            html = page.html
            yield (
                f"{page.page[:12]:<12} {page.site[:28]:<28} {html.precision:>5.2f} {html.recall:>5.2f} "
                f"{html.f1:>5.2f} {page.text_dump.f1:>7.2f} {page.wrapped.f1:>7.2f} {page.wrapped_tight.f1:>5.2f}"
            )


DUMP_SHAPES = {
    "text_dump": "text-dump path",
    "wrapped": "  wrapped at 72",
    "wrapped_tight": "  wrapped, no blanks",
}
"""The shapes of a page's text file scored by the evaluation, as labelled."""


def filed_lines(filed: FiledEvaluation) -> Iterator[str]:
    yield f"{filed.articles} articles filed hard-wrapped, cleaned as one outlet's archive:"
    for name, shape in filed.shapes.items():
        worst = ", ".join(f"{doc_id} {recall:.2f}" for doc_id, recall in shape.worst)
        yield f"  {name}: word recall {shape.recall:.3f}, titles {shape.titles:.1%}; kept least: {worst}"


def filed_json(filed: FiledEvaluation) -> dict[str, Any]:
    return {
        "articles": filed.articles,
        "shapes": {
            name: {"recall": round(shape.recall, 4), "titles": round(shape.titles, 4), "worst": dict(shape.worst)}
            for name, shape in filed.shapes.items()
        },
    }


def evaluation_json(evaluation: CleanEvaluation, details: bool = False) -> dict[str, Any]:
    def scores(path: str) -> dict[str, float]:
        mean = evaluation.mean(path)
        return {"precision": round(mean.precision, 4), "recall": round(mean.recall, 4), "f1": round(mean.f1, 4)}

    data: dict[str, Any] = {"pages": len(evaluation.pages), **scores("html")}
    data["baseline"] = scores("baseline")
    for path in DUMP_SHAPES:
        data[path] = scores(path)
    data["pages_per_second"] = round(evaluation.pages_per_second, 1)
    if evaluation.reference:
        data["reference"] = {"name": evaluation.reference, **scores("reference")}
    if details:
        data["details"] = [
            {"page": p.page, "site": p.site, "precision": p.html.precision, "recall": p.html.recall,
             "f1": p.html.f1, "text_dump_f1": p.text_dump.f1, "wrapped_f1": p.wrapped.f1,
             "wrapped_tight_f1": p.wrapped_tight.f1}
            for p in evaluation.pages
        ]  # fmt: skip
    return data


def relevance_lines(scores: RelevanceScores) -> Iterator[str]:
    yield f"{scores.queries} judged queries"
    yield f"nDCG@10     {scores.ndcg_at_10:.3f}"
    yield f"MAP         {scores.map:.3f}"
    yield f"Recall@100  {scores.recall_at_100:.3f}"
    yield f"MRR         {scores.mrr:.3f}"


def relevance_json(scores: RelevanceScores) -> dict[str, Any]:
    return {
        "queries": scores.queries,
        "ndcg@10": round(scores.ndcg_at_10, 4),
        "map": round(scores.map, 4),
        "recall@100": round(scores.recall_at_100, 4),
        "mrr": round(scores.mrr, 4),
    }
