"""The month's invoice basis as XLSX: the document's lines, the invoices, what it rests on, and the
disputes, with Swedish headers; and the downloads of the page and the API.

Numbers are numeric cells with number formats (a municipality sums and filters them), dates are
dates, the personnummer and ids are text; every text cell is made formula-safe (`safe_cell`).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from django.http import HttpResponse
from django.utils import translation

from utskrivning.domain.calendar import STOCKHOLM
from utskrivning.domain.documents import NUMBER_FORMATS, safe_cell, xlsx_workbook
from utskrivning.domain.payment.export import HEADERS
from utskrivning.lib.groups import rulebook_name
from utskrivning.lib.http import XLSX, attachment
from utskrivning.organisations.models import Organisation
from utskrivning.payment.closed_months import MonthDocument, month_document
from utskrivning.payment.document import DocumentLine, LineKind
from utskrivning.payment.models import InvoiceDispute
from utskrivning.payment.selectors import DisputedBasis
from utskrivning.payment.texts import (
    assumption_text,
    basis_text,
    group_text,
    line_reason,
    line_text,
    reason_text,
)

DISPUTE_HEADERS = ["Ärende", "Månad", "Vårdtillfälle", "Fråga", "Status", "Utfall", "Svar",
                   "Korrigering", "Korrigerat vårdtillfälle",
                   "Korrigerad utskrivningsklar"]  # fmt: skip
# The columns the command line's workbook has too are named as there (`HEADERS`).
LINE_HEADERS = ["Rad", "Patient", "Personnummer", HEADERS["episode_id"], HEADERS["group"],
                "Inskriven", "Utskrivningsklar", "Utskriven",
                *(HEADERS[c] for c in ("ready_days", "basis", "billable_days", "amount_sek",
                                       "reason")),
                "Avser månad"]  # fmt: skip
INVOICE_HEADERS = [HEADERS[c] for c in (
    "group", "district", "stage", "counted_episodes", "ready_days", "average_days",
    "threshold_days", "liable", "reason", "billable_days", "day_rate_sek", "amount_sek",
)]  # fmt: skip
_KIND = {LineKind.PATIENT: "Patient", LineKind.AVERAGE: "Genomsnittsdel",
         LineKind.ROUNDING: "Öresavrundning", LineKind.CORRECTION: "Rättelse"}  # fmt: skip


def _local(at: datetime | None) -> str:
    return "" if at is None else f"{at.astimezone(STOCKHOLM):%Y-%m-%d %H:%M}"


def _file_id(episode: Any) -> str:
    return episode.external_id if episode is not None else ""


def dispute_row(dispute: InvoiceDispute, *, labels: bool = False) -> list[Any]:
    """One dispute in the columns of DISPUTE_HEADERS; episodes by their episode file id.

    `labels`: the status, outcome and correction in the reader's language instead of their codes.
    """
    d = dispute
    status, outcome, correction = (
        (d.get_status_display(), d.get_outcome_display(), d.get_correction_display())
        if labels
        else (d.status, d.outcome, d.correction)
    )
    return [
        d.pk, d.month, _file_id(d.episode), d.text, status, outcome, d.answer, correction,
        _file_id(d.corrected_episode), _local(d.corrected_ready_at),
    ]  # fmt: skip


def _swedish(text: Callable[..., str], *args: Any) -> str:
    """A text of `payment.texts` in Swedish, as the workbook's headers are."""
    with translation.override("sv"):
        return text(*args)


def _line_cells(line: DocumentLine) -> list[Any]:
    """A line's cells; the reason (or what the line stands for) in Swedish, as the headers are."""
    patient = line.kind is LineKind.PATIENT
    why = (
        _swedish(line_reason, line.reason, line.moved_by, line.moved_days)
        if patient
        else _swedish(line_text, line)
    )
    return [
        _KIND[line.kind], line.name if patient else _KIND[line.kind], line.personal_number,
        line.episode_id, _swedish(group_text, line.group), line.admitted, line.ready,
        line.discharged, line.ready_days,
        _swedish(basis_text, line.basis), line.billable_days, line.amount, why, line.month,
    ]  # fmt: skip


class _Book:
    """A workbook whose cells are written by type: numbers and dates with their formats."""

    def __init__(self, path: Path | io.BytesIO) -> None:
        self.workbook = xlsx_workbook(path)
        add = self.workbook.add_format
        self.bold = add({"bold": True})
        self.formats = {kind: add({"num_format": code}) for kind, code in NUMBER_FORMATS.items()}

    def sheet(
        self, name: str, header: list[str], rows: Iterable[list[Any]], kinds: dict[int, str]
    ) -> Any:
        """`kinds`: the number format of a column by its index; other cells are text."""
        sheet = self.workbook.add_worksheet(name)
        sheet.write_row(0, 0, header, self.bold)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                kind = kinds.get(c)
                if value is None or value == "":
                    continue
                if kind == "date":
                    sheet.write_datetime(r, c, value, self.formats["date"])
                elif kind is not None:
                    sheet.write_number(r, c, value, self.formats[kind])
                else:
                    sheet.write_string(r, c, str(safe_cell(value)))
        sheet.freeze_panes(1, 0)
        sheet.set_column(0, len(header) - 1, 14)
        return sheet


def write_basis_xlsx(shown: MonthDocument, basis: DisputedBasis, path: Path | io.BytesIO) -> None:
    """The month's document as shown (approved, or as now with its corrections), then the rest."""
    document = shown.document
    book = _Book(path)
    lines = [*document.lines, *document.left_out, *document.corrections]
    total = ["Summa", "", "", "", "", None, None, None, None, "", document.billable_days,
             document.total, "", ""]  # fmt: skip
    line_kinds = {5: "date", 6: "date", 7: "date", 8: "int", 10: "days", 11: "kr"}
    sheet = book.sheet(
        "Fakturaunderlag", LINE_HEADERS, [*map(_line_cells, lines), total], line_kinds
    )
    sheet.set_row(len(lines) + 1, None, book.bold)
    book.sheet(
        "Fakturor",
        INVOICE_HEADERS,
        (
            [
                _swedish(group_text, s.group),
                s.district,
                s.stage,
                s.counted_episodes,
                s.ready_days,
                s.average_days,
                s.threshold_days,
                "ja" if s.liable else "nej",
                _swedish(reason_text, s.reason),
                s.billable_days,
                s.day_rate,
                s.amount,
            ]
            for s in document.sections
        ),
        {3: "int", 4: "int", 5: "days", 6: "days", 9: "days", 10: "kr", 11: "kr"},
    )
    approval = shown.approval
    facts = [
        ["Avsändare", document.sender], ["Mottagare", f"{document.recipient} ({document.code})"],
        ["Period", f"{document.first_day} – {document.last_day}"],
        ["Regelverk", f"{_swedish(rulebook_name, document.rulebook_title)} "
                      f"({document.rulebook_id})"],
        ["Regelverkets version", document.rulebook_version],
        ["Status", f"Fastställt {_local(approval.approved_at)} av "
                   f"{approval.approved_by.get_username()}" if approval else "Ej fastställt"],
        *(["Antagande", _swedish(assumption_text, text)] for text in document.assumptions),
    ]  # fmt: skip
    book.sheet("Uppgifter", ["Uppgift", "Värde"], facts, {})
    cited = {d.pk: d for d in [*basis.disputes, *basis.corrections]}
    if cited:
        rows = (dispute_row(d, labels=True) for d in cited.values())
        book.sheet("Bestridanden", DISPUTE_HEADERS, rows, {0: "int"})
    book.workbook.close()


def basis_xlsx_attachment(
    municipality: Organisation, month: str, basis: DisputedBasis
) -> HttpResponse:
    """The month's document as the page shows it, and the disputes (page and API)."""
    out = io.BytesIO()
    write_basis_xlsx(month_document(municipality, month, basis), basis, out)
    code = municipality.municipality_code
    return attachment(out.getvalue(), XLSX, f"fakturaunderlag-{code}-{month}.xlsx")


def episode_file_attachment(text: str, code: str, month: str) -> HttpResponse:
    return attachment(text, "text/csv; charset=utf-8", f"episoder-{code}-{month}.csv")
