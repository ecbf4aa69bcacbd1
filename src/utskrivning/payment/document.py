"""The invoice basis as the document a municipality checks line by line (issue 16, "The documents").

One line per patient, then each invoice's average part (D − threshold × N days, which no single
patient carries) as its own line, and the kronor the one rounding moved: so the lines add up to the
invoice's total, in days and in kronor. The same document is the page, the XLSX and the PDF, and an
approved month's stored copy (`to_json`/`from_json`), so what was approved reads back unchanged.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from utskrivning.domain.calendar import STOCKHOLM
from utskrivning.domain.payment import Invoice
from utskrivning.domain.payment.notes import Note
from utskrivning.domain.payment.reasons import Reason, Reasons
from utskrivning.domain.payment.stages import month_start
from utskrivning.domain.rulebooks import Rulebook
from utskrivning.lib.payment_words import LEFT_OUT


class LineKind(StrEnum):
    PATIENT = "patient"
    AVERAGE = "average"  # the average part: days over the threshold, owed by no one patient
    ROUNDING = "rounding"  # the öre the one rounding to whole kronor moved
    CORRECTION = "correction"  # an approved month's difference, carried to this open month


@dataclass(frozen=True)
class DocumentLine:
    kind: LineKind
    group: str = ""
    episode_id: str = ""
    episode_pk: int | None = None
    name: str = ""
    personal_number: str = ""  # ÅÅÅÅMMDD-NNNN
    admitted: date | None = None
    ready: date | None = None
    discharged: date | None = None
    ready_days: int | None = None
    basis: str = ""
    billable_days: Decimal = Decimal(0)
    amount: Decimal = Decimal(0)  # kronor, exact to the öre
    reason: Reason | None = None  # a patient's line: why its basis (a code and its values)
    moved_by: str = ""  # the precondition that moved day 1 past readiness's own, if any …
    moved_days: int = 0  # … and by how many days
    counted: int | None = None  # the average part: N …
    threshold: Decimal | None = None  # … and the threshold it is over
    month: str = ""  # a correction: the approved month it corrects
    approved_amount: Decimal | None = None  # a correction: that month's approved total …
    current_amount: Decimal | None = None  # … and what the same month comes to now


@dataclass(frozen=True)
class Section:
    """One invoice of the basis (a rulebook group, a district) with its lines."""

    group: str
    district: str
    stage: str
    counted_episodes: int
    ready_days: int
    average_days: Decimal | None
    threshold_days: Decimal | None
    liable: bool
    reason: Reasons
    billable_days: Decimal
    day_rate: Decimal | None
    amount: Decimal
    lines: tuple[DocumentLine, ...]


@dataclass(frozen=True)
class InvoiceDocument:
    sender: str  # the region
    recipient: str  # the municipality
    code: str
    month: str
    rulebook_id: str
    rulebook_title: str
    rulebook_version: str
    sections: tuple[Section, ...]
    assumptions: tuple[Note, ...]  # each by its code and values (domain.payment.notes)
    corrections: tuple[DocumentLine, ...] = ()
    # Episodes a dispute's answer left out of the basis: named, with nothing billed.
    left_out: tuple[DocumentLine, ...] = ()

    @property
    def first_day(self) -> date:
        return month_start(self.month)

    @property
    def last_day(self) -> date:
        start = self.first_day
        following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return date.fromordinal(following.toordinal() - 1)

    @property
    def lines(self) -> list[DocumentLine]:
        return [line for section in self.sections for line in section.lines]

    @property
    def basis_amount(self) -> Decimal:
        return sum((s.amount for s in self.sections), Decimal(0))

    @property
    def total(self) -> Decimal:
        return self.basis_amount + sum((c.amount for c in self.corrections), Decimal(0))

    @property
    def billable_days(self) -> Decimal:
        return sum((s.billable_days for s in self.sections), Decimal(0))

    def with_corrections(self, corrections: list[DocumentLine]) -> InvoiceDocument:
        return replace(self, corrections=tuple(corrections))


def rulebook_version(rulebook: Rulebook) -> str:
    """The rulebook's content as a short fingerprint: the same rules give the same version."""
    text = rulebook.model_dump_json(by_alias=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _dashed(number: str) -> str:
    """ÅÅÅÅMMDD-NNNN, as an invoice names the patient (the stored form is the 12 digits)."""
    return f"{number[:8]}-{number[8:]}"


def _local_date(value: Any) -> date | None:
    return None if value is None else value.astimezone(STOCKHOLM).date()


def patient_line(line: Any, group: str, episode: Any) -> DocumentLine:
    """An engine line with the patient the region's records name (`episode`, None if unknown)."""
    patient = episode.patient if episode is not None else None
    return DocumentLine(
        kind=LineKind.PATIENT,
        group=group,
        episode_id=line.episode_id,
        episode_pk=episode.pk if episode is not None else None,
        name=patient.name if patient is not None else "",
        personal_number=_dashed(patient.personal_number) if patient is not None else "",
        admitted=_local_date(episode.admitted_at) if episode is not None else None,
        ready=_local_date(episode.ready_at) if episode is not None else None,
        discharged=_local_date(episode.discharged_at) if episode is not None else None,
        ready_days=line.ready_days,
        basis=str(line.basis),
        billable_days=line.billable_days,
        amount=line.amount_sek,
        reason=line.reason,
        moved_by=line.day_one_moved_by or "",
        moved_days=line.day_one_moved_days,
    )


def left_out_line(line: Any, group: str, episode: Any) -> DocumentLine:
    """An engine line that a dispute's answer took out of the basis."""
    zero = Decimal(0)
    return replace(
        patient_line(line, group, episode), basis=LEFT_OUT, billable_days=zero, amount=zero
    )


def _remainder_lines(invoice: Invoice, patients: list[DocumentLine]) -> list[DocumentLine]:
    """The average part and the rounding: what the invoice bills beyond its patient lines."""
    days = invoice.billable_days - sum((p.billable_days for p in patients), Decimal(0))
    kronor = Decimal(invoice.amount_sek) - sum((p.amount for p in patients), Decimal(0))
    if days:
        return [
            DocumentLine(
                kind=LineKind.AVERAGE,
                group=invoice.group,
                ready_days=invoice.ready_days,
                counted=invoice.counted_episodes,
                threshold=invoice.threshold_days,
                billable_days=days,
                amount=kronor,
            )
        ]
    if kronor:
        return [DocumentLine(kind=LineKind.ROUNDING, group=invoice.group, amount=kronor)]
    return []


def section(invoice: Invoice, episodes: dict[str, Any]) -> Section:
    patients = [
        patient_line(li, invoice.group, episodes.get(li.episode_id)) for li in invoice.lines
    ]
    return Section(
        group=invoice.group,
        district=invoice.district or "",
        stage=invoice.stage or "",
        counted_episodes=invoice.counted_episodes,
        ready_days=invoice.ready_days,
        average_days=invoice.average_days,
        threshold_days=invoice.threshold_days,
        liable=invoice.liable,
        reason=invoice.reason,
        billable_days=invoice.billable_days,
        day_rate=invoice.day_rate_sek,
        amount=Decimal(invoice.amount_sek),
        lines=(*patients, *_remainder_lines(invoice, patients)),
    )


# The stored copy of an approved document: dates ISO, Decimals as exact strings.
_DECIMALS = {"billable_days", "amount", "threshold", "approved_amount", "current_amount",
             "average_days", "threshold_days", "day_rate"}  # fmt: skip
_DATES = {"admitted", "ready", "discharged"}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal | date):
        return str(value)
    return value


def _line_json(line: DocumentLine) -> dict[str, Any]:
    return {**asdict(line), "reason": None if line.reason is None else line.reason.as_dict()}


def to_json(document: InvoiceDocument) -> dict[str, Any]:
    """The stored copy: the reasons and assumptions by their codes and values, each with its
    English sentence (what the month was approved with reads back in any reader's words)."""
    data = {
        **asdict(document),
        "sections": [
            {**asdict(s), "reason": s.reason.as_dict(), "lines": list(map(_line_json, s.lines))}
            for s in document.sections
        ],
        "assumptions": [n.as_dict() for n in document.assumptions],
        "corrections": list(map(_line_json, document.corrections)),
        "left_out": list(map(_line_json, document.left_out)),
    }
    return json.loads(json.dumps(data, default=_plain))


def _typed(data: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, value in data.items():
        if value is not None and name in _DECIMALS:
            value = Decimal(value)
        elif value is not None and name in _DATES:
            value = date.fromisoformat(value)
        out[name] = value
    return out


def _line(data: dict[str, Any]) -> DocumentLine:
    reason = None if data["reason"] is None else Reason.from_dict(data["reason"])
    return DocumentLine(**{**_typed(data), "kind": LineKind(data["kind"]), "reason": reason})


def from_json(data: dict[str, Any]) -> InvoiceDocument:
    sections = tuple(
        Section(
            **{
                **_typed(s),
                "reason": Reasons.from_dict(s["reason"]),
                "lines": tuple(_line(li) for li in s["lines"]),
            }
        )
        for s in data["sections"]
    )
    plain = {f.name: data[f.name] for f in fields(InvoiceDocument)} | {
        "sections": sections,
        "assumptions": tuple(Note.from_dict(note) for note in data["assumptions"]),
        "corrections": tuple(_line(c) for c in data["corrections"]),
        "left_out": tuple(_line(c) for c in data["left_out"]),
    }
    return InvoiceDocument(**plain)
