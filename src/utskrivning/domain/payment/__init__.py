"""The payment engine: a municipality's liability for ready days, per agreement, to the krona.

`compute_payment` runs a rulebook over a whole episode frame (from `read_episodes`) in Polars;
`explain_episode` tells one episode's story by the same rules. See payment-rules.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from itertools import chain
from typing import Any

import polars as pl

from utskrivning.domain.payment.assumptions import month_assumptions
from utskrivning.domain.payment.invoices import KEYS, invoice_table, threshold_table
from utskrivning.domain.payment.lines import discharged, episode_lines
from utskrivning.domain.payment.notes import Note, NoteCode
from utskrivning.domain.payment.reasons import Basis, Reason, ReasonCode, Reasons
from utskrivning.domain.payment.stages import (
    MonthStage,
    PaymentError,
    month_key,
    month_stages,
    month_text,
    resolve_day_rate,
    stage_in,
    stage_table,
)
from utskrivning.domain.rulebooks import Model, Rulebook

__all__ = ["Basis", "Invoice", "InvoiceLine", "PaymentError", "PaymentResult", "compute_payment"]

TWO_PLACES = Decimal("0.01")


def _days(hundredths: int) -> Decimal:
    return (Decimal(hundredths) / 100).quantize(TWO_PLACES)


def _kronor(ore: int | None) -> Decimal | None:
    return None if ore is None else Decimal(ore) / 100


@dataclass(frozen=True)
class InvoiceLine:
    episode_id: str
    line: int
    care_type: str
    ready_days: int
    basis: Basis
    billable_days: Decimal
    amount_sek: Decimal
    reason: Reason
    # Which precondition moved day 1 past the readiness notification's, and by how many days.
    day_one_moved_by: str | None = None
    day_one_moved_days: int = 0


@dataclass(frozen=True)
class Invoice:
    municipality: str
    district: str | None
    month: str
    group: str
    model: str | None
    stage: str | None
    counted_episodes: int
    ready_days: int
    average_days: Decimal | None
    threshold_days: Decimal | None
    liable: bool
    reason: Reasons
    billable_days: Decimal
    day_rate_sek: Decimal | None
    amount_sek: int
    excluded_episodes: int
    not_liable_episodes: int
    missing_ready_at: int
    lines: tuple[InvoiceLine, ...]
    # What the invoice rests on that no agreement states (payment-rules.md), as sentences.
    assumptions: tuple[str, ...] = ()


def _average(days: int | None, counted: int | None) -> Decimal | None:
    if not counted:
        return None
    return (Decimal(days or 0) / counted).quantize(TWO_PLACES, ROUND_HALF_UP)


def _average_reason(row: dict[str, Any]) -> Reason:
    threshold = _days(row["threshold_c"])
    average = _average(row["ready_days"], row["counted_episodes"])
    if average is None:
        return Reason(ReasonCode.NONE_COUNTED, threshold=threshold)
    code = ReasonCode.AVERAGE_EXCEEDS if row["exceeds"] else ReasonCode.AVERAGE_WITHIN
    return Reason(code, average=average, threshold=threshold)


def _history(row: dict[str, Any], back: int) -> dict[str, object]:
    """One of the two months before, as TWO_OF_THREE's values `month_N` and `average_N`."""
    average = _average(row[f"days_{back}"], row[f"counted_{back}"])
    if row[f"exceeds_{back}"] is None:
        verdict = "missing"
    elif average is None:
        verdict = "none_counted"
    else:
        verdict = "exceeded" if row[f"exceeds_{back}"] else "within"
    return {f"month_{back}": verdict, f"average_{back}": "" if average is None else average}


def _reason(row: dict[str, Any], rulebook: Rulebook) -> Reasons:
    """Why this invoice is liable or not, in the agreement's terms (Dalarna: which months)."""
    if not row["in_force"]:
        return Reasons(
            [Reason(ReasonCode.RULEBOOK_NOT_IN_FORCE, rulebook=rulebook.id, month=row["month"])]
        )
    if not row["invoicing"]:
        return Reasons([Reason(ReasonCode.NO_INVOICING, stage=row["stage"])])
    parts = []
    if row["model"] == "average":
        parts.append(_average_reason(row))
        if row["two_of_three"] and row["exceeds"]:
            liable = "true" if row["average_liable"] else "false"
            parts.append(
                Reason(ReasonCode.TWO_OF_THREE, liable=liable, **_history(row, 1),
                          **_history(row, 2))
            )  # fmt: skip
    if row["individual_days"]:
        parts.append(
            Reason(ReasonCode.BILLED_INDIVIDUALLY, episodes=row["individual_episodes"],
                      days=row["individual_days"])
        )  # fmt: skip
    elif row["model"] != "average":
        parts.append(Reason(ReasonCode.NONE_BEYOND_GRACE))
    return Reasons(parts)


@dataclass(frozen=True)
class PaymentResult:
    """The invoice basis as frames (for bulk work and files) and as invoices (for people)."""

    rulebook: Rulebook
    invoice_frame: pl.DataFrame
    line_frame: pl.DataFrame
    skipped_rows: int = 0
    # Each assumption's sentence (the frames', the files') → its code and values (notes.py).
    notes: Mapping[str, Note] = field(default_factory=dict)
    # Each line's reason text (`line_frame`'s `reason`) → its code and values (reasons.py).
    line_reasons: Mapping[str, Reason] = field(default_factory=dict)

    def assumptions(self) -> list[str]:
        """Every sentence any invoice of the run rests on, once each, in order."""
        notes = self.invoice_frame.select(pl.col("assumptions").explode().drop_nulls())
        return list(dict.fromkeys(notes.to_series().to_list()))

    def assumption_notes(self) -> list[Note]:
        """`assumptions()` as codes and values, for a reader's own words."""
        return [self.note(text) for text in self.assumptions()]

    def note(self, text: str) -> Note:
        """One of the run's sentences as its code and values."""
        return self.notes.get(text) or Note.of(NoteCode.TEXT, text=text)

    def reasons(self) -> list[Reasons]:
        """Each invoice's reason, in the order of `invoice_frame`: one sentence per invoice,
        which keeps its parts' codes and values."""
        return list(self._reasons)

    @cached_property
    def _reasons(self) -> tuple[Reasons, ...]:
        """Made once per result: a national year's four thousand invoices take 0.07 s of
        Python, and the workbook asks twice (its words and its sheet)."""
        rows = self.invoice_frame.iter_rows(named=True)
        return tuple(_reason(row, self.rulebook) for row in rows)

    def line_reason(self, text: str) -> Reason:
        """A line's reason text as its code and values."""
        return self.line_reasons.get(text) or Reason(ReasonCode.TEXT, text=text)

    def invoices(self, *, lines: bool = True) -> list[Invoice]:
        """The invoices as objects, for what a person reads; `lines=False` leaves the lines out
        (a national year has 1.5 million). Files are written from the frames (`export`)."""
        lines_by_invoice = self.line_frame.partition_by(KEYS, as_dict=True) if lines else {}
        out = []
        rows = zip(self.invoice_frame.iter_rows(named=True), self.reasons(), strict=True)
        for row, reason in rows:
            key = tuple(row[k] for k in KEYS)
            counted = row["counted_episodes"]
            out.append(
                Invoice(
                    municipality=row["liable_municipality"],
                    district=row["liable_district"],
                    month=row["month"],
                    group=row["rule_group"],
                    model=row["model"],
                    stage=row["stage"],
                    counted_episodes=counted,
                    ready_days=row["ready_days"],
                    average_days=_average(row["ready_days"], counted),
                    threshold_days=(
                        None if row["threshold_c"] is None else _days(row["threshold_c"])
                    ),
                    liable=row["liable"],
                    reason=reason,
                    billable_days=_days(row["billable_c"]),
                    day_rate_sek=_kronor(row["rate_ore"]),
                    amount_sek=row["amount_sek"],
                    excluded_episodes=row["excluded_episodes"],
                    not_liable_episodes=row["not_liable_episodes"],
                    missing_ready_at=row["missing_ready_at"],
                    assumptions=tuple(row["assumptions"]),
                    lines=_lines(lines_by_invoice[key], self) if lines else (),
                )
            )
        return out


def _lines(lines: pl.DataFrame, result: PaymentResult) -> tuple[InvoiceLine, ...]:
    return tuple(
        InvoiceLine(
            episode_id=line["episode_id"],
            line=line["line"],
            care_type=line["care_type"],
            ready_days=line["ready_days"],
            basis=Basis(line["basis"]),
            billable_days=Decimal(line["billable_days"]),
            amount_sek=_kronor(line["amount_ore"]) or Decimal(0),
            reason=result.line_reason(line["reason"]),
            day_one_moved_by=line["day_one_moved_by"],
            day_one_moved_days=line["day_one_moved_days"],
        )
        for line in lines.sort("episode_id").iter_rows(named=True)
    )


def _notified_grace(rulebook: Rulebook, frame: pl.DataFrame) -> dict[tuple[str, int], int]:
    """(group, yyyymm) → the law's grace days in force in each month a notification was sent."""
    groups = [
        g.name for g in rulebook.groups if any(s.model is Model.LAW_DEFAULT for s in g.stages)
    ]
    if not groups:
        return {}
    keys = frame.select(
        (pl.col("ready_at").dt.year() * 100 + pl.col("ready_at").dt.month()).unique().drop_nulls()
    ).to_series()
    out = {}
    for group in groups:
        for key in keys.to_list():
            stage = stage_in(rulebook, group, month_text(key))
            if (
                stage is not None
                and stage.model is Model.LAW_DEFAULT
                and stage.grace_days is not None
            ):
                out[(group, key)] = stage.grace_days
    return out


def _require_status(frame: pl.DataFrame, stages: list[MonthStage], wanted: list[str]) -> None:
    """A stage that counts only closed contacts (UTFÖRD) cannot bill episodes without status:
    every municipality would be billed 0 (payment-rules.md, Västmanland). Judged per month of
    such a stage, so a file whose status stops before those months is refused too."""
    needed = {
        (ms.group, month_key(ms.month))
        for ms in stages
        if ms.stage and ms.stage.status_filter and ms.month in wanted
    }
    if not needed:
        return
    schema = pl.Schema([("rule_group", pl.String), ("month_key", frame.schema["month_key"])])
    keys = pl.DataFrame(list(needed), schema=schema, orient="row")
    blank = (
        frame.join(keys, on=["rule_group", "month_key"], how="semi")
        .group_by("month_key")
        .agg(pl.col("status").is_null().all().alias("blank"))
        .filter("blank")
    )
    months = sorted(month_text(key) for key in blank["month_key"].to_list())
    if months:
        raise PaymentError(
            f"column status: no episode discharged in {', '.join(months[:12])}"
            f"{' …' if len(months) > 12 else ''} has a status, and the rulebook counts only "
            f"closed contacts with status UTFÖRD there (docs/episode-file.md); add the column "
            f"status"
        )


def compute_payment(
    episodes: pl.DataFrame,
    rulebook: Rulebook,
    *,
    months: list[str] | None = None,
    day_rate: Decimal | None = None,
    skipped_rows: int = 0,
    assumed_rates: bool = True,
    status_known: bool = False,
) -> PaymentResult:
    """Every unit's invoice basis for the given months (default: every month with discharges).

    All months in the file are computed, whichever are asked for, because Dalarna's rule looks
    back two months and Stockholm's second stage looks back to the first. `assumed_rates`
    False refuses a national day rate the project has only assumed (the command line's choice).
    `status_known` says an empty status is an open contact (the service's own records), not an
    unknown one (a file's empty cell), so a month without a closed contact is not refused.
    """
    frame = discharged(episodes, rulebook)
    all_months = [month_text(key) for key in sorted(frame["month_key"].unique().to_list())]
    wanted = sorted(set(months)) if months else all_months
    stages = month_stages(rulebook, all_months)
    if not status_known:
        _require_status(frame, stages, wanted)
    rates = {
        (ms.group, ms.month): resolve_day_rate(rulebook, ms, day_rate, assumed_rates=assumed_rates)
        for ms in stages
        if ms.stage is not None and ms.month in wanted
    }
    notes = {(ms.group, ms.month): month_assumptions(rulebook, ms, day_rate) for ms in stages}
    table = stage_table(stages, rates=rates, notes=notes)
    lines, line_reasons = episode_lines(frame, table, _notified_grace(rulebook, frame))
    thresholds, threshold_notes = threshold_table(stages, lines, set(wanted))
    invoices = invoice_table(lines, table, thresholds)
    known = {str(note): note for note in [*chain.from_iterable(notes.values()), *threshold_notes]}
    if wanted != all_months:  # a filter keeping every line would still copy them all
        invoices = invoices.filter(pl.col("month").is_in(wanted))
        lines = lines.filter(pl.col("month").is_in(wanted))
    return PaymentResult(
        rulebook=rulebook,
        invoice_frame=invoices,
        line_frame=lines,
        skipped_rows=skipped_rows,
        notes=known,
        line_reasons=line_reasons,
    )
