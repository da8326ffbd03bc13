"""Explorations of a result set as text and JSON: timelines, stories, significant
terms, saved searches. Pure functions, as in results.py."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from .results import Mark, day, hit_json, hit_lines, plain_mark

if TYPE_CHECKING:
    from ..explore.terms import Characterisation, Significant
    from ..explore.timeline import Bucket, Timeline
    from ..explore.watches import Watch, WatchRun
    from ..model import Member

BAR_WIDTH = 40
OUTLET_WIDTH = 24
"""Outlet names longer than this are cut in charts."""
_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(value: float, most: float, width: int = BAR_WIDTH) -> str:
    """A horizontal bar of `value` against `most`, to an eighth of a character."""
    eighths = round(value / most * width * 8) if most else 0
    full, part = divmod(eighths, 8)
    return ("█" * full + (_EIGHTHS[part] if part else "")).ljust(width)


def _value(count: int, published: int, share: bool) -> str:
    return f"{count:>5} of {published:<5} {count / published if published else 0:6.1%}" if share else f"{count:>5}"


def timeline_lines(timeline: Timeline, query: str, share: bool = False) -> Iterator[str]:
    what = "share of what was published" if share else "matching documents"
    yield f"{what.capitalize()} for {query or 'everything'!r} by {timeline.unit}: {timeline.total} matches"
    if not timeline.periods:
        yield "No dated matches."
    names = {outlet: (outlet or "(no outlet)")[:OUTLET_WIDTH] for outlet in timeline.outlets}
    width = max([10, *(len(name) + 2 for name in names.values())])

    def measure(period: Bucket, outlet: str | None = None, whole: bool = True) -> float:
        """What a bar shows: a count or a share, of the period or of one outlet in it."""
        if whole:
            return period.share if share else period.count
        return period.outlet_share(outlet) if share else period.outlets.get(outlet, 0)

    most = max(
        [measure(p) for p in timeline.periods] + [measure(p, o, False) for p in timeline.periods for o in names],
        default=0,
    )
    for period in timeline.periods:
        yield f"{period.label:<{width}} {bar(measure(period), most)} {_value(period.count, period.published, share)}"
        for outlet, name in names.items():
            count = period.outlets.get(outlet, 0)
            if count:
                value = _value(count, period.published_by_outlet.get(outlet, 0), share)
                yield f"  {name:<{width - 2}} {bar(measure(period, outlet, False), most)} {value}"
    if timeline.undated:
        yield f"Undated matches (not shown above): {timeline.undated}"


def timeline_json(timeline: Timeline, query: str) -> dict[str, Any]:
    def row(period: Bucket) -> dict[str, Any]:
        data: dict[str, Any] = {
            "period": period.label,
            "start": period.start.isoformat(),
            "count": period.count,
            "published": period.published,
            "share": round(period.share, 6),
        }
        if timeline.outlets:
            data["outlets"] = {
                outlet or "": {
                    "count": period.outlets.get(outlet, 0),
                    "published": period.published_by_outlet.get(outlet, 0),
                    "share": round(period.outlet_share(outlet), 6),
                }
                for outlet in timeline.outlets
            }
        return data

    return {
        "query": query,
        "unit": timeline.unit,
        "total": timeline.total,
        "undated": timeline.undated,
        "periods": [row(period) for period in timeline.periods],
    }


def timeline_rows(timeline: Timeline) -> Iterator[dict[str, Any]]:
    """A record per period (and outlet, when split); undated matches in a last one."""
    for period in timeline.periods:
        if not timeline.outlets:
            yield _timeline_row(period.label, period.start, None, period.count, period.published, period.share)
        for outlet in timeline.outlets:
            count, published = period.outlets.get(outlet, 0), period.published_by_outlet.get(outlet, 0)
            yield _timeline_row(period.label, period.start, outlet, count, published, period.outlet_share(outlet))
    if timeline.undated:
        yield _timeline_row("undated", None, None, timeline.undated, None, None)


def _timeline_row(
    label: str, start: date | None, outlet: str | None, count: int, published: int | None, share: float | None
) -> dict[str, Any]:
    when = start.isoformat() if start else None
    shown = round(share, 6) if share is not None else None
    return {"period": label, "start": when, "outlet": outlet, "count": count, "published": published, "share": shown}


def story_lines(doc_id: str, members: list[Member]) -> Iterator[str]:
    outlets = {m.outlet for m in members}
    dates = [m.date for m in members if m.date]
    span = f", {day(dates[0])} to {day(dates[-1])}" if dates else ""
    yield f"Story of {doc_id}: {len(members)} documents in {len(outlets)} outlets{span}"
    if len(members) == 1:
        yield "No other document shares enough of its text."
    width = max(len(m.outlet or "(no outlet)") for m in members)
    for member in members:
        yield ""
        lag = _lag(dates[0], member.date) if dates else ""
        this = "   (this one)" if member.doc_id == doc_id else ""
        yield (
            f"  {day(member.date)}  {lag:<8} {(member.outlet or '(no outlet)'):<{width}}  "
            f"{member.similarity:4.2f}  {member.doc_id}{this}"
        )
        yield f"  {'':<10}  {'':<8} {member.title or '(no title)'}"


def _lag(first: str, when: str | None) -> str:
    """How much later than the first a document came out: 'first', '+2 days', '+5 h'."""
    if when is None:
        return "undated"
    gap = datetime.fromisoformat(when) - datetime.fromisoformat(first)
    if gap.total_seconds() <= 0:
        return "first"
    if gap.days == 0 and "T" in when and "T" in first:
        return f"+{gap.seconds // 3600} h"
    return f"+{max(gap.days, 1)} day" + ("s" if gap.days > 1 else "")


def story_json(doc_id: str, members: list[Member]) -> dict[str, Any]:
    return {"id": doc_id, "documents": story_rows(members)}


def story_rows(members: list[Member]) -> list[dict[str, Any]]:
    """A record per document of the story, oldest first, with how much later it came."""
    dates = [m.date for m in members if m.date]
    return [
        {
            "id": m.doc_id,
            "date": m.date,
            "outlet": m.outlet,
            "title": m.title,
            "similarity": m.similarity,
            "lag": _lag(dates[0], m.date) if dates else None,
        }
        for m in members
    ]


def terms_lines(found: Characterisation, query: str) -> Iterator[str]:
    yield (
        f"What sets apart {query or 'everything'!r}: the best {found.sample} of {found.total} matches "
        f"against all {found.documents} documents"
    )
    for heading, rows in (("Names", found.names), ("Terms", found.terms)):
        yield ""
        yield f"{heading:<34} {'in matches':>10} {'in archive':>10} {'score':>7}"
        if not rows:
            yield "  (none stands out)"
        yield from (_term_row(row) for row in rows)


def _term_row(row: Significant) -> str:
    return f"  {row.text[:32]:<32} {row.sample:>10} {row.archive:>10} {row.score:>7.3f}"


def terms_json(found: Characterisation, query: str) -> dict[str, Any]:
    return {
        "query": query,
        "total": found.total,
        "sample": found.sample,
        "documents": found.documents,
        "names": [_significant(row) for row in found.names],
        "terms": [_significant(row) for row in found.terms],
    }


def terms_rows(found: Characterisation) -> Iterator[dict[str, Any]]:
    """A record per name, then per term, each with its kind."""
    for kind, rows in (("name", found.names), ("term", found.terms)):
        yield from ({"kind": kind, **_significant(row)} for row in rows)


def _significant(row: Significant) -> dict[str, Any]:
    return {"text": row.text, "in_matches": row.sample, "in_archive": row.archive, "score": row.score}


def describe(watch: Watch) -> str:
    """A saved search as one would type it."""
    parts = [watch.query or "(everything)"]
    parts += [f"--from {watch.date_from}"] if watch.date_from else []
    parts += [f"--to {watch.date_to}"] if watch.date_to else []
    parts += [f"--outlet {outlet!r}" for outlet in watch.outlets]
    parts += [f"--{name} {value!r}" for name, values in watch.filters for value in values]
    return " ".join(parts)


def watch_added_lines(run: WatchRun) -> Iterator[str]:
    name = run.watch.name
    yield f"Saved {name!r}: {describe(run.watch)}. {run.total} documents match now."
    yield f"`search watch run {name}` lists the documents added or changed after this."


def watch_run_lines(runs: list[WatchRun], mark: Mark = plain_mark) -> Iterator[str]:
    if not runs:
        yield "No saved searches; add one with `search watch add NAME WORDS...`."
    for run in runs:
        since = f"since {run.since}" if run.since else "ever"
        yield f"{run.watch.name}: {len(run.new)} new {since} ({run.total} match {describe(run.watch)})"
        for hit in run.new:
            yield ""
            yield from hit_lines(hit, mark)
        yield ""


def watch_run_json(runs: list[WatchRun]) -> list[dict[str, Any]]:
    return [
        {"name": r.watch.name, "since": r.since, "total": r.total, "new": [hit_json(hit) for hit in r.new]}
        for r in runs
    ]


def watch_added_json(run: WatchRun) -> dict[str, Any]:
    return watch_json(run.watch) | {"total": run.total}


def watch_removed_lines(watch: Watch) -> Iterator[str]:
    yield f"Removed the saved search {watch.name!r}."


def watch_list_json(watches: list[Watch]) -> list[dict[str, Any]]:
    return [watch_json(watch) for watch in watches]


def watch_run_rows(runs: list[WatchRun]) -> Iterator[dict[str, Any]]:
    """A record per new document, with the saved search that found it."""
    return ({"watch": run.watch.name, **hit_json(hit)} for run in runs for hit in run.new)


def watch_list_lines(watches: list[Watch]) -> Iterator[str]:
    if not watches:
        yield "No saved searches; add one with `search watch add NAME WORDS...`."
    for watch in watches:
        yield f"{watch.name:<20} {describe(watch)}"
        yield f"{'':<20} last run {watch.last_run or 'never'}, {watch.matched} matched"


def watch_json(watch: Watch) -> dict[str, Any]:
    return {
        "name": watch.name,
        "query": watch.query,
        "from": watch.date_from,
        "to": watch.date_to,
        "outlets": list(watch.outlets),
        "filters": {name: list(values) for name, values in watch.filters},
        "created": watch.created,
        "last_run": watch.last_run,
        "generation": watch.generation,
        "matched": watch.matched,
    }
