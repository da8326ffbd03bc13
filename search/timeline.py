"""Attention over time: how many matching documents each period has.

A raw count rises when an outlet publishes more of everything; the share of
what the outlet (or the archive) published in the period shows attention
instead (Media Cloud's "normalised" attention). Periods with no match are
kept, so a silence shows as a gap, and undated matches are counted apart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from .columns import Columns
from .dates import UNITS
from .errors import QueryError

MAX_AUTO_PERIODS = 60
"""`auto` picks the finest unit that gives at most this many periods."""
NO_OUTLET = None

OutletOf = Callable[[int], str | None]


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


@dataclass(frozen=True)
class Timeline:
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
    columns: Columns,
    matches: Iterable[int],
    unit: str = "auto",
    by_outlet: bool = False,
    span: tuple[date | None, date | None] = (None, None),
    universe: Iterable[int] | None = None,
) -> Timeline:
    """Count `matches` per period from the first to the last date (`span`
    fixes either end), against what the archive published: all of it, or the
    `universe` of documents (those of the outlets a request names)."""
    if unit not in (*UNITS, "auto"):
        raise QueryError(f"unknown period {unit!r}; use auto, {', '.join(UNITS)}")
    all_days = columns.days
    days = {n: all_days[n] for n in matches}
    dated = {n: day for n, day in days.items() if day is not None}
    first = span[0] or min(dated.values(), default=None)
    last = span[1] or max(dated.values(), default=None)
    if first is None or last is None:
        return Timeline(unit, by_outlet, (), (), len(days), len(days))
    unit = choose_unit(first, last) if unit == "auto" else unit
    outlet_of = _outlet_reader(columns, by_outlet)
    found = Counter((start_of(day, unit), outlet_of(n)) for n, day in dated.items())
    published = _published(columns, columns.live if universe is None else universe, unit, outlet_of, (first, last))
    outlets = tuple(name for name, _ in _totals(found).most_common()) if by_outlet else ()
    in_all: Counter[date] = Counter()
    for (start, _), count in published.items():
        in_all[start] += count
    periods = tuple(
        _period(start, unit, found, (published, in_all[start]), outlets) for start in _periods(first, last, unit)
    )
    return Timeline(unit, by_outlet, periods, outlets, len(days), len(days) - len(dated))


def _outlet_reader(columns: Columns, by_outlet: bool) -> OutletOf:
    if not by_outlet:
        return lambda n: NO_OUTLET
    outlets = columns.outlets
    return lambda n: outlets[n].decode("utf-8") or NO_OUTLET


def _published(
    columns: Columns, documents: Iterable[int], unit: str, outlet_of: OutletOf, span: tuple[date, date]
) -> Counter[tuple[date, str | None]]:
    """Documents per period (and outlet, when split) within the span."""
    published: Counter[tuple[date, str | None]] = Counter()
    days = columns.days
    for n in documents:
        day = days[n]
        if day is not None and span[0] <= day <= span[1]:
            published[start_of(day, unit), outlet_of(n)] += 1
    return published


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
