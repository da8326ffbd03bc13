"""Datelines in text, dates in metadata, and dates as users type them."""

from __future__ import annotations

import contextlib
from datetime import date, datetime, timedelta

import pytest
from dateutil import parser as dateparser
from hypothesis import given
from hypothesis import strategies as st

from search.text.dates import dateline, parse_date, parse_period


@pytest.mark.parametrize(
    ("line", "iso", "rest"),
    [
        ("10.09.2020. - 11:34", "2020-09-10T11:34:00", ""),
        ("Belgarde, 10th September 2020", "2020-09-10", ""),
        ("3rd February 2021", "2021-02-03", ""),
        ("date 2024-10-20 The President spoke.", "2024-10-20", "The President spoke."),
        ("Published: March 3, 2021 at 10:15 am", "2021-03-03T10:15:00", ""),
        ("04.03.2021", "2021-03-04", ""),
        ("On 5 May 2022", "2022-05-05", ""),
    ],
)
def test_datelines(line: str, iso: str, rest: str) -> None:
    found = dateline(line)
    assert found is not None and (found[0].text, found[1]) == (iso, rest)


@pytest.mark.parametrize(
    "line",
    [
        "He said on 3 February 2021 that talks would go on.",
        "On 3 February 2021 the two presidents spoke by phone.",
        "31.02.2021",
        "Serbia 2021",
        "1244",
    ],
)
def test_not_datelines(line: str) -> None:
    assert dateline(line) is None


def when(text: str) -> datetime | None:
    found = parse_date(text)
    return found.when if found else None


def test_numeric_dates_are_day_first_unless_iso() -> None:
    assert when("03/04/2021") == datetime(2021, 4, 3)
    assert when("2021-03-04") == datetime(2021, 3, 4)


def test_timezones_are_kept_in_the_text_and_normalised_to_utc() -> None:
    found = parse_date("2022-06-14T08:30:00+06:00")
    assert found is not None and (found.when, found.text) == (datetime(2022, 6, 14, 2, 30), "2022-06-14T08:30:00+06:00")


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2021", datetime(2021, 1, 1), datetime(2021, 12, 31, 23, 59, 59, 999999)),
        ("2021-02", datetime(2021, 2, 1), datetime(2021, 2, 28, 23, 59, 59, 999999)),
        ("Feb 2021", datetime(2021, 2, 1), datetime(2021, 2, 28, 23, 59, 59, 999999)),
        ("february 2024", datetime(2024, 2, 1), datetime(2024, 2, 29, 23, 59, 59, 999999)),
        ("3 February 2021", datetime(2021, 2, 3), datetime(2021, 2, 3, 23, 59, 59, 999999)),
        ("2021-02-03", datetime(2021, 2, 3), datetime(2021, 2, 3, 23, 59, 59, 999999)),
    ],
)
def test_periods_people_type(text: str, start: datetime, end: datetime) -> None:
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text", ["banana", "2021-13", "31 February 2021", "Feb", "99999", ""])
def test_bad_periods_raise_value_error_with_the_forms_to_use(text: str) -> None:
    with pytest.raises(ValueError):
        parse_period(text)


@given(st.text(max_size=60))
def test_date_parsing_never_crashes(text: str) -> None:
    dateline(text)
    parse_date(text)
    with contextlib.suppress(ValueError):
        parse_period(text)


def test_common_written_forms_read_the_same_as_dateutil_reads_them() -> None:
    day = date(1999, 1, 1)
    while day < date(2001, 3, 1):
        for text in (
            f"{day:%B} {day.day}, {day.year}",
            f"{day.day} {day:%b} {day.year}",
            f"{day.day} {day:%B} {day.year}",
        ):
            found = parse_date(text)
            assert found is not None and found.when == dateparser.parse(text), text
        day += timedelta(days=7)
