"""The indicator table: long format, one row per month, key, care and indicator."""

from __future__ import annotations

from typing import Literal

import polars as pl

from utskrivning.domain.indicators import local, national, process
from utskrivning.domain.indicators.aggregate import Aggregate
from utskrivning.domain.indicators.definitions import INDICATORS
from utskrivning.domain.indicators.measures import episode_measures

By = Literal["municipality", "unit", "primary_care_unit"]
BY: tuple[By, ...] = ("municipality", "unit", "primary_care_unit")
CARES = ("somatic", "psychiatric", "all")

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
    if by not in BY:
        raise ValueError(f"by must be one of {', '.join(BY)}, not {by!r}")
    measures = episode_measures(frame).rename({by: "key"})
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


def baseline_comparison(table: pl.DataFrame, *, baseline_year: int) -> pl.DataFrame:
    """Each year's indicators beside the baseline year's (Stockholm: "inte överstiga 2017 års").

    Per year, key, care and indicator: the months' numerators and denominators summed, the
    value recomputed from them (a yearly mean is days over episodes, not a mean of means); then
    the baseline year's numerator, denominator and value, `difference` (value − baseline) and
    `improved` (by the indicator's `better` direction; null when it has none). Distinct-patient
    counts are summed over months, so a patient seen in two months counts twice in the year.
    One row per (year ≠ baseline, key, care, indicator) of `table`.
    """
    yearly = _valued(
        table.lazy()
        .with_columns(pl.col("month").str.slice(0, 4))
        .group_by(*_GROUP, "indicator")
        .agg(
            pl.col("numerator").sum(),
            pl.when(pl.col("denominator").is_not_null().any()).then(pl.col("denominator").sum()),
        )
    ).rename({"month": "year"})
    baseline = yearly.filter(pl.col("year") == str(baseline_year)).drop("year")
    better = {i.id: i.better for i in INDICATORS.values()}
    difference = pl.col("value") - pl.col("baseline_value")
    direction = pl.col("indicator").replace_strict(better, return_dtype=pl.String)
    return (
        yearly.filter(pl.col("year") != str(baseline_year))
        .join(
            baseline.rename(
                {name: f"baseline_{name}" for name in ("numerator", "denominator", "value")}
            ),
            on=[*_GROUP[1:], "indicator"],
            how="left",
            nulls_equal=True,
        )
        .with_columns(
            difference=difference,
            improved=pl.when(direction == "lower")
            .then(difference < 0)
            .when(direction == "higher")
            .then(difference > 0),
        )
        .pipe(_ordered, "year")
    )


def _ordered(table: pl.DataFrame, period: str) -> pl.DataFrame:
    """By period and key, then care and indicator in their documented order."""
    return table.sort(
        period,
        "key",
        pl.col("care").replace_strict(CARES, list(range(len(CARES)))),
        pl.col("indicator").replace_strict(list(INDICATORS), list(range(len(INDICATORS)))),
    )
