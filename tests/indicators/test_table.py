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
    assert set(comparison["year"]) == {"2019"}
    mean = comparison.filter(indicator="mean_ready_days", care="all").row(0, named=True)
    assert (mean["numerator"], mean["denominator"], mean["value"]) == (3, 2, 1.5)
    assert (mean["baseline_numerator"], mean["baseline_denominator"]) == (6, 2)
    assert mean["baseline_value"] == 3
    assert mean["difference"] == -1.5
    assert mean["improved"] is True
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
