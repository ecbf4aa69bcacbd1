"""The indicator table: long format, one row per month, key, care and indicator."""

from __future__ import annotations

from typing import Literal

import polars as pl

from utskrivning.domain.care import CareGroup
from utskrivning.domain.indicators import local, national, process
from utskrivning.domain.indicators.aggregate import Aggregate
from utskrivning.domain.indicators.definitions import INDICATORS
from utskrivning.domain.indicators.measures import episode_measures

By = Literal["municipality", "unit", "primary_care_unit"]
BY: tuple[By, ...] = ("municipality", "unit", "primary_care_unit")
CARES = (CareGroup.SOMATIC.value, CareGroup.PSYCHIATRIC.value, CareGroup.ALL.value)  # in tables

AGGREGATES: dict[str, Aggregate] = national.AGGREGATES | local.AGGREGATES | process.AGGREGATES
assert list(AGGREGATES) == list(INDICATORS), "every indicator is computed, in the same order"

_GROUP = ["month", "key", "care"]
_SCHEMA = pl.Schema({
    "month": pl.String, "key": pl.String, "care": pl.String, "indicator": pl.String,
    "numerator": pl.Float64, "denominator": pl.Float64, "value": pl.Float64,
})  # fmt: skip


def indicator_table(
    frame: pl.DataFrame, *, by: str = "municipality", months: list[str] | None = None
) -> pl.DataFrame:
    """Every indicator per month ("YYYY-MM"), key (the `by` value, "" when empty) and care.

    Columns as `_SCHEMA`: `numerator` and `denominator` (null for plain counts and day sums)
    as counted, `value` the count, the days, or their quotient (null when the denominator is 0).
    Rows exist for each (month, key, care) with at least one closed episode; care "all" sums
    somatic and psychiatric. `months` keeps only those discharge months; the readmissions still
    look at the whole file for the later admission.
    """
    return measures_table(episode_measures(frame), by=by, months=months)


def measures_table(
    measures: pl.DataFrame, *, by: str = "municipality", months: list[str] | None = None
) -> pl.DataFrame:
    """`indicator_table` of `episode_measures` already worked out: a caller that needs the
    measures too (the dashboard's distribution) computes them once."""
    if by not in BY:
        raise ValueError(f"by must be one of {', '.join(BY)}, not {by!r}")
    measures = measures.rename({by: "key"})
    if months is not None:
        measures = measures.filter(pl.col("month").is_in(months))
    both = pl.concat([measures, measures.with_columns(care=pl.lit("all"))])
    sums = both.group_by(_GROUP).agg(
        expression.alias(f"{indicator}:{part}")
        for indicator, aggregate in AGGREGATES.items()
        for part, expression in zip("nd", aggregate, strict=True)
        if expression is not None
    )
    long = pl.concat(
        [
            sums.select(
                *_GROUP,
                indicator=pl.lit(indicator),
                numerator=pl.col(f"{indicator}:n"),
                denominator=pl.col(f"{indicator}:d") if denominator is not None else None,
            )
            for indicator, (_, denominator) in AGGREGATES.items()
        ],
        how="vertical_relaxed",
    )
    return _ordered(_valued(long), "month")


def _valued(long: pl.LazyFrame | pl.DataFrame) -> pl.DataFrame:
    """`value` by each indicator's unit: the numerator, or numerator/denominator."""
    quotient = [i.id for i in INDICATORS.values() if i.unit in ("share", "mean")]
    value = (
        pl.when(~pl.col("indicator").is_in(quotient))
        .then(pl.col("numerator"))
        .when(pl.col("denominator") > 0)
        .then(pl.col("numerator") / pl.col("denominator"))
    )
    return long.lazy().with_columns(value=value).select(_SCHEMA.names()).cast(_SCHEMA).collect()


BASELINE_MONTHS = 12  # a period longer than a year has no same months in the baseline year


def baseline_comparison(
    table: pl.DataFrame, *, baseline_year: int, months: list[str] | None = None
) -> pl.DataFrame:
    """Each period's indicators beside the baseline year's (Stockholm: "inte överstiga 2017 års").

    Without `months` a period is a calendar year, every year of `table` but the baseline; with
    `months` (at most twelve) the one period is those months, against the same calendar months
    of the baseline year, so counts and day sums compare like with like ("2020-02–2020-03"
    beside February and March 2017).

    Per period, key, care and indicator: the months' numerators and denominators summed, the
    value recomputed from them (a yearly mean is days over episodes, not a mean of means); then
    the baseline's numerator, denominator and value, `difference` (value − baseline),
    `improved` (by the indicator's `better` direction; null when it has none) and `change`:
    "better", "worse", "unchanged" (a difference of 0 keeps "not above 2017"), or null when
    there is no direction or no baseline. Distinct-patient counts are summed over months, so
    a patient seen in two months counts twice in the year.
    """
    month = pl.col("month")
    if months is None:
        current = table.with_columns(period=month.str.slice(0, 4)).filter(
            pl.col("period") != str(baseline_year)
        )
        baseline = table.filter(month.str.starts_with(f"{baseline_year}-"))
    else:
        if not 0 < len(set(months)) <= BASELINE_MONTHS:
            raise ValueError(f"a baseline comparison takes 1 to {BASELINE_MONTHS} months")
        ordered = sorted(set(months))
        label = ordered[0] if len(ordered) == 1 else f"{ordered[0]}–{ordered[-1]}"
        current = table.filter(month.is_in(ordered)).with_columns(period=pl.lit(label))
        baseline = table.filter(month.is_in(same_months(ordered, baseline_year)))
    base = _summed(baseline.with_columns(period=pl.lit(""))).drop("period")
    return (
        _summed(current)
        .join(
            base.rename({n: f"baseline_{n}" for n in ("numerator", "denominator", "value")}),
            on=[*_GROUP[1:], "indicator"],
            how="left",
            nulls_equal=True,
        )
        .with_columns(_verdicts())
        .pipe(_ordered, "period")
    )


def same_months(months: list[str], year: int) -> list[str]:
    """The calendar months of `months` in `year`: what a period is compared with."""
    return [f"{year}{month[4:]}" for month in months]


def _summed(table: pl.DataFrame) -> pl.DataFrame:
    """Numerators and denominators summed per period, key, care and indicator, valued again."""
    summed = (
        table.lazy()
        .group_by("period", *_GROUP[1:], "indicator")
        .agg(
            pl.col("numerator").sum(),
            pl.when(pl.col("denominator").is_not_null().any()).then(pl.col("denominator").sum()),
        )
        .rename({"period": "month"})  # `_valued` keeps the table's columns
    )
    return _valued(summed).rename({"month": "period"})


def _verdicts() -> list[pl.Expr]:
    better = {i.id: i.better for i in INDICATORS.values()}
    direction = pl.col("indicator").replace_strict(better, return_dtype=pl.String)
    difference = pl.col("value") - pl.col("baseline_value")
    improved = (
        pl.when(direction == "lower")
        .then(difference < 0)
        .when(direction == "higher")
        .then(difference > 0)
    )
    change = (
        pl.when(improved.is_null())
        .then(None)
        .when(difference == 0)
        .then(pl.lit("unchanged"))
        .when(improved)
        .then(pl.lit("better"))
        .otherwise(pl.lit("worse"))
    )
    return [difference.alias("difference"), improved.alias("improved"), change.alias("change")]


def _ordered(table: pl.DataFrame, period: str) -> pl.DataFrame:
    """By period and key, then care and indicator in their documented order."""
    return table.sort(
        period,
        "key",
        pl.col("care").replace_strict(CARES, list(range(len(CARES)))),
        pl.col("indicator").replace_strict(list(INDICATORS), list(range(len(INDICATORS)))),
    )
