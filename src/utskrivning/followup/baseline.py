"""This period beside the same months of a baseline year (Stockholm's action plan: ready days
"inte överstiga 2017 års"), for the dashboard and the monthly report.

The same calendar months, not the whole baseline year, so that counts and day sums compare like
with like and a winter is not set against a summer. Numerators and denominators are summed before
dividing (`baseline_comparison`), never the monthly values averaged.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from utskrivning.domain.indicators import INDICATORS, baseline_comparison, indicator_table
from utskrivning.domain.indicators.table import same_months
from utskrivning.domain.municipalities import municipality_name
from utskrivning.followup.figures import MEAN_READY_DAYS
from utskrivning.followup.filters import Care


@dataclass(frozen=True)
class BaselineRow:
    """One figure now and in the baseline; `change` is "better", "worse", "unchanged" or None."""

    key: str
    label: str
    unit: str
    value: float | None
    baseline: float | None
    difference: float | None
    change: str | None


@dataclass(frozen=True)
class Baseline:
    year: int
    period: str  # "2020-02–2020-03": the months compared
    indicators: list[BaselineRow]  # every indicator over the whole scope
    municipalities: list[BaselineRow]  # mean ready days per municipality ("i samtliga kommuner")

    @property
    def has_baseline(self) -> bool:
        return any(row.baseline is not None for row in self.indicators)


def _rows(comparison: pl.DataFrame, labels: dict[str, str]) -> list[BaselineRow]:
    return [
        BaselineRow(
            key=row["key"],
            label=labels[row["key"]],
            unit=INDICATORS[row["indicator"]].unit,
            value=row["value"],
            baseline=row["baseline_value"],
            difference=row["difference"],
            change=row["change"],
        )
        for row in comparison.iter_rows(named=True)
    ]


def baseline_of(
    frame: pl.DataFrame,
    baseline_frame: pl.DataFrame,
    *,
    months: list[str],
    year: int,
    care: Care,
    english: bool,
) -> Baseline:
    """`months` of `frame` beside the same months of `year` in `baseline_frame` (both frames of
    the same scope; they may overlap, each month is counted from one of them only)."""
    table = indicator_table(frame, months=months)
    base = indicator_table(baseline_frame, months=same_months(months, year)).filter(
        ~pl.col("month").is_in(months)
    )
    both = pl.concat([table, base]).filter(pl.col("care") == care.value)
    whole = baseline_comparison(both.with_columns(key=pl.lit("")), baseline_year=year,
                                months=months)  # fmt: skip
    per_key = baseline_comparison(both, baseline_year=year, months=months).filter(
        pl.col("indicator") == MEAN_READY_DAYS
    )
    titles = {i.id: i.title_en if english else i.title_sv for i in INDICATORS.values()}
    names = {code: municipality_name(code) if code else "–" for code in per_key["key"]}
    return Baseline(
        year=year,
        period=months[0] if len(months) == 1 else f"{months[0]}–{months[-1]}",
        indicators=_rows(whole.with_columns(key=pl.col("indicator")), titles),
        municipalities=_rows(per_key, names),
    )
