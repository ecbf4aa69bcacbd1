"""One row per closed episode with what the indicators count: days, and a flag per condition.

All columns are computed at once over the whole frame; the indicators only sum them per group.
Times are naive Stockholm wall-clock times (the episode reader's contract), so calendar dates are
local dates; the one elapsed-time rule (24 hours) goes through UTC for the DST nights.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

import polars as pl

from utskrivning.domain.calendar import STOCKHOLM, major_holiday_dates
from utskrivning.domain.care import INDICATOR_GROUP

READMISSION_DAYS = 30  # Stockholm's goal: "återinskrivningar ... inom 30 dagar"
OLD_AGE = 65
OVER_READY_DAYS = 3  # local indicator c: "kvar >3 dagar efter att de är utskrivningsklara"
SIP_ESTABLISHED_DAYS = 30  # local indicator d
SUMMONS_DAYS = 3  # the law: SIP summons "senast tre dagar efter" the readiness notification
NOTICE_HOURS = 24  # the admission notice "inom 24 timmar"

FLAGS = (
    "ready", "same_day", "ready_one_day_or_more", "admission_notice", "over_three_ready_days",
    "sip_summoned", "sip_not_within_30_days", "sip_held", "sip_held_during_stay",
    "kept_over_major_holiday", "discharged_over_major_holiday", "ready_date_moved",
    "aged_65", "readmitted_30", "notice_within_24h", "summons_due", "summons_within_3_days",
    "named_contact_due", "named_contact_before_discharge",
)  # fmt: skip


def episode_measures(
    frame: pl.DataFrame, *, major_holidays: Collection[date] | None = None
) -> pl.DataFrame:
    """One row per closed episode, in the month of its discharge (see the package docstring).

    Columns: episode_id, month ("YYYY-MM"), municipality (the liable one), unit,
    primary_care_unit ("" when empty), care ("somatic" | "psychiatric"), patient_key (a hash of
    patient_id, to count distinct patients without passing the personnummer on), ready_days
    (Int64, null when never ready), care_days (Int64), ready_moves (Int64) and the Boolean
    `FLAGS`. `major_holidays` replaces the storhelg dates of `calendar.major_holiday_dates`
    for a region that keeps other ones (payment-rules.md: "Configurable per region").
    """
    ready_date = pl.col("ready_at").dt.date()
    discharge_date = pl.col("discharged_at").dt.date()
    ready_days = (discharge_date - ready_date).dt.total_days().clip(0)
    ready = pl.col("ready_at").is_not_null()
    summoned = pl.col("sip_summoned_at").is_not_null()
    held = pl.col("sip_held_at")
    storhelg = _holiday_days(frame, major_holidays)
    summons_due = ready & (pl.col("sip_needed") | summoned)
    named_contact_due = pl.col("primary_care_unit").is_not_null()
    return (
        _with_readmissions(frame)
        .filter(pl.col("discharged_at").is_not_null())
        .select(
            "episode_id",
            month=pl.col("discharged_at").dt.strftime("%Y-%m"),
            municipality=pl.col("liable_municipality").fill_null(""),
            unit=pl.col("unit").fill_null(""),
            primary_care_unit=pl.col("primary_care_unit").fill_null(""),
            care=pl.col("care_type").replace_strict(INDICATOR_GROUP, return_dtype=pl.String),
            patient_key=pl.col("patient_id").hash(),
            ready_days=ready_days.cast(pl.Int64),
            care_days=(discharge_date - pl.col("admitted_at").dt.date())
            .dt.total_days()
            .cast(pl.Int64),
            ready_moves=(pl.col("ready_declarations") - 1).clip(0).fill_null(0).cast(pl.Int64),
            ready=ready,
            same_day=ready & (ready_days == 0),
            ready_one_day_or_more=ready & (ready_days >= 1),
            admission_notice=pl.col("admission_notice_at").is_not_null(),
            over_three_ready_days=ready & (ready_days > OVER_READY_DAYS),
            sip_summoned=summoned,
            sip_not_within_30_days=summoned
            & (_days_between("sip_summoned_at", "sip_held_at") > SIP_ESTABLISHED_DAYS).fill_null(
                True
            ),
            sip_held=held.is_not_null(),
            sip_held_during_stay=held.is_between("admitted_at", "discharged_at").fill_null(False),
            kept_over_major_holiday=ready
            & (_holidays_before(discharge_date, storhelg) > _holidays_before(ready_date, storhelg)),
            discharged_over_major_holiday=ready & discharge_date.is_in(storhelg.implode()),
            ready_date_moved=ready & (pl.col("ready_declarations") > 1),
            aged_65=(_age_at_admission() >= OLD_AGE).fill_null(False),
            readmitted_30=pl.col("readmitted_30"),
            notice_within_24h=(
                _utc("admission_notice_at") - _utc("admitted_at") <= pl.duration(hours=NOTICE_HOURS)
            ).fill_null(False),
            summons_due=summons_due,
            summons_within_3_days=summons_due
            & (_days_between("ready_at", "sip_summoned_at") <= SUMMONS_DAYS).fill_null(False),
            named_contact_due=named_contact_due,
            named_contact_before_discharge=named_contact_due
            & (pl.col("named_contact_at") <= pl.col("discharged_at")).fill_null(False),
        )
    )


def _days_between(start: str, end: str) -> pl.Expr:
    """Calendar days between two local dates; null when either is missing."""
    return (pl.col(end).dt.date() - pl.col(start).dt.date()).dt.total_days()


def _utc(name: str) -> pl.Expr:
    # A time in the hour October repeats is read as the first of the two; the reader keeps no
    # offset to tell them apart.
    return pl.col(name).dt.replace_time_zone(STOCKHOLM.key, ambiguous="earliest")


def _holiday_days(frame: pl.DataFrame, given: Collection[date] | None) -> pl.Series:
    """The storhelg dates of every year the file touches, sorted, as a Date series."""
    if given is None:
        years = frame.select(
            pl.col("admitted_at").dt.year().min().alias("first"),
            pl.col("discharged_at").dt.year().max().alias("last"),
        ).row(0)
        first, last = (years[0] or 0), (years[1] or -1)
        given = {day for year in range(first, last + 1) for day in major_holiday_dates(year)}
    return pl.Series(sorted(given), dtype=pl.Date)


def _holidays_before(day: pl.Expr, storhelg: pl.Series) -> pl.Expr:
    """How many storhelg dates fall before `day`: the difference of two counts says whether a
    holiday lies in a span, without a row per day."""
    return pl.lit(storhelg).search_sorted(day, side="left")


def _age_at_admission() -> pl.Expr:
    """Whole years at admission, from the personnummer's birth date (samordningsnummer: day
    minus 60), else from the `age` column a pseudonymised file carries."""
    number = pl.col("patient_id")
    is_number = number.str.contains(r"^[0-9]{12}$")
    year = number.str.slice(0, 4).cast(pl.Int64, strict=False)
    month_day = number.str.slice(4, 4).cast(pl.Int64, strict=False)
    month_day = pl.when(month_day % 100 > 60).then(month_day - 60).otherwise(month_day)
    admitted = pl.col("admitted_at")
    admitted_month_day = admitted.dt.month().cast(pl.Int64) * 100 + admitted.dt.day()
    from_number = (
        admitted.dt.year().cast(pl.Int64) - year - (admitted_month_day < month_day).cast(pl.Int64)
    )
    return pl.coalesce(pl.when(is_number).then(from_number), pl.col("age"))


_ORDER = "\x00order"  # the row's place in the file while sorted by patient: no column's name


def _with_readmissions(frame: pl.DataFrame) -> pl.DataFrame:
    """`readmitted_30`: the patient's next admission is 0–30 days after this discharge date.

    Every episode of the file may be the next admission, a still-admitted one too; a month's
    count is therefore final only once the file reaches 30 days past its end.
    """
    # One sort and a shift, the file's order restored after: a window `over` 38 000 patients
    # took eight times the CPU, and ten times as long when the cores were busy.
    same_patient = pl.col("patient_id").shift(-1) == pl.col("patient_id")
    next_admission = pl.when(same_patient).then(pl.col("admitted_at").shift(-1))
    gap = (next_admission.dt.date() - pl.col("discharged_at").dt.date()).dt.total_days()
    return (
        frame.with_row_index(_ORDER)
        .sort("patient_id", "admitted_at", maintain_order=True)
        .with_columns(readmitted_30=gap.is_between(0, READMISSION_DAYS).fill_null(False))
        .sort(_ORDER)
        .drop(_ORDER)
    )
