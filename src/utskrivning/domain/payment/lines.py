"""Each discharged episode's ready days, basis and billable days, for a whole file at once.

See `payment-rules.md` "Counting ready days". The per-episode explanation in `explain.py` walks
the same rules one episode at a time; the property tests hold the two to the same answers.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from utskrivning.domain.calendar import non_working_days
from utskrivning.domain.payment import reasons
from utskrivning.domain.payment.reasons import Basis, Reason, ReasonCode, preconditions_failed
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


_PRECONDITIONS = tuple(reasons.PRECONDITIONS)  # their codes, in the order of the bits below


def _failed_preconditions() -> pl.Expr:
    """The failed preconditions as bits, in the order of `_PRECONDITIONS`."""
    contact, discharged = pl.col("named_contact_at"), pl.col("discharged_at")
    notice, summons = pl.col("admission_notice_at"), pl.col("sip_summoned_at")
    checks = [
        pl.col("check_admission_notice") & notice.is_null(),
        pl.col("check_readiness") & pl.col("ready_at").is_null(),
        # A contact appointed at all means primary care is involved: after discharge it fails
        # whether or not the file names the unit (issue 16 item 2; the import reads it so too).
        pl.col("check_named_contact")
        & ((pl.col("primary_care_unit").is_not_null() & contact.is_null())
           | (contact > discharged)),
        pl.col("check_sip_summoned") & pl.col("sip_needed") & summons.is_null(),
        pl.col("check_admission_notice") & (notice > discharged),
        pl.col("check_sip_summoned") & pl.col("sip_needed") & (summons > discharged),
    ]  # fmt: skip
    return pl.sum_horizontal(
        failed.fill_null(False).cast(pl.UInt8) * (1 << bit) for bit, failed in enumerate(checks)
    )


def _sip_counts() -> pl.Expr:
    return pl.col("check_sip_summoned") & pl.col("sip_needed").fill_null(False)


def _start() -> pl.Expr:
    """When counting starts: the latest of readiness and the checked preconditions that move it
    (payment-rules.md "Preconditions"; Dalarna §11 "För att påbörja beräkning av dagar krävs")."""
    notice = pl.when(pl.col("check_admission_notice")).then(pl.col("admission_notice_at"))
    summons = pl.when(_sip_counts()).then(pl.col("sip_summoned_at"))
    return pl.when(pl.col("ready_at").is_not_null()).then(
        pl.max_horizontal("ready_at", notice, summons)
    )


def _day_one(at: pl.Expr) -> pl.Expr:
    """The date counting starts from a notification at `at`, with the stage's cut-off."""
    return (at + pl.duration(minutes=pl.col("day_one_shift"))).dt.date()


def _moved_by() -> pl.Expr:
    """Which precondition moved day 1 past readiness's own day 1 (None when none did)."""
    summons = _sip_counts() & (pl.col("sip_summoned_at") == pl.col("start_at"))
    return (
        pl.when(pl.col("day_one_moved_days") <= 0)
        .then(None)
        .when(summons.fill_null(False))
        .then(pl.lit(reasons.MOVED_BY_SIP_SUMMONS))
        .otherwise(pl.lit(reasons.MOVED_BY_ADMISSION_NOTICE))
    )


LINE_COLUMNS = ["line", "episode_id", "care_type", "liable_municipality", "liable_district",
                "rule_group", "month_key", "month", "discharge_date", "ready_at", "ready_days",
                "basis", "billable_days", "reason", "day_one_moved_by",
                "day_one_moved_days"]  # fmt: skip

# Each episode's decision is a slot: the rule that decided it, or for failed preconditions
# `_FAILED` plus the failed ones as bits. Basis and reason are looked up by slot (the reason per
# stage row too, as some name the stage's values) rather than built per episode: 1.5 million
# strings cost more than all the counting.
_NOT_IN_FORCE, _NEVER_READY, _NOT_DONE, _ZERO_DAY, _OVER, _GRACE, _COUNTED, _NO_INVOICING = range(8)
_FAILED = 8
_SLOTS = _FAILED + (1 << len(_PRECONDITIONS))
_BASES = pl.Series(  # `_NO_INVOICING` only ever replaces a reason, never a basis
    [Basis.EXCLUDED] * 4 + [Basis.INDIVIDUAL] * 2 + [Basis.AVERAGE, None]
    + [Basis.NOT_LIABLE] * (1 << len(_PRECONDITIONS)),
    dtype=pl.String,
)  # fmt: skip


def _slot_reasons(stages: pl.DataFrame) -> list[Reason | None]:
    """Every reason, `_SLOTS` per stage row in slot order (None where a stage has no values for
    one: that slot never decides its lines)."""
    failed = [
        [code for bit, code in enumerate(_PRECONDITIONS) if bits >> bit & 1]
        for bits in range(1 << len(_PRECONDITIONS))
    ]
    fixed = {code: Reason(code) for code in (ReasonCode.NOT_IN_FORCE, ReasonCode.NEVER_READY,
                                                ReasonCode.NOT_DONE, ReasonCode.ZERO_DAY,
                                                ReasonCode.COUNTED)}  # fmt: skip
    out: list[Reason | None] = []
    for stage in stages.iter_rows(named=True):
        over, beyond = stage["individual_over"], stage["individual_beyond"]
        grace, name = stage["grace_days"], stage["stage"]
        out += [
            fixed[ReasonCode.NOT_IN_FORCE], fixed[ReasonCode.NEVER_READY],
            fixed[ReasonCode.NOT_DONE], fixed[ReasonCode.ZERO_DAY],
            None if over is None or beyond is None
            else Reason(ReasonCode.INDIVIDUAL_OVER, over=over, beyond=beyond),
            None if grace is None else Reason(ReasonCode.GRACE, days=grace),
            fixed[ReasonCode.COUNTED],
            None if name is None else Reason(ReasonCode.NO_INVOICING, stage=name),
            *(preconditions_failed(codes) if codes else None for codes in failed),
        ]  # fmt: skip
    return out


def _stage_row(stages: pl.DataFrame) -> pl.Expr:
    """Each episode's row in the stage table, by its group and month.

    Looked up by number rather than joined: a join copies every column of the episodes into
    its own row order, which costs more than the rules.
    """
    groups = {group: n for n, group in enumerate(stages["rule_group"].unique().sort())}
    key = {
        month_key * len(groups) + groups[group]: row
        for row, (group, month_key) in enumerate(stages.select("rule_group", "month_key").rows())
    }
    group = pl.col("rule_group").replace_strict(groups, return_dtype=pl.Int64)
    return (pl.col("month_key").cast(pl.Int64) * len(groups) + group).replace_strict(
        key, return_dtype=pl.UInt32
    )


def _notified_grace(stages: pl.DataFrame, notified: dict[tuple[str, int], int]) -> pl.Expr:
    """The law's grace days in force on the notification date (payment-rules.md law_default):
    notified in 2018, a psychiatric episode keeps 2018's 30 days when discharged in 2019."""
    groups = {group: n for n, group in enumerate(stages["rule_group"].unique().sort())}
    key = {month * len(groups) + groups[group]: days for (group, month), days in notified.items()}
    month = pl.col("ready_at").dt.year() * 100 + pl.col("ready_at").dt.month()
    found = (
        month.cast(pl.Int64) * len(groups)
        + pl.col("rule_group").replace_strict(groups, return_dtype=pl.Int64)
    ).replace_strict(key, default=None, return_dtype=pl.Int32)
    return (
        pl.when(pl.col("by_notification") & found.is_not_null())
        .then(found)
        .otherwise(pl.col("grace_days"))
    )


def episode_lines(
    discharged_episodes: pl.DataFrame,
    stages: pl.DataFrame,
    notified_grace: dict[tuple[str, int], int] | None = None,
) -> tuple[pl.DataFrame, dict[str, Reason]]:
    """One line per discharged episode: ready days, basis, billable days, amount in öre; and
    each reason text the lines may hold → its code and values (a few hundred at most).

    `notified_grace`: (group, yyyymm of the notification) → grace days, for law_default stages.
    """
    stages = stages.with_columns(
        individual_model=pl.col("model").is_in([Model.GRACE_DAYS, Model.LAW_DEFAULT])
    )
    days = (
        discharged_episodes.lazy()
        .with_columns(stage_row=_stage_row(stages))
        .with_columns(
            pl.lit(stages.get_column(name)).gather("stage_row").alias(name)
            for name in stages.columns
            if name
            not in ("rule_group", "month_key", "stage", "model", "two_of_three", "assumptions")
        )
        .with_columns(start_at=_start(), discharge_date=pl.col("discharged_at").dt.date())
        .with_columns(day_one=_day_one(pl.col("start_at")))
        .with_columns(
            day_one_moved_days=(pl.col("day_one") - _day_one(pl.col("ready_at")))
            .dt.total_days()
            .fill_null(0)
            .cast(pl.Int32)
        )
    )
    if notified_grace:
        days = days.with_columns(
            stage_grace=pl.col("grace_days"), grace_days=_notified_grace(stages, notified_grace)
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
    # Stockholm 2018 §10, payment-rules.md grace_days: once the grace (week)days are used up,
    # every calendar day until discharge counts, even when no weekday follows (a grace ending on a
    # Friday and a discharge on Monday bill the weekend).
    grace_billable = (
        pl.when(pl.col("grace_days") == 0)
        .then(pl.col("calendar_days"))
        .when(pl.col("weekdays"))
        .then((pl.col("discharge_date") - pl.col("last_grace_day")).dt.total_days() - 1)
        .otherwise(pl.col("calendar_days") - pl.col("grace_days"))
        .clip(0)
    )
    over = pl.col("individual_over").is_not_null() & (
        pl.col("ready_days") > pl.col("individual_over")
    )
    # The first rule that holds decides, in the order of `explain._rule`.
    slot = (
        pl.when(~in_force).then(_NOT_IN_FORCE)
        .when(pl.col("ready_at").is_null() & ~pl.col("check_readiness")).then(_NEVER_READY)
        .when(pl.col("only_done") & (pl.col("status").fill_null("") != "done")).then(_NOT_DONE)
        .when(pl.col("failed_bits") != 0).then(_FAILED + pl.col("failed_bits").cast(pl.Int32))
        .when(pl.col("exclude_zero") & (pl.col("ready_days") == 0)).then(_ZERO_DAY)
        .when(over).then(_OVER)
        .when(pl.col("individual_model")).then(_GRACE)
        .otherwise(_COUNTED)
    )  # fmt: skip
    billable = (
        pl.when(pl.col("slot") == _OVER)
        .then(pl.col("ready_days") - pl.col("individual_beyond"))
        .when(pl.col("slot") == _GRACE)
        .then(grace_billable)
        .otherwise(0)
    )
    no_invoicing = (pl.col("billable") > 0) & ~pl.col("invoicing").fill_null(True)
    reason_slot = pl.when(no_invoicing).then(_NO_INVOICING).otherwise(pl.col("slot"))
    slot_reasons = _slot_reasons(stages)
    texts = pl.Series([None if r is None else str(r) for r in slot_reasons], dtype=pl.String)
    reason = pl.lit(texts).gather(pl.col("stage_row") * _SLOTS + reason_slot)
    known = {str(r): r for r in slot_reasons if r is not None}
    if notified_grace:
        notified = {
            days: Reason(ReasonCode.GRACE_NOTIFIED, days=days)
            for days in set(notified_grace.values())
        }
        known |= {str(r): r for r in notified.values()}
        notified_text = pl.col("grace_days").replace_strict(
            {days: str(r) for days, r in notified.items()}, default=None, return_dtype=pl.String
        )
        reason = (
            pl.when((pl.col("slot") == _GRACE) & (pl.col("grace_days") != pl.col("stage_grace")))
            .then(notified_text)
            .otherwise(reason)
        )
    frame = (
        days.with_columns(slot=slot)
        .with_columns(billable=billable)
        .with_columns(
            basis=pl.lit(_BASES).gather("slot"),
            billable_days=pl.when(pl.col("invoicing") & (pl.col("billable") > 0))
            .then(pl.col("billable"))
            .otherwise(0),
            reason=reason,
            ready_days=pl.col("ready_days").fill_null(0),
            day_one_moved_by=_moved_by(),
        )
        .select(
            *LINE_COLUMNS,
            amount_ore=pl.col("billable_days").cast(pl.Int64) * pl.col("rate_ore"),
        )
        .collect()
    )
    return frame, known
