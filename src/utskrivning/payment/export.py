"""The disputed invoice basis as XLSX: the engine's sheets first, then the corrected ones and the
disputes that explain the difference.

The first two sheets have the columns of `domain.payment.export.write_xlsx`, so a reader of the
plain basis reads this one too; every text cell is made formula-safe the same way.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from utskrivning.domain.calendar import STOCKHOLM
from utskrivning.domain.payment import PaymentResult
from utskrivning.domain.payment.export import INVOICE_COLUMNS, LINE_COLUMNS, safe_cell, to_json_dict
from utskrivning.payment.models import InvoiceDispute
from utskrivning.payment.selectors import DisputedBasis

_KEYS = ["municipality", "district", "month", "group"]
DISPUTE_COLUMNS = ["dispute", "month", "episode_id", "question", "status", "outcome", "answer",
                   "correction", "corrected_episode_id", "corrected_ready_at"]  # fmt: skip


def _local(at: datetime | None) -> str:
    return "" if at is None else f"{at.astimezone(STOCKHOLM):%Y-%m-%d %H:%M}"


def _file_id(episode: Any) -> str:
    return episode.external_id if episode is not None else ""


def dispute_row(dispute: InvoiceDispute, *, labels: bool = False) -> list[Any]:
    """One dispute in the columns of DISPUTE_COLUMNS; episodes by their episode file id.

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


def _invoice_rows(result: PaymentResult) -> Iterator[list[Any]]:
    for invoice in to_json_dict(result)["invoices"]:
        yield [invoice[c] for c in INVOICE_COLUMNS]


def _line_rows(result: PaymentResult) -> Iterator[list[Any]]:
    for invoice in to_json_dict(result)["invoices"]:
        for line in invoice["lines"]:
            yield [*(invoice[k] for k in _KEYS), *(line[c] for c in LINE_COLUMNS)]


def write_disputed_xlsx(basis: DisputedBasis, path: Path | io.BytesIO) -> None:
    workbook = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "in_memory": True})
    bold = workbook.add_format({"bold": True})

    def sheet(name: str, header: list[str], rows: Iterable[list[Any]]) -> None:
        worksheet = workbook.add_worksheet(name)
        worksheet.write_row(0, 0, header, bold)
        for number, row in enumerate(rows, start=1):
            worksheet.write_row(number, 0, [safe_cell(value) for value in row])
        worksheet.freeze_panes(1, 0)

    line_header = [*_KEYS, *LINE_COLUMNS]
    sheet("Fakturaunderlag", INVOICE_COLUMNS, _invoice_rows(basis.original))
    sheet("Rader", line_header, _line_rows(basis.original))
    if basis.corrected is not None:
        sheet("Korrigerat underlag", INVOICE_COLUMNS, _invoice_rows(basis.corrected))
        sheet("Korrigerade rader", line_header, _line_rows(basis.corrected))
    cited = {d.pk: d for d in [*basis.disputes, *basis.corrections]}
    if cited:
        sheet("Bestridanden", DISPUTE_COLUMNS, map(dispute_row, cited.values()))
    workbook.close()
