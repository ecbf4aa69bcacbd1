"""Each discharged episode's ready days, basis and billable days, for a whole file at once.

See `payment-rules.md` "Counting ready days". The per-episode explanation in `explain.py` walks
the same rules one episode at a time; the property tests hold the two to the same answers.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import polars as pl

from utskrivning.domain.calendar import non_working_days
from utskrivning.domain.payment import reasons
from utskrivning.domain.payment.reasons import Basis
from utskrivning.domain.rulebooks import Model, Rulebook

# Grace periods end at most this far past a discharge date (30 weekdays plus holidays).
_GRACE_REACH = timedelta(days=120)


# What the engine reads of an episode; the rest of the file's columns never enter it.
COLUMNS = ["line", "episode_id", "care_type", "liable_municipality", "liable_district",
           "primary_care_unit", "admission_notice_at", "ready_at", "named_contact_at",
           "sip_needed", "sip_summoned_at", "discharged_at", "status"]  # fmt: skip


def discharged(frame: pl.DataFrame, rulebook: Rulebook) -> pl.DataFrame:
    """Episodes that left hospital, with the month (as yyyymm) and rulebook group that bill them.

    The month is an integer key here because formatting 1.5 million dates as text costs more
    than the rest of the counting; the text month comes with the stage table's join.
    """
    care_type_group = {ct: g.name for g in rulebook.groups for ct in g.care_types}
    return (
        frame.lazy()
        .select(COLUMNS)
        .filter(pl.col("discharged_at").is_not_null())
        .with_columns(
            month_key=pl.col("discharged_at").dt.year() * 100 + pl.col("discharged_at").dt.month(),
            rule_group=pl.col("care_type").replace_strict(care_type_group, return_dtype=pl.String),
        )
        .collect()
    )


def _holidays(episodes: pl.DataFrame) -> list[date]:
    first, last = episodes.select(
        pl.col("ready_at").dt.date().min(), pl.col("discharged_at").dt.date().max()
    ).row(0)
    if first is None or last is None:
        return []
    return non_working_days(first, last + _GRACE_REACH)


_PRECONDITIONS = (reasons.MISSING_ADMISSION_NOTICE, reasons.MISSING_READINESS,
                  reasons.MISSING_NAMED_CONTACT, reasons.MISSING_SIP_SUMMONS)  # fmt: skip


def _precondition_texts(template: str) -> pl.Series:
    """The text for each set of failed preconditions, indexed by the set as bits; 0: none."""
    texts = [
        ", ".join(text for bit, text in enumerate(_PRECONDITIONS) if failed >> bit & 1)
        for failed in range(1 << len(_PRECONDITIONS))
    ]
    return pl.Series([template.format(text) if text else None for text in texts], dtype=pl.String)


# Looked up, not built per row: joining and formatting strings cost more than the counting.
_FAILED_REASONS = _precondition_texts(reasons.PRECONDITIONS_FAILED)


def _failed_preconditions() -> pl.Expr:
    """The failed preconditions as bits, in the order of `_PRECONDITIONS`."""
    checks = [
        pl.col("check_admission_notice") & pl.col("admission_notice_at").is_null(),
        pl.col("check_readiness") & pl.col("ready_at").is_null(),
        pl.col("check_named_contact") & pl.col("primary_care_unit").is_not_null()
        & pl.col("named_contact_at").is_null(),
        pl.col("check_sip_summoned") & pl.col("sip_needed") & pl.col("sip_summoned_at").is_null(),
    ]  # fmt: skip
    return pl.sum_horizontal(
        failed.fill_null(False).cast(pl.UInt8) * (1 << bit) for bit, failed in enumerate(checks)
    )


LINE_COLUMNS = ["line", "episode_id", "care_type", "liable_municipality", "liable_district",
                "rule_group", "month_key", "month", "discharge_date", "ready_at", "ready_days",
                "basis", "billable_days", "reason"]  # fmt: skip


def _decision(basis: Basis, reason: pl.Expr, billable: pl.Expr | None) -> pl.Expr:
    return pl.struct(
        basis=pl.lit(str(basis)),
        reason=reason,
        billable=pl.lit(0) if billable is None else billable,
    )


def episode_lines(discharged_episodes: pl.DataFrame, stages: pl.DataFrame) -> pl.DataFrame:
    """One line per discharged episode: ready days, basis, billable days, amount in öre."""
    days = (
        discharged_episodes.lazy()
        .join(stages.lazy(), on=["rule_group", "month_key"], how="left")
        .with_columns(
            day_one=pl.col("ready_at").dt.date()
            + pl.duration(
                days=(
                    pl.col("day_after")
                    | (
                        pl.col("cutoff_minute").is_not_null()
                        & (
                            pl.col("ready_at").dt.hour().cast(pl.Int32) * 60
                            + pl.col("ready_at").dt.minute()
                            >= pl.col("cutoff_minute")
                        )
                    )
                ).cast(pl.Int32)
            ),
            discharge_date=pl.col("discharged_at").dt.date(),
        )
    )
    calendar_days = (pl.col("discharge_date") - pl.col("day_one")).dt.total_days().clip(0)
    weekdays: pl.Expr = pl.lit(None, dtype=pl.Int64)
    last_grace_day: pl.Expr = pl.lit(None, dtype=pl.Date)
    # Business-day arithmetic is the costliest step; only weekday rulebooks pay for it.
    if stages["weekdays"].any():
        holidays = _holidays(discharged_episodes)
        weekdays = pl.business_day_count("day_one", "discharge_date", holidays=holidays).clip(0)
        last_grace_day = pl.col("day_one").dt.add_business_days(
            pl.col("grace_days") - 1, holidays=holidays, roll="forward"
        )
    in_force = pl.col("in_force").fill_null(False)
    days = days.with_columns(
        ready_days=pl.when(~in_force)
        .then(0)
        .when(pl.col("weekdays"))
        .then(weekdays)
        .otherwise(calendar_days),
        calendar_days=calendar_days,
        last_grace_day=pl.when(pl.col("weekdays") & (pl.col("grace_days") > 0)).then(
            last_grace_day
        ),
        failed_bits=_failed_preconditions(),
    )
    grace_billable = (
        pl.when(pl.col("ready_days") <= pl.col("grace_days"))
        .then(0)
        .when(pl.col("grace_days") == 0)
        .then(pl.col("calendar_days"))
        .when(pl.col("weekdays"))
        .then((pl.col("discharge_date") - pl.col("last_grace_day")).dt.total_days() - 1)
        .otherwise(pl.col("calendar_days") - pl.col("grace_days"))
    )
    is_individual_model = pl.col("model").is_in([Model.GRACE_DAYS, Model.LAW_DEFAULT])
    over = pl.col("individual_over").is_not_null() & (
        pl.col("ready_days") > pl.col("individual_over")
    )
    decisions = [
        (~in_force, Basis.EXCLUDED, pl.lit(reasons.NOT_IN_FORCE), None),
        (pl.col("ready_at").is_null() & ~pl.col("check_readiness"),
         Basis.EXCLUDED, pl.lit(reasons.NEVER_READY), None),
        (pl.col("only_done") & (pl.col("status").fill_null("") != "done"),
         Basis.EXCLUDED, pl.lit(reasons.NOT_DONE), None),
        (pl.col("failed_bits") != 0, Basis.NOT_LIABLE,
         pl.lit(_FAILED_REASONS).gather("failed_bits"), None),
        (pl.col("exclude_zero") & (pl.col("ready_days") == 0),
         Basis.EXCLUDED, pl.lit(reasons.ZERO_DAY), None),
        (over, Basis.INDIVIDUAL,
         pl.format(reasons.INDIVIDUAL_OVER, "individual_over", "individual_beyond"),
         pl.col("ready_days") - pl.col("individual_beyond")),
        (is_individual_model, Basis.INDIVIDUAL, pl.format(reasons.GRACE, "grace_days"),
         grace_billable),
    ]  # fmt: skip
    rule: Any = pl
    for condition, basis, reason, billable in decisions:
        rule = rule.when(condition).then(_decision(basis, reason, billable))
    rule = rule.otherwise(_decision(Basis.AVERAGE, pl.lit(reasons.COUNTED), None))
    billed = pl.col("invoicing") & (pl.col("rule").struct.field("billable") > 0)
    return (
        days.with_columns(rule=rule)
        .with_columns(
            basis=pl.col("rule").struct.field("basis"),
            billable_days=pl.when(billed)
            .then(pl.col("rule").struct.field("billable"))
            .otherwise(0),
            reason=pl.when(
                pl.col("rule").struct.field("billable") > 0, ~pl.col("invoicing").fill_null(True)
            )
            .then(pl.format(reasons.NO_INVOICING, "stage"))
            .otherwise(pl.col("rule").struct.field("reason")),
            ready_days=pl.col("ready_days").fill_null(0),
        )
        .select(
            *LINE_COLUMNS,
            amount_ore=pl.col("billable_days").cast(pl.Int64) * pl.col("rate_ore"),
        )
        .collect()
    )
