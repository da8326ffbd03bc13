"""Attention over time: how many matching documents each period has.

A raw count rises when an outlet publishes more of everything; the share of
what the outlet (or the archive) published in the period shows attention
instead (Media Cloud's "normalised" attention). Periods with no match are
kept, so a silence shows as a gap, and undated matches are counted apart.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from ..engine import Published
from ..errors import QueryError
from ..text.dates import UNITS

MAX_AUTO_PERIODS = 60
"""`auto` picks the finest unit that gives at most this many periods."""
NO_OUTLET = None


@dataclass(frozen=True)
class Bucket:
    """One period of a timeline and its counts (a date histogram's bucket,
    as Elasticsearch calls it; `dates.Period` is a span of dates a user typed)."""

    start: date
    label: str
    count: int
    """Matching documents."""
    published: int
    """Documents of the archive (of the outlets matching, split by outlet) in the period."""
    outlets: dict[str | None, int]
    """Matching documents by outlet (None: no outlet), when split by outlet."""
    published_by_outlet: dict[str | None, int]

    @property
    def share(self) -> float:
        return self.count / self.published if self.published else 0.0

    def outlet_share(self, outlet: str | None) -> float:
        published = self.published_by_outlet.get(outlet, 0)
        return self.outlets.get(outlet, 0) / published if published else 0.0


class Timeline(NamedTuple):
    unit: str
    by_outlet: bool
    periods: tuple[Bucket, ...]
    outlets: tuple[str | None, ...]
    """The outlets with matches, most first, when split by outlet."""
    total: int
    undated: int


def start_of(day: date, unit: str) -> date:
    """The first day of the period of `unit` holding `day` (weeks start on Monday)."""
    if unit == "day":
        return day
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def following(start: date, unit: str) -> date:
    """The first day of the next period."""
    if unit == "day":
        return start + timedelta(days=1)
    if unit == "week":
        return start + timedelta(days=7)
    if unit == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return date(start.year + 1, 1, 1)


def label(start: date, unit: str) -> str:
    if unit == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return start.isoformat()[: {"day": 10, "month": 7, "year": 4}[unit]]


def _periods(first: date, last: date, unit: str) -> list[date]:
    starts, start = [], start_of(first, unit)
    while start <= last:
        starts.append(start)
        start = following(start, unit)
    return starts


def choose_unit(first: date, last: date) -> str:
    """The finest unit giving at most MAX_AUTO_PERIODS periods from `first` to `last`."""
    for unit in UNITS[:-1]:
        if len(_periods(first, last, unit)) <= MAX_AUTO_PERIODS:
            return unit
    return "year"


def timeline(
    matches: Published,
    published: Published,
    unit: str = "auto",
    by_outlet: bool = False,
    span: tuple[date | None, date | None] = (None, None),
) -> Timeline:
    """Count `matches` per period from the first to the last date (`span`
    fixes either end), against what the archive (or the outlets a request
    names) `published`."""
    if unit not in (*UNITS, "auto"):
        raise QueryError(f"unknown period {unit!r}; use auto, {', '.join(UNITS)}")
    dated: Published = [(day, outlet) for day, outlet in matches if day is not None]
    days = [day for day, _ in dated if day is not None]
    first = span[0] or min(days, default=None)
    last = span[1] or max(days, default=None)
    if first is None or last is None:
        return Timeline(unit, by_outlet, (), (), len(matches), len(matches))
    unit = choose_unit(first, last) if unit == "auto" else unit
    found = _counted(dated, unit, by_outlet, (first, last), within=False)
    in_span = _counted(published, unit, by_outlet, (first, last), within=True)
    outlets = tuple(name for name, _ in _totals(found).most_common()) if by_outlet else ()
    in_all: Counter[date] = Counter()
    for (start, _), count in in_span.items():
        in_all[start] += count
    periods = tuple(
        _period(start, unit, found, (in_span, in_all[start]), outlets) for start in _periods(first, last, unit)
    )
    return Timeline(unit, by_outlet, periods, outlets, len(matches), len(matches) - len(dated))


def _counted(
    documents: Published, unit: str, by_outlet: bool, span: tuple[date, date], within: bool
) -> Counter[tuple[date, str | None]]:
    """Documents per period (and outlet, when split); with `within`, only
    those dated within the span."""
    counted: Counter[tuple[date, str | None]] = Counter()
    low, high = span
    for day, outlet in documents:
        if day is not None and (not within or low <= day <= high):
            counted[start_of(day, unit), outlet if by_outlet else NO_OUTLET] += 1
    return counted


def _totals(found: Counter[tuple[date, str | None]]) -> Counter[str | None]:
    totals: Counter[str | None] = Counter()
    for (_, outlet), count in found.items():
        totals[outlet] += count
    return totals


def _period(
    start: date,
    unit: str,
    found: Counter[tuple[date, str | None]],
    published: tuple[Counter[tuple[date, str | None]], int],
    outlets: tuple[str | None, ...],
) -> Bucket:
    """One row: `published` is the count by period and outlet, and this period's in all."""
    keys = outlets or (NO_OUTLET,)
    by_outlet = {outlet: found[start, outlet] for outlet in keys}
    published_by = {outlet: published[0][start, outlet] for outlet in keys}
    return Bucket(
        start=start,
        label=label(start, unit),
        count=sum(by_outlet.values()),
        published=published[1],
        outlets=by_outlet if outlets else {},
        published_by_outlet=published_by if outlets else {},
    )
