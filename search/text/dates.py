"""Dates as news pages write them and as people type them.

Two jobs: find a publication date in a line of text (a dateline) or in a
metadata value, and turn a user's `--from`/`--to` into the period it names.
Numeric dates are read day first ("10.09.2020" is 10 September) unless they
are ISO 8601 ("2020-09-10").
"""

from __future__ import annotations

import calendar
import re
import warnings
from datetime import UTC, date, datetime, time
from typing import NamedTuple

EARLIEST_YEAR, LATEST_YEAR = 1800, 2200
UNITS = ("day", "week", "month", "year")
"""The periods a timeline counts by."""

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_TIME = r"(?:\s*[-–—,|]?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?)?"
_ISO = r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_DATE = (
    rf"(?:{_ISO}"
    rf"|\d{{1,2}}[./]\d{{1,2}}[./]\d{{4}}\.?{_TIME}"
    rf"|{_DAY}\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}{_TIME}"
    rf"|{_MONTH}\s+{_DAY},?\s+\d{{4}}{_TIME})"
)
_LABEL = r"(?:date|dated|published|posted|updated|last updated)\s*:?\s*"
_PLACE = r"(?:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}\s*,\s*)"
# A line that is nothing but a dateline: "Belgrade, 10th September 2020".
_WHOLE = rf"^\W*{_PLACE}?(?:{_LABEL}|on\s+)?(?P<date>{_DATE})\W*$"
# A line that opens with a labelled date and goes on: "date 2024-10-20 The ...".
_LEADING = rf"^\W*{_LABEL}(?P<date>{_DATE})\s+(?P<rest>\S.*)$"


_YEAR_IN = re.compile(r"\d{4}")


class Found(NamedTuple):
    """A date found in text, with what it was written as."""

    when: datetime
    text: str


def dateline(line: str) -> tuple[Found, str] | None:
    """The date a dateline gives, and what is left of the line once it is taken.

    "10.09.2020. - 11:34" gives the date and an empty rest; "date 2024-10-20
    The President ..." gives the date and "The President ...". A line that
    merely mentions a date in a sentence is not a dateline.
    """
    if not _YEAR_IN.search(line):  # every form below has a four-digit year
        return None
    match = re.match(_WHOLE, line, re.IGNORECASE)  # compiled on first use, cached by re
    rest = ""
    if not match:
        match = re.match(_LEADING, line, re.IGNORECASE)
        if not match:
            return None
        rest = match["rest"]
    found = parse_date(match["date"])
    return (found, rest) if found else None


def parse_date(text: str) -> Found | None:
    """A timezone-naive UTC datetime for a date as found in a page, or None."""
    cleaned = text.strip().rstrip(".")
    try:
        when = _parse(cleaned)
    except (ValueError, OverflowError):
        return None
    if not EARLIEST_YEAR <= when.year <= LATEST_YEAR:
        return None
    has_time = re.search(r"\d:\d{2}", cleaned) is not None
    written = when.isoformat() if has_time else when.date().isoformat()
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return Found(when, written)


def _parse(text: str) -> datetime:
    """Parse a complete date; a date missing its day or year is not one."""
    if re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return datetime.fromisoformat(text)
    text = re.sub(r"(?<=\d)\.(?=\s|$)|\s[-–—|]\s|(?<=\d)(st|nd|rd|th)\b", " ", text)
    plain = re.match(_DAY_MONTH_YEAR, text, re.IGNORECASE) or re.match(_MONTH_DAY_YEAR, text, re.IGNORECASE)
    if plain:  # the commonest forms, read without dateutil's cost
        return datetime(int(plain["year"]), _MONTHS.index(plain["month"][:3].lower()) + 1, int(plain["day"]))
    from dateutil import parser as dateparser  # only here: a query with common dates starts faster

    # dateutil fills missing fields from `default`: two defaults expose them.
    # A zone name it does not know would reach the user's terminal as a
    # warning (UnknownTimezoneWarning): the date is then read without it.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dateparser.UnknownTimezoneWarning)
        first: datetime = dateparser.parse(text, dayfirst=True, default=datetime(2000, 1, 1), tzinfos=ZONES)
        second = dateparser.parse(text, dayfirst=True, default=datetime(2001, 2, 2), tzinfos=ZONES)
    if first != second:
        raise ValueError(f"{text!r} is not a complete date")
    return first


ZONES = {
    name: hours * 3600
    for name, hours in {
        "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 1, "IST": 1, "WEST": 1, "CET": 1, "CEST": 2, "EET": 2,
        "EEST": 3, "MSK": 3, "MSD": 4, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
        "PST": -8, "PDT": -7, "AKST": -9, "AKDT": -8, "HST": -10, "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11,
    }.items()
}  # fmt: skip
"""Zone names news pages write, as offsets from UTC in seconds (dateutil
knows only UTC and the machine's own; "IST" is Irish here, not Indian)."""

_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
# The patterns of named months are compiled on first use (and cached by re):
# compiling them costs a query with no date a few milliseconds of its start.
_DAY_MONTH_YEAR = rf"^(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH})\s+(?P<year>\d{{4}})$"
_MONTH_DAY_YEAR = rf"^(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})$"


class Period(NamedTuple):
    """An inclusive span of time named by one expression such as "Feb 2021":
    to its last microsecond, since a page's time may have fractions of a second."""

    start: datetime
    end: datetime
    text: str = ""
    """The expression, as typed: saved searches keep it to work out again."""


_YEAR = re.compile(r"^\d{4}$")
_YEAR_MONTH = re.compile(r"^(?:(?P<y1>\d{4})[-/.](?P<m1>\d{1,2})|(?P<m2>\d{1,2})[-/.](?P<y2>\d{4}))$")
_MONTH_YEAR = rf"^(?:(?P<m1>{_MONTH})\s+(?P<y1>\d{{4}})|(?P<y2>\d{{4}})\s+(?P<m2>{_MONTH}))$"


def parse_period(text: str) -> Period:
    """The period a user means by `2021`, `2021-02`, `Feb 2021` or `3 February 2021`.

    Raises ValueError with a message fit for the user when it is not a date.
    """
    text = " ".join(text.split())
    if _YEAR.match(text):
        year = _check_year(int(text))
        return Period(datetime(year, 1, 1), datetime.combine(date(year, 12, 31), time.max), text)
    year_month = _year_month(text)
    if year_month:
        year, month = year_month
        last = calendar.monthrange(year, month)[1]
        return Period(datetime(year, month, 1), datetime.combine(date(year, month, last), time.max), text)
    found = parse_date(text)
    if found is None:
        raise ValueError(
            f"{text!r} is not a date; use forms like 2021, 2021-02, Feb 2021, 3 February 2021 or 2021-02-03"
        )
    day = found.when.date()
    return Period(datetime.combine(day, time.min), datetime.combine(day, time.max), text)


def _year_month(text: str) -> tuple[int, int] | None:
    numeric = _YEAR_MONTH.match(text)
    if numeric:
        month = int(numeric["m1"] or numeric["m2"])
        if not 1 <= month <= 12:
            raise ValueError(f"{text!r}: there is no month {month}")
        return _check_year(int(numeric["y1"] or numeric["y2"])), month
    named = re.match(_MONTH_YEAR, text, re.IGNORECASE)
    if named:
        name = named["m1"] or named["m2"]
        month = _MONTHS.index(name[:3].lower()) + 1
        return _check_year(int(named["y1"] or named["y2"])), month
    return None


def _check_year(year: int) -> int:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ValueError(f"year {year} is out of range ({EARLIEST_YEAR}-{LATEST_YEAR})")
    return year
