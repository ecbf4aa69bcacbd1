"""From episode lines to one invoice basis per liable unit, month and rulebook group.

Amounts are computed in scaled integers: hundredths of a day times öre gives 1/10 000 SEK, exact,
and rounded half up to whole kronor once, at the end (payment-rules.md "average").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import polars as pl

from utskrivning.domain.payment.notes import Note, NoteCode
from utskrivning.domain.payment.reasons import Basis
from utskrivning.domain.payment.stages import (
    MonthStage,
    PaymentError,
    hundredths,
    month_key,
    months_between,
)
from utskrivning.domain.rulebooks import CountyAverage

UNIT = ["liable_municipality", "liable_district", "rule_group"]
KEYS = [*UNIT, "month"]
_STAGE_COLUMNS = ["in_force", "stage", "model", "two_of_three", "invoicing", "rate_ore",
                  "assumptions"]  # fmt: skip


@dataclass(frozen=True)
class Figure:
    """A threshold and, when no agreement states it, the sentence the invoice lists for it."""

    days: Decimal
    note: Note | None = None


def county_average(lines: pl.DataFrame, group: str, rule: CountyAverage) -> Figure:
    """Stockholm 2020 etapp 2: the county's average at the window's end, never above the cap.

    The published figure when the parameter is set; else the mean ready days of the group's
    average episodes discharged in the window, two decimals half up, but only from a file with
    discharges in every month of the window (payment-rules.md): never silently the cap.
    """
    if rule.value is not None:
        return Figure(min(rule.cap, rule.value))
    in_window = lines.filter(
        pl.col("discharge_date").is_between(rule.county_average_from, rule.county_average_to)
    )
    window = in_window.filter((pl.col("rule_group") == group) & (pl.col("basis") == Basis.AVERAGE))
    period = months_between(rule.county_average_from, rule.county_average_to)
    present = set(in_window["month"].unique().to_list())
    missing = [month for month in period if month not in present]
    name = rule.parameter or "the county average"
    if missing or window.height == 0:
        shown = ", ".join(missing[:12]) + (" …" if len(missing) > 12 else "")
        why = f"no discharges in {shown}" if missing else f"no {group} episode counted there"
        raise PaymentError(
            f"{name}: the county's average ready days {period[0]} – {period[-1]} is a "
            f"published figure the rulebook does not hold, and the file cannot give it ({why}); "
            f"set it for the run with --set {name}=DAYS",
            parameter=rule.parameter,
        )
    mean = Decimal(int(window["ready_days"].sum())) / window.height
    days = min(rule.cap, mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    municipalities = window["liable_municipality"].n_unique()
    note = Note.of(
        NoteCode.COUNTY_AVERAGE, days=days, first=period[0], last=period[-1],
        count=window.height, municipalities=municipalities,
        mean=mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), cap=rule.cap, name=name,
    )  # fmt: skip
    return Figure(days, note)


def threshold_table(
    month_stages: list[MonthStage], lines: pl.DataFrame, wanted: set[str]
) -> tuple[pl.DataFrame, list[Note]]:
    """Each (group, month)'s threshold in hundredths and its sentence, if any, and the notes
    behind those sentences; a county-average threshold only for the months asked for that have
    episodes (it may stop the run)."""
    county = any(ms.stage and isinstance(ms.stage.threshold, CountyAverage) for ms in month_stages)
    # Only a county-average rulebook pays for finding the (group, month)s that have lines.
    billed = set(lines.select("rule_group", "month").unique().iter_rows()) if county else set()
    rows, notes = [], []
    for ms in month_stages:
        rule = ms.stage.threshold if ms.stage else None
        figure = None
        if isinstance(rule, CountyAverage):
            needed = ms.month in wanted and (ms.group, ms.month) in billed
            figure = county_average(lines, ms.group, rule) if needed else None
        elif rule is not None:
            figure = Figure(rule)
        if figure is not None and figure.note is not None:
            notes.append(figure.note)
        rows.append(
            {
                "rule_group": ms.group,
                "month_key": month_key(ms.month),
                "threshold_c": None if figure is None else hundredths(figure.days),
                "threshold_note": None
                if figure is None or figure.note is None
                else str(figure.note),
            }
        )
    frame = pl.DataFrame(
        rows,
        schema={"rule_group": pl.String, "month_key": pl.Int32, "threshold_c": pl.Int64,
                "threshold_note": pl.String},
    )  # fmt: skip
    return frame, notes


def _previous(key: pl.Expr) -> pl.Expr:
    """yyyymm of the month before: 202001 → 201912."""
    return pl.when(key % 100 == 1).then(key - 89).otherwise(key - 1)


def invoice_table(
    lines: pl.DataFrame, stages: pl.DataFrame, thresholds: pl.DataFrame
) -> pl.DataFrame:
    def is_(basis: Basis) -> pl.Expr:
        return pl.col("basis") == basis

    def sum_of(column: str, basis: Basis) -> pl.Expr:
        # Not `.filter(...).sum()`: filtering inside each group costs twice the whole sum.
        return pl.when(is_(basis)).then(pl.col(column)).sum()

    # Under an individual model the episodes billed one by one are the ones counted.
    individually = pl.col("model") != "average"

    def counted(average: str, individual: str) -> pl.Expr:
        return pl.col(average) + pl.when(individually).then(pl.col(individual)).otherwise(0)

    invoices = (
        lines.lazy()
        .group_by(*UNIT, "month_key")
        .agg(
            average_n=is_(Basis.AVERAGE).sum(),
            average_d=sum_of("ready_days", Basis.AVERAGE),
            individual_n=is_(Basis.INDIVIDUAL).sum(),
            individual_d=sum_of("ready_days", Basis.INDIVIDUAL),
            individual_episodes=(is_(Basis.INDIVIDUAL) & (pl.col("billable_days") > 0)).sum(),
            individual_days=sum_of("billable_days", Basis.INDIVIDUAL),
            excluded_episodes=is_(Basis.EXCLUDED).sum(),
            not_liable_episodes=is_(Basis.NOT_LIABLE).sum(),
            missing_ready_at=pl.col("ready_at").is_null().sum(),
        )
        .join(stages.lazy().select("rule_group", "month_key", "month", *_STAGE_COLUMNS),
              on=["rule_group", "month_key"], how="left")
        .join(thresholds.lazy(), on=["rule_group", "month_key"], how="left")
        .with_columns(
            counted_episodes=counted("average_n", "individual_n"),
            ready_days=counted("average_d", "individual_d"),
        )
        .with_columns(
            exceeds=(pl.col("counted_episodes") > 0)
            & (pl.col("ready_days") * 100 > pl.col("threshold_c") * pl.col("counted_episodes"))
        )
        .collect()
    )  # fmt: skip
    history = invoices.filter(pl.col("in_force")).select(
        *UNIT, "month_key", "exceeds", "counted_episodes", "ready_days"
    )
    past = pl.col("month_key")
    for back in (1, 2):
        past = _previous(past)
        invoices = invoices.with_columns(past=past).join(
            history.rename({"month_key": "past", "exceeds": f"exceeds_{back}",
                            "counted_episodes": f"counted_{back}", "ready_days": f"days_{back}"}),
            on=[*UNIT, "past"], how="left", nulls_equal=True,
        )  # fmt: skip
    history_ok = (
        ~pl.col("two_of_three") | pl.col("exceeds_1").fill_null(False)
        | pl.col("exceeds_2").fill_null(False)
    )  # fmt: skip
    average_liable = (
        pl.col("in_force") & pl.col("invoicing") & (pl.col("model") == "average")
        & pl.col("exceeds").fill_null(False) & history_ok
    )  # fmt: skip
    average_c = pl.when(average_liable).then(
        pl.col("ready_days") * 100 - pl.col("threshold_c") * pl.col("counted_episodes")
    )
    return (
        invoices.drop("past", "average_n", "average_d", "individual_n", "individual_d")
        .with_columns(average_liable=average_liable, average_billable_c=average_c.fill_null(0))
        .with_columns(
            billable_c=pl.col("average_billable_c") + pl.col("individual_days") * 100,
            liable=pl.col("average_liable") | (pl.col("individual_days") > 0),
        )
        .with_columns(
            # 128 bits: the product of days and öre must not wrap whatever the file holds.
            amount_sek=(
                (pl.col("billable_c").cast(pl.Int128) * pl.col("rate_ore").fill_null(0) + 5_000)
                // 10_000
            ).cast(pl.Int64),
            assumptions=pl.when(pl.col("threshold_note").is_not_null())
            .then(pl.concat_list("assumptions", pl.col("threshold_note")))
            .otherwise(pl.col("assumptions"))
            .fill_null([]),
        )
        .drop("threshold_note")
        .sort(KEYS, nulls_last=False)
    )
