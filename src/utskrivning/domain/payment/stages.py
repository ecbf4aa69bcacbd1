"""Which stage of a rulebook applies to each (group, month), as a small table to join on.

The bulk engine never branches per row in Python: the month's stage parameters become columns,
and the per-row rules are Polars expressions over them. Money and days are scaled integers in
that table (hundredths of a day, öre) so the arithmetic is exact without floats.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import polars as pl

from utskrivning.domain.rulebooks import Precondition, Rulebook, Stage, national_day_rates


class PaymentError(ValueError):
    """The payment run cannot produce a basis; the message says what is missing and where."""


@dataclass(frozen=True)
class MonthStage:
    """The rules for one group in one month, None when the rulebook is not in force then."""

    group: str
    month: str
    stage: Stage | None

    @property
    def year(self) -> int:
        return int(self.month[:4])


def month_start(month: str) -> date:
    return date(int(month[:4]), int(month[5:7]), 1)


def month_key(month: str) -> int:
    """2020-03 → 202003, the engine's join key (see lines.discharged)."""
    return int(month[:4]) * 100 + int(month[5:7])


def month_text(key: int) -> str:
    return f"{key // 100:04d}-{key % 100:02d}"


def resolve_day_rate(ms: MonthStage, override: Decimal | None) -> Decimal:
    """The rate in force: --day-rate, the stage's own (by year), or Socialstyrelsen's."""
    if override is not None:
        return override
    assert ms.stage is not None
    rate = ms.stage.day_rate
    if isinstance(rate, Decimal):
        return rate
    table = national_day_rates() if rate == "national" else rate
    where = "national-day-rates.toml" if rate == "national" else f"stage {ms.stage.name!r}"
    if ms.year not in table:
        raise PaymentError(
            f"no day rate for {ms.year} (group {ms.group!r}, month {ms.month}) in {where}; "
            "add it there or pass --day-rate"
        )
    return table[ms.year]


def hundredths(value: Decimal) -> int:
    scaled = value * 100
    if scaled != scaled.to_integral_value():
        raise PaymentError(f"{value} has more than two decimals; days and SEK are kept to öre")
    return int(scaled)


def stage_table(
    month_stages: list[MonthStage],
    *,
    rates: dict[tuple[str, str], Decimal],
) -> pl.DataFrame:
    """One row per (group, month) with the stage's parameters as columns.

    The threshold is not here: a county-average threshold needs the lines this table yields.
    """
    rows = []
    for ms in month_stages:
        stage = ms.stage
        key = (ms.group, ms.month)
        checks = set(stage.preconditions) if stage else set()
        rows.append(
            {
                "rule_group": ms.group,
                "month": ms.month,
                "month_key": month_key(ms.month),
                "in_force": stage is not None,
                "stage": stage.name if stage else None,
                "model": str(stage.model) if stage else None,
                "weekdays": bool(stage and stage.counting == "weekdays"),
                "cutoff_minute": (
                    stage.cutoff.hour * 60 + stage.cutoff.minute if stage and stage.cutoff else None
                ),
                "day_after": bool(stage and stage.day_after),
                "exclude_zero": bool(stage and stage.zero_days == "exclude"),
                "only_done": bool(stage and stage.status_filter == "done"),
                "grace_days": stage.grace_days if stage else None,
                "two_of_three": bool(stage and stage.liable_when == "two_of_three"),
                "individual_over": stage.individual.over_ready_days
                if stage and stage.individual
                else None,
                "individual_beyond": stage.individual.pay_beyond
                if stage and stage.individual
                else None,
                "check_admission_notice": Precondition.ADMISSION_NOTICE in checks,
                "check_readiness": Precondition.READINESS_NOTIFICATION in checks,
                "check_named_contact": Precondition.NAMED_CONTACT in checks,
                "check_sip_summoned": Precondition.SIP_SUMMONED in checks,
                "invoicing": bool(stage and stage.invoicing),
                "rate_ore": hundredths(rates[key]) if key in rates else None,
            }
        )
    return pl.DataFrame(rows, schema=STAGE_SCHEMA)


STAGE_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "rule_group": pl.String,
    "month": pl.String,
    "month_key": pl.Int32,
    "in_force": pl.Boolean,
    "stage": pl.String,
    "model": pl.String,
    "weekdays": pl.Boolean,
    "cutoff_minute": pl.Int32,
    "day_after": pl.Boolean,
    "exclude_zero": pl.Boolean,
    "only_done": pl.Boolean,
    "grace_days": pl.Int32,
    "two_of_three": pl.Boolean,
    "individual_over": pl.Int32,
    "individual_beyond": pl.Int32,
    "check_admission_notice": pl.Boolean,
    "check_readiness": pl.Boolean,
    "check_named_contact": pl.Boolean,
    "check_sip_summoned": pl.Boolean,
    "invoicing": pl.Boolean,
    "rate_ore": pl.Int64,
}


def month_stages(rulebook: Rulebook, months: list[str]) -> list[MonthStage]:
    out = []
    for group in rulebook.groups:
        for month in months:
            start = month_start(month)
            stage = group.stage_for(start) if rulebook.in_force(start) else None
            out.append(MonthStage(group.name, month, stage))
    return out
