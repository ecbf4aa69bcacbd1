"""The table's contract for the dashboard and the report: shape, order, filters, baseline."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from utskrivning.domain.calendar import count_ready_days
from utskrivning.domain.indicators import (
    INDICATORS,
    baseline_comparison,
    episode_measures,
    indicator_table,
)

from .files import episode, frame, table_of


def test_columns_types_and_order() -> None:
    table = table_of(
        episode(care_type="psychiatric", discharged_at="2020-03-05 10:00"),
        episode(discharged_at="2020-03-05 10:00"),
    )
    assert table.schema == pl.Schema(
        {"month": pl.String, "key": pl.String, "care": pl.String, "indicator": pl.String,
         "numerator": pl.Float64, "denominator": pl.Float64, "value": pl.Float64}
    )  # fmt: skip
    assert table.height == 3 * len(INDICATORS)
    assert table["care"].unique(maintain_order=True).to_list() == ["somatic", "psychiatric", "all"]
    assert table["indicator"].head(len(INDICATORS)).to_list() == list(INDICATORS)


def test_every_indicator_is_documented() -> None:
    for indicator in INDICATORS.values():
        assert indicator.title_sv and indicator.title_en and indicator.numerator
        assert indicator.source_columns
        assert (indicator.denominator is None) == (indicator.unit in ("count", "days"))


def test_month_filter_keeps_those_discharge_months_only() -> None:
    episodes = frame(
        episode(discharged_at="2020-03-05 10:00"),
        episode(discharged_at="2020-04-05 10:00"),
    )
    assert set(indicator_table(episodes, months=["2020-04"])["month"]) == {"2020-04"}
    assert indicator_table(episodes, months=["2021-01"]).is_empty()


def test_unknown_key_is_refused() -> None:
    with pytest.raises(ValueError, match="by must be one of"):
        indicator_table(frame(episode()), by="district")


def test_a_file_without_closed_episodes_gives_an_empty_table() -> None:
    assert indicator_table(frame(episode())).is_empty()


def _year(year: int, ready_days: int) -> list[dict[str, str]]:
    ready = date(year, 3, 1)
    return [
        episode(admitted_at=f"{ready} 08:00", ready_at=f"{ready} 10:00",
                discharged_at=f"{ready + timedelta(days=ready_days)} 10:00")
    ]  # fmt: skip


def test_baseline_comparison_recomputes_the_yearly_mean() -> None:
    # 2017: 4 and 2 ready days (mean 3); 2019: 1 day in March, 2 in May (mean 1.5)
    episodes = [*_year(2017, 4), *_year(2017, 2), *_year(2019, 1)]
    episodes += [episode(admitted_at="2019-05-01 08:00", ready_at="2019-05-02 10:00",
                         discharged_at="2019-05-04 10:00")]  # fmt: skip
    table = table_of(*episodes)
    comparison = baseline_comparison(table, baseline_year=2017)
    assert set(comparison["period"]) == {"2019"}
    mean = comparison.filter(indicator="mean_ready_days", care="all").row(0, named=True)
    assert (mean["numerator"], mean["denominator"], mean["value"]) == (3, 2, 1.5)
    assert (mean["baseline_numerator"], mean["baseline_denominator"]) == (6, 2)
    assert mean["baseline_value"] == 3
    assert mean["difference"] == -1.5
    assert (mean["improved"], mean["change"]) == (True, "better")
    days = comparison.filter(indicator="ready_days", care="all").row(0, named=True)
    assert (days["value"], days["baseline_value"], days["denominator"]) == (3, 6, None)
    unique = comparison.filter(indicator="unique_closed_episodes", care="all").row(0, named=True)
    assert unique["improved"] is None  # no better direction


def test_baseline_missing_for_a_key_leaves_it_empty() -> None:
    table = table_of(*_year(2017, 1), episode(municipality="1980", admitted_at="2019-03-01 08:00",
                                              discharged_at="2019-03-02 08:00"))  # fmt: skip
    row = baseline_comparison(table, baseline_year=2017).filter(
        key="1980", indicator="episodes", care="all"
    )
    assert row.select("value", "baseline_value", "improved").row(0) == (1, None, None)


def _stay(ready: str, days: int, **cells: str) -> dict[str, str]:
    start = date.fromisoformat(ready)
    return episode(admitted_at=f"{start} 08:00", ready_at=f"{start} 10:00",
                   discharged_at=f"{start + timedelta(days=days)} 10:00", **cells)  # fmt: skip


def test_a_period_is_compared_with_the_same_months_of_the_baseline_year() -> None:
    # 2017: March 4 ready days (notice sent), May 2 days; 2020: March 1 day, April 3 days.
    table = table_of(
        _stay("2017-03-01", 4, admission_notice_at="2017-03-01 09:00"),
        _stay("2017-05-01", 2),
        _stay("2020-03-01", 1),
        _stay("2020-04-01", 3),
    )
    comparison = baseline_comparison(table, baseline_year=2017, months=["2020-04", "2020-03"])
    assert set(comparison["period"]) == {"2020-03–2020-04"}

    def row(indicator: str) -> dict:
        return comparison.filter(indicator=indicator, care="all").row(0, named=True)

    # March and April 2020: 4 days over 2 episodes; March and April 2017: 4 days over 1 (May
    # is outside the months compared).
    mean = row("mean_ready_days")
    assert (mean["value"], mean["baseline_value"], mean["difference"]) == (2, 4, -2)
    assert mean["change"] == "better"
    days = row("ready_days")
    assert (days["value"], days["baseline_value"], days["change"]) == (4, 4, "unchanged")
    notices = row("admission_notices")  # 0 of 2 against 1 of 1: higher is better
    assert (notices["value"], notices["baseline_value"], notices["change"]) == (0, 1, "worse")
    assert row("episodes")["change"] is None  # a count with no better direction


def test_one_month_against_a_baseline_year_without_it_has_no_verdict() -> None:
    table = table_of(_stay("2017-05-01", 2), _stay("2020-03-01", 1))
    mean = baseline_comparison(table, baseline_year=2017, months=["2020-03"]).filter(
        indicator="mean_ready_days", care="all"
    )
    assert mean.select("period", "value", "baseline_value", "change").row(0) == (
        "2020-03", 1, None, None,
    )  # fmt: skip


def test_more_than_twelve_months_have_no_same_months_to_compare() -> None:
    months = [f"2020-{m:02d}" for m in range(1, 13)] + ["2021-01"]
    with pytest.raises(ValueError, match="1 to 12 months"):
        baseline_comparison(table_of(_stay("2020-03-01", 1)), baseline_year=2017, months=months)


@st.composite
def _episode(draw: st.DrawFn) -> dict[str, str]:
    """Admission, readiness and discharge in order, the hours kept clear of the DST gap."""
    admitted = draw(st.dates(min_value=date(2019, 12, 1), max_value=date(2021, 1, 31)))
    ready = admitted + timedelta(days=draw(st.integers(0, 20)))
    discharged = ready + timedelta(days=draw(st.integers(0, 20)))
    hours = sorted(draw(st.lists(st.integers(4, 23), min_size=3, max_size=3)))
    return episode(
        unit=draw(st.sampled_from(["", "Medicin", "Kirurgi"])),
        primary_care_unit=draw(st.sampled_from(["", "VC Norr"])),
        municipality=draw(st.sampled_from(["2080", "1980"])),
        care_type=draw(st.sampled_from(["somatic", "geriatric", "psychiatric"])),
        admitted_at=f"{admitted} {hours[0]:02}:00",
        ready_at=f"{ready} {hours[1]:02}:15",
        discharged_at=f"{discharged} {hours[2]:02}:30",
    )


@settings(max_examples=40, deadline=None)
@given(st.lists(_episode(), min_size=1, max_size=12))
def test_ready_days_over_keys_sum_to_the_calendar_count(episodes: list[dict[str, str]]) -> None:
    """Whatever the grouping, the month's ready days are each episode's calendar count summed."""
    rows = frame(*episodes)
    expected: dict[str, int] = {}
    for ready, discharged in rows.select("ready_at", "discharged_at").iter_rows():
        days = count_ready_days(ready, discharged, cutoff=None, counting="calendar")
        month = f"{discharged:%Y-%m}"
        expected[month] = expected.get(month, 0) + days
    for by in ("municipality", "unit", "primary_care_unit"):
        table = indicator_table(rows, by=by).filter(indicator="ready_days")
        summed = table.filter(care="all").group_by("month").agg(pl.col("value").sum())
        assert dict(summed.iter_rows()) == expected
        by_care = table.filter(pl.col("care") != "all")["value"].sum()
        assert by_care == sum(expected.values())
    assert episode_measures(rows)["ready_days"].sum() == sum(expected.values())
