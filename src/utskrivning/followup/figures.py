"""The numbers behind the charts and tables, from `indicator_table` and `episode_measures`.

Over several months or municipalities an indicator is recomputed from the summed numerators and
denominators, never averaged from the monthly values: a small month must not weigh as much as a
large one. Pure Polars, no database.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from utskrivning.domain.indicators import INDICATORS
from utskrivning.domain.municipalities import municipality_name
from utskrivning.followup.filters import Care
from utskrivning.followup.thresholds import Threshold

MEAN_READY_DAYS = "mean_ready_days"
# Ready days in groups the agreements care about: day zero, the law's three days (Lag 2017:612
# 5 kap.), Dalarna's seven before an episode is billed on its own (§11), then weeks.
BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0", 0, 0), ("1", 1, 1), ("2", 2, 2), ("3", 3, 3),
    ("4–7", 4, 7), ("8–14", 8, 14), ("15–", 15, None),
)  # fmt: skip
_RATIO_UNITS = ("share", "mean")


@dataclass(frozen=True)
class Figure:
    """One number of a chart or table, with what it is made of."""

    key: str
    label: str
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    threshold: float | None = None
    threshold_in_force: bool = True


def totals(table: pl.DataFrame, *, care: Care, by: tuple[str, ...] = ()) -> pl.DataFrame:
    """Each indicator per `by` (e.g. month, key), summed over the rest, with its value again."""
    units = pl.DataFrame(
        {"indicator": list(INDICATORS), "unit": [i.unit for i in INDICATORS.values()]}
    )
    summed = (
        table.filter(pl.col("care") == care.value)
        .group_by("indicator", *by)
        .agg(pl.col("numerator").sum(), pl.col("denominator").sum())
        .join(units, on="indicator", how="left")
    )
    ratio = pl.when(pl.col("denominator") > 0).then(pl.col("numerator") / pl.col("denominator"))
    value = pl.when(pl.col("unit").is_in(_RATIO_UNITS)).then(ratio).otherwise(pl.col("numerator"))
    return summed.with_columns(value=value.cast(pl.Float64))


def _figure(row: dict | None, key: str, label: str, **extra: object) -> Figure:
    if row is None:
        return Figure(key=key, label=label, value=None, **extra)  # type: ignore[arg-type]
    return Figure(
        key=key,
        label=label,
        value=row["value"],
        numerator=row["numerator"],
        denominator=row["denominator"],
        **extra,  # type: ignore[arg-type]
    )


def _mean_rows(table: pl.DataFrame, care: Care, by: str) -> dict[str, dict]:
    mean = totals(table, care=care, by=(by,)).filter(pl.col("indicator") == MEAN_READY_DAYS)
    return {row[by]: row for row in mean.iter_rows(named=True)}


def trend(
    table: pl.DataFrame, *, months: list[str], care: Care, thresholds: list[Threshold]
) -> list[Figure]:
    """Mean ready days per month of the period, with the agreement's threshold that month."""
    rows = _mean_rows(table, care, "month")
    limits = {t.month: t for t in thresholds}
    out = []
    for month in months:
        limit = limits.get(month)
        out.append(
            _figure(
                rows.get(month),
                month,
                month,
                threshold=float(limit.days) if limit else None,
                threshold_in_force=limit.in_force if limit else True,
            )
        )
    return out


def ranking(table: pl.DataFrame, *, care: Care) -> list[Figure]:
    """Mean ready days per municipality over the period, the longest first."""
    rows = _mean_rows(table, care, "key")
    figures = [
        _figure(row, code, municipality_name(code) if code else "–") for code, row in rows.items()
    ]
    return sorted(figures, key=lambda f: (f.value is None, -(f.value or 0), f.key))


def distribution(measures: pl.DataFrame, *, months: list[str], care: Care) -> list[Figure]:
    """How many ready episodes had how many ready days, discharged within the period."""
    ready = measures.filter(pl.col("month").is_in(months), pl.col("ready_days").is_not_null())
    if care is not Care.ALL:
        ready = ready.filter(pl.col("care") == care.value)
    days = ready["ready_days"]
    out = []
    for label, low, high in BUCKETS:
        inside = (days >= low) & (days <= high) if high is not None else days >= low
        out.append(Figure(key=label, label=label, value=float(inside.sum())))
    return out


def _empty(unit: str) -> float | None:
    """No episodes: none counted, but no share or mean either."""
    return None if unit in _RATIO_UNITS else 0.0


@dataclass(frozen=True)
class IndicatorRow:
    id: str
    title: str
    unit: str
    numerator: float
    denominator: float | None
    value: float | None


def indicator_rows(
    table: pl.DataFrame, *, care: Care, english: bool, key: str | None = None
) -> list[IndicatorRow]:
    """Every indicator over the whole table (or one key), in the definitions' order."""
    if key is not None:
        table = table.filter(pl.col("key") == key)
    summed = {row["indicator"]: row for row in totals(table, care=care).iter_rows(named=True)}
    out = []
    for indicator in INDICATORS.values():
        row = summed.get(indicator.id)
        out.append(
            IndicatorRow(
                id=indicator.id,
                title=indicator.title_en if english else indicator.title_sv,
                unit=indicator.unit,
                numerator=row["numerator"] if row else 0.0,
                denominator=row["denominator"] if row and indicator.denominator else None,
                value=row["value"] if row else _empty(indicator.unit),
            )
        )
    return out
