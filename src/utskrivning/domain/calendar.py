"""The Swedish calendar the agreements count in: working days, ready days, major holidays.

Datetimes here are naive wall-clock times in Europe/Stockholm: the episode reader converts every
input to that, because the agreements count local dates ("före kl. 14:00", "vardagar").
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo

import polars as pl

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# The years any time from outside may fall in (files, URLs, filters): wide enough for every
# agreement, narrow enough that a year either way, or a stay's every day, fits what `date` and
# Polars can count (year 9999 overflowed, year 0 is no `date`).
FIRST_YEAR, LAST_YEAR = 2000, 2100

Counting = Literal["calendar", "weekdays"]

_ONE_DAY = timedelta(days=1)


def _easter_sunday(year: int) -> date:
    """Gregorian Easter (Meeus/Jones/Butcher); the storhelg spans from it."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_shift) // 451
    month, day = divmod(h + weekday_shift - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _midsummer_eve(year: int) -> date:
    """The Friday between 19 and 25 June (midsommardagen is the Saturday after)."""
    first = date(year, 6, 19)
    return first + timedelta(days=(4 - first.weekday()) % 7)


@cache
def _non_working_holidays(year: int) -> frozenset[date]:
    """Sweden's public holidays (lag 1989:253) and the eves the agreements' "vardagar" exclude.

    Worked out here rather than taken from the holidays package, whose import loads every
    country's calendar: 0.4 s of each `utskrivning payment` run. tests/domain/test_calendar.py
    holds the two to the same days for every year the project counts in.
    """
    easter = _easter_sunday(year)
    midsummer_eve = _midsummer_eve(year)
    october_31 = date(year, 10, 31)
    moving = [easter + timedelta(days=n) for n in (-2, 0, 1, 39, 49)]  # to Pentecost
    # Whit Monday was a public holiday until 2004; the National Day took its place in 2005.
    whit_monday_or_national_day = date(year, 6, 6) if year >= 2005 else easter + timedelta(50)
    return frozenset(
        {
            date(year, 1, 1),
            date(year, 1, 6),
            date(year, 5, 1),
            *moving,
            whit_monday_or_national_day,
            midsummer_eve + _ONE_DAY,  # midsommardagen
            october_31 + timedelta(days=(5 - october_31.weekday()) % 7),  # alla helgons dag
            date(year, 12, 25),
            date(year, 12, 26),
            # Not public holidays in law, but days off in practice: the agreements' weekdays
            # leave them out too.
            midsummer_eve,
            date(year, 12, 24),
            date(year, 12, 31),
        }
    )


def is_working_day(d: date) -> bool:
    return d.weekday() < 5 and d not in _non_working_holidays(d.year)


def non_working_days(start: date, end: date) -> list[date]:
    """Holidays and eves falling on Monday–Friday in `start`..`end` inclusive.

    The list Polars' `business_day_count(..., holidays=...)` needs: weekends it knows already.
    """
    return sorted(
        d
        for year in range(start.year, end.year + 1)
        for d in _non_working_holidays(year)
        if start <= d <= end and d.weekday() < 5
    )


def count_working_days(start: date, end_exclusive: date) -> int:
    days = (end_exclusive - start).days
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    weekdays = weeks * 5 + sum((start.weekday() + i) % 7 < 5 for i in range(rest))
    return weekdays - len(non_working_days(start, end_exclusive - _ONE_DAY))


def ready_day_one(ready_at: datetime, cutoff: time | None, day_after: bool = False) -> date:
    """Day 1 of the ready-day count (payment-rules.md, "Start day").

    `day_after` is the law_default reading where counting starts the day after the notification.
    """
    day = ready_at.date()
    if day_after:
        return day + _ONE_DAY
    # Assumption: a notification at exactly the cut-off (14:00:00) counts as after it. Dalarna says
    # "före kl. 14:00" for the same day, and 14:00 is not before 14:00.
    if cutoff is not None and ready_at.time() >= cutoff:
        return day + _ONE_DAY
    return day


def count_ready_days(
    ready_at: datetime,
    discharged_at: datetime,
    *,
    cutoff: time | None,
    counting: Counting,
    day_after: bool = False,
) -> int:
    """Days from day 1 up to, not including, the discharge date; 0 for day zero and earlier."""
    first = ready_day_one(ready_at, cutoff, day_after)
    end = discharged_at.date()
    if counting == "calendar":
        return max(0, (end - first).days)
    return count_working_days(first, end)


def major_holiday_dates(year: int) -> set[date]:
    """Storhelg (payment-rules.md): Christmas, New Year, Easter and Midsummer of `year`."""
    easter = _easter_sunday(year)
    midsummer_eve = _midsummer_eve(year)
    return {
        date(year, 1, 1),
        *(easter + timedelta(days=n) for n in range(-3, 2)),
        midsummer_eve,
        midsummer_eve + _ONE_DAY,
        date(year, 12, 24),
        date(year, 12, 25),
        date(year, 12, 26),
        date(year, 12, 31),
    }


def to_local_naive(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        return dt
    return dt.astimezone(STOCKHOLM).replace(tzinfo=None)


def is_nonexistent_local(dt: datetime) -> bool:
    """True inside the spring-forward gap (e.g. 2020-03-29 02:30), which no clock ever showed."""
    round_trip = dt.replace(tzinfo=STOCKHOLM).astimezone(UTC).astimezone(STOCKHOLM)
    return round_trip.replace(tzinfo=None) != dt


@cache
def _spring_forward_days() -> list[int]:
    """Days since 1970-01-01 of the last Sunday in March, 1981–2100."""
    days = []
    for year in range(1981, 2101):
        last = date(year, 3, 31)
        sunday = last - timedelta(days=(last.weekday() + 1) % 7)
        days.append((sunday - date(1970, 1, 1)).days)
    return days


def nonexistent_local(col: pl.Expr) -> pl.Expr:
    """Vectorised `is_nonexistent_local` for naive datetimes, without a per-row time zone lookup.

    The EU rule Sweden follows since 1981: clocks jump from 02:00 to 03:00 on the last Sunday of
    March. Integer arithmetic on the timestamp, as calendar fields cost ten times more on a
    national file; years outside 1981–2100 are not checked.
    """
    micros = col.dt.cast_time_unit("us").cast(pl.Int64)
    hour = 3_600_000_000
    return (micros // hour % 24 == 2) & (micros // (24 * hour)).is_in(_spring_forward_days())
