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

from utskrivning.domain.payment.notes import Note
from utskrivning.domain.rulebooks import Model, Precondition, Rulebook, Stage


class PaymentError(ValueError):
    """The payment run cannot produce a basis; the message says what is missing and where.

    `parameter` names the rulebook parameter a run lacks, when that is the cause: the service,
    which cannot take --set, names it to the reader in their own words."""

    def __init__(self, message: str, *, parameter: str | None = None) -> None:
        super().__init__(message)
        self.parameter = parameter


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


def months_between(first: date, last: date) -> list[str]:
    """Every month from `first`'s to `last`'s, as YYYY-MM."""
    keys = range(first.year * 12 + first.month - 1, last.year * 12 + last.month)
    return [f"{key // 12:04d}-{key % 12 + 1:02d}" for key in keys]


def resolve_day_rate(
    rulebook: Rulebook, ms: MonthStage, override: Decimal | None, *, assumed_rates: bool = True
) -> Decimal:
    """The rate in force: --day-rate, the stage's own (by year), or Socialstyrelsen's.

    A national rate the project has only assumed (no published figure) is refused unless
    `assumed_rates`; the invoice then lists the assumption (assumptions.py).
    """
    if override is not None:
        return override
    assert ms.stage is not None
    rate = ms.stage.day_rate
    where = f"(group {ms.group!r}, month {ms.month})"
    if isinstance(rate, Decimal):
        return rate
    if isinstance(rate, dict):
        if ms.year not in rate:
            raise PaymentError(
                f"no day rate for {ms.year} {where} in stage {ms.stage.name!r}; "
                "add it there or pass --day-rate"
            )
        return rate[ms.year]
    name = f"day_rate_{ms.year}"
    parameter = rulebook.parameters.get(name)
    how = f"set it for the run with --set {name}=AMOUNT (or --day-rate AMOUNT)"
    if parameter is None or parameter.value is None:
        raise PaymentError(
            f"no national day rate for {ms.year} {where}: Socialstyrelsen's amount for "
            f"{ms.year} is not in the project's national-day-rates.toml; {how}",
            parameter=name,
        )
    if parameter.assumption and not parameter.set_for_run and not assumed_rates:
        raise PaymentError(
            f"the national day rate for {ms.year} {where} has no published figure in the "
            f"project, only an assumption ({parameter.value} SEK: {parameter.assumption}); "
            f"an invoice needs the published amount: {how}",
            parameter=name,
        )
    assert isinstance(parameter.value, Decimal)
    return parameter.value


def hundredths(value: Decimal) -> int:
    scaled = value * 100
    if scaled != scaled.to_integral_value():
        raise PaymentError(f"{value} has more than two decimals; days and SEK are kept to öre")
    return int(scaled)


_DAY = 24 * 60


def day_one_shift(stage: Stage | None) -> int:
    """Minutes that, added to a notification time, land on the date of day 1.

    A notification at or after the cut-off C counts from the next date: adding 24 h − C crosses
    midnight exactly then. The law's other reading (`day_after`) starts the next date always.
    Calendar arithmetic on one column is far cheaper than comparing hours and minutes.
    """
    if stage is None:
        return 0
    if stage.day_after:
        return _DAY
    return 0 if stage.cutoff is None else _DAY - (stage.cutoff.hour * 60 + stage.cutoff.minute)


def stage_table(
    month_stages: list[MonthStage],
    *,
    rates: dict[tuple[str, str], Decimal],
    notes: dict[tuple[str, str], list[Note]],
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
                "day_one_shift": day_one_shift(stage),
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
                "by_notification": bool(stage and stage.model is Model.LAW_DEFAULT),
                "assumptions": [str(note) for note in notes.get(key, [])],
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
    "day_one_shift": pl.Int32,
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
    "by_notification": pl.Boolean,
    "assumptions": pl.List(pl.String),
}


def month_stages(rulebook: Rulebook, months: list[str]) -> list[MonthStage]:
    out = []
    for group in rulebook.groups:
        for month in months:
            out.append(MonthStage(group.name, month, stage_in(rulebook, group.name, month)))
    return out


def stage_in(rulebook: Rulebook, group: str, month: str) -> Stage | None:
    start = month_start(month)
    if not rulebook.in_force(start):
        return None
    return next(g for g in rulebook.groups if g.name == group).stage_for(start)
