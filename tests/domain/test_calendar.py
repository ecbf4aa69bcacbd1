from datetime import UTC, date, datetime, time, timedelta, timezone

import holidays
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from utskrivning.domain.calendar import (
    FIRST_YEAR,
    LAST_YEAR,
    _easter_sunday,
    _midsummer_eve,
    _non_working_holidays,
    count_ready_days,
    count_working_days,
    is_nonexistent_local,
    is_working_day,
    major_holiday_dates,
    non_working_days,
    nonexistent_local,
    ready_day_one,
    to_local_naive,
)

DALARNA_CUTOFF = time(14, 0)


def at(text: str) -> datetime:
    """A naive Stockholm wall-clock time, as the calendar functions take them."""
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(
    "day",
    [
        date(2019, 4, 19),  # Good Friday
        date(2019, 4, 22),  # Easter Monday
        date(2020, 4, 10),
        date(2020, 4, 13),
        date(2019, 12, 24),
        date(2019, 12, 25),
        date(2019, 12, 26),
        date(2019, 12, 31),
        date(2020, 1, 1),
        date(2020, 1, 6),  # Epiphany
        date(2020, 6, 19),  # midsummer eve
        date(2019, 6, 21),
        date(2019, 6, 6),  # National Day on a Thursday
        date(2020, 5, 21),  # Ascension
        date(2020, 5, 1),
    ],
)
def test_holidays_and_eves_on_weekdays_are_not_working_days(day: date) -> None:
    assert day.weekday() < 5
    assert not is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [date(2020, 4, 9), date(2020, 4, 14), date(2019, 12, 23), date(2020, 1, 2), date(2020, 6, 18)],
)
def test_ordinary_weekdays_next_to_holidays_are_working_days(day: date) -> None:
    assert is_working_day(day)


def test_weekends_are_not_working_days_and_all_saints_falls_on_one() -> None:
    all_saints_2020 = date(2020, 10, 31)
    assert all_saints_2020.weekday() == 5
    assert not is_working_day(all_saints_2020)
    assert not is_working_day(date(2020, 11, 1))
    assert all_saints_2020 not in non_working_days(date(2020, 10, 1), date(2020, 11, 30))


def test_non_working_days_lists_only_weekday_holidays_within_the_inclusive_range() -> None:
    assert non_working_days(date(2019, 12, 24), date(2020, 1, 6)) == [
        date(2019, 12, 24),
        date(2019, 12, 25),
        date(2019, 12, 26),
        date(2019, 12, 31),
        date(2020, 1, 1),
        date(2020, 1, 6),
    ]


def test_non_working_days_agree_with_polars_business_day_count() -> None:
    start, end = date(2019, 1, 1), date(2021, 1, 1)
    polars_count = pl.select(
        pl.business_day_count(
            pl.lit(start), pl.lit(end), holidays=non_working_days(start, end - timedelta(days=1))
        )
    ).item()
    assert polars_count == count_working_days(start, end)


def test_count_working_days_over_easter_2020() -> None:
    # Thu 9 April to Thu 16 April: Good Friday and Easter Monday are out.
    assert count_working_days(date(2020, 4, 9), date(2020, 4, 16)) == 3


def test_easter_agrees_with_the_holidays_package() -> None:
    for year in range(1990, 2060):
        easter = _easter_sunday(year)
        assert easter.weekday() == 6
        assert easter - timedelta(days=2) in holidays.Sweden(years=year)


def test_public_holidays_agree_with_the_holidays_package_in_every_year_counted() -> None:
    """The calendar works Sweden's holidays out itself (the package's import cost 0.4 s of
    every payment run); here the package, now only a test's, checks every day of it."""
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        eves = {_midsummer_eve(year), date(year, 12, 24), date(year, 12, 31)}
        assert _non_working_holidays(year) == set(holidays.Sweden(years=year)) | eves, year


def test_major_holidays_2020() -> None:
    assert major_holiday_dates(2020) == {
        date(2020, 1, 1),
        date(2020, 4, 9),
        date(2020, 4, 10),
        date(2020, 4, 11),
        date(2020, 4, 12),
        date(2020, 4, 13),
        date(2020, 6, 19),
        date(2020, 6, 20),
        date(2020, 12, 24),
        date(2020, 12, 25),
        date(2020, 12, 26),
        date(2020, 12, 31),
    }


@pytest.mark.parametrize(
    ("clock", "expected"),
    [
        (time(13, 59, 59), date(2020, 3, 2)),
        (time(14, 0), date(2020, 3, 3)),
        (time(14, 1), date(2020, 3, 3)),
    ],
)
def test_readiness_at_or_after_cutoff_counts_from_next_day(clock: time, expected: date) -> None:
    assert ready_day_one(datetime.combine(date(2020, 3, 2), clock), DALARNA_CUTOFF) == expected


def test_without_cutoff_day_one_is_the_notification_date() -> None:
    assert ready_day_one(at("2020-03-02 23:59"), None) == date(2020, 3, 2)


def test_day_after_always_starts_the_next_date() -> None:
    assert ready_day_one(at("2020-03-02 08:00"), DALARNA_CUTOFF, day_after=True) == date(2020, 3, 3)


def test_discharge_on_the_ready_date_is_day_zero() -> None:
    ready, discharged = at("2020-03-02 09:00"), at("2020-03-02 18:00")
    assert count_ready_days(ready, discharged, cutoff=None, counting="calendar") == 0
    assert count_ready_days(ready, discharged, cutoff=None, counting="weekdays") == 0


def test_discharge_before_day_one_counts_zero_not_negative() -> None:
    ready, discharged = at("2020-03-02 15:00"), at("2020-03-02 18:00")
    assert count_ready_days(ready, discharged, cutoff=DALARNA_CUTOFF, counting="calendar") == 0


def test_calendar_counting_counts_every_date_up_to_discharge() -> None:
    ready, discharged = at("2020-03-02 13:00"), at("2020-03-06 10:00")
    assert count_ready_days(ready, discharged, cutoff=DALARNA_CUTOFF, counting="calendar") == 4
    late = at("2020-03-02 14:00")
    assert count_ready_days(late, discharged, cutoff=DALARNA_CUTOFF, counting="calendar") == 3


def test_weekday_counting_skips_weekends_and_christmas() -> None:
    ready, discharged = at("2019-12-20 09:00"), at("2020-01-03 09:00")
    # 20, 23, 27, 30 Dec and 2 Jan are working days before the discharge date.
    assert count_ready_days(ready, discharged, cutoff=None, counting="weekdays") == 5
    assert count_ready_days(ready, discharged, cutoff=None, counting="calendar") == 14


@pytest.mark.parametrize(
    ("ready", "discharged"),
    [
        (at("2020-03-29 01:30"), at("2020-03-30 10:00")),  # spring forward
        (at("2020-10-25 01:30"), at("2020-10-26 10:00")),  # fall back
    ],
)
def test_dst_days_count_as_one_calendar_day(ready: datetime, discharged: datetime) -> None:
    assert count_ready_days(ready, discharged, cutoff=None, counting="calendar") == 1


def test_to_local_naive_converts_aware_times_and_keeps_naive_ones() -> None:
    assert to_local_naive(datetime(2020, 1, 1, 12, 0, tzinfo=UTC)) == at("2020-01-01 13:00")
    assert to_local_naive(datetime(2020, 7, 1, 12, 0, tzinfo=UTC)) == at("2020-07-01 14:00")
    plus_five = timezone(timedelta(hours=5))
    assert to_local_naive(datetime(2020, 7, 1, 12, 0, tzinfo=plus_five)) == at("2020-07-01 09:00")
    assert to_local_naive(at("2020-07-01 12:00")) == at("2020-07-01 12:00")


def test_only_the_spring_forward_gap_is_nonexistent() -> None:
    assert is_nonexistent_local(at("2020-03-29 02:30"))
    assert not is_nonexistent_local(at("2020-03-29 01:59"))
    assert not is_nonexistent_local(at("2020-03-29 03:00"))
    assert not is_nonexistent_local(at("2020-10-25 02:30"))  # ambiguous, but exists


def test_vectorised_gap_check_agrees_with_zoneinfo_for_every_late_march_half_hour() -> None:
    times = [
        at(f"{year}-03-{day} {hour:02d}:{minute:02d}")
        for year in range(1981, 2038)
        for day in range(25, 32)
        for hour in range(24)
        for minute in (0, 30)
    ]
    vectorised = pl.select(nonexistent_local(pl.lit(pl.Series(times)))).to_series().to_list()
    assert vectorised == [is_nonexistent_local(t) for t in times]
    assert sum(vectorised) == 2 * (2038 - 1981)


ready_times = st.datetimes(min_value=at("2018-01-01 00:00"), max_value=at("2022-12-31 00:00"))
cutoffs = st.one_of(st.none(), st.times())


@given(ready_times, st.integers(min_value=-3, max_value=400), cutoffs, st.booleans())
def test_calendar_count_is_the_date_difference_from_day_one_clipped_at_zero(
    ready: datetime, days: int, cutoff: time | None, day_after: bool
) -> None:
    discharged = ready + timedelta(days=days, hours=1)
    first = ready_day_one(ready, cutoff, day_after)
    calendar = count_ready_days(
        ready, discharged, cutoff=cutoff, counting="calendar", day_after=day_after
    )
    weekdays = count_ready_days(
        ready, discharged, cutoff=cutoff, counting="weekdays", day_after=day_after
    )
    assert calendar == max(0, (discharged.date() - first).days)
    assert 0 <= weekdays <= calendar


@given(st.dates(date(2018, 1, 1), date(2022, 12, 31)), st.integers(min_value=0, max_value=60))
def test_working_day_count_matches_day_by_day_check(start: date, days: int) -> None:
    end = start + timedelta(days=days)
    expected = sum(is_working_day(start + timedelta(days=i)) for i in range(days))
    assert count_working_days(start, end) == expected
