"""The invoice basis as JSON, CSV and XLSX: the shapes finance staff and other systems take in.

Decimals are strings with two decimals (never floats), as the command line's contract says.
Text cells that a spreadsheet would run as a formula are neutralised in CSV and XLSX. Each
invoice lists its assumptions (payment-rules.md): a JSON list, one cell of sentences joined by
ASSUMPTION_SEPARATOR in CSV and XLSX.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from utskrivning.domain.documents import safe_cell, xlsx_workbook
from utskrivning.domain.payment import Invoice, PaymentResult

INVOICE_COLUMNS = [
    "municipality", "district", "month", "group", "model", "stage", "counted_episodes",
    "ready_days", "average_days", "threshold_days", "liable", "reason", "billable_days",
    "day_rate_sek", "amount_sek", "excluded_episodes", "not_liable_episodes", "missing_ready_at",
    "assumptions",
]  # fmt: skip
LINE_COLUMNS = ["episode_id", "line", "care_type", "ready_days", "basis", "billable_days",
                "amount_sek", "reason", "day_one_moved_by", "day_one_moved_days"]  # fmt: skip
ASSUMPTION_SEPARATOR = " | "


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _money(value: Decimal | None) -> int | str | None:
    """Whole kronor as a JSON number (the contract's `8200`), öre as a two-decimal string."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else f"{value:.2f}"


def invoice_dict(invoice: Invoice) -> dict[str, Any]:
    data = asdict(invoice)
    for name in ("average_days", "threshold_days", "billable_days"):
        data[name] = _decimal(data[name])
    data["day_rate_sek"] = _money(invoice.day_rate_sek)
    data["assumptions"] = list(invoice.assumptions)
    data["lines"] = [
        {
            **asdict(line),
            "basis": str(line.basis),
            "billable_days": str(line.billable_days),
            "amount_sek": _money(line.amount_sek),
        }
        for line in invoice.lines
    ]
    return data


def to_json_dict(result: PaymentResult) -> dict[str, Any]:
    return {
        "rulebook": result.rulebook.id,
        "invoices": [invoice_dict(i) for i in result.invoices()],
        "skipped_rows": result.skipped_rows,
        "assumptions": result.assumptions(),
    }


def _cell(value: Any) -> Any:
    text = ASSUMPTION_SEPARATOR.join(value) if isinstance(value, list) else value
    return safe_cell(text)


def invoice_cells(invoice: dict[str, Any]) -> list[Any]:
    """An `invoice_dict` as spreadsheet cells: safe text, the assumptions in one cell."""
    return [_cell(invoice[c]) for c in INVOICE_COLUMNS]


def to_csv(result: PaymentResult) -> str:
    """One row per invoice line, led by its invoice's columns: the basis a spreadsheet sorts."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*INVOICE_COLUMNS, *(f"line_{c}" for c in LINE_COLUMNS)])
    for invoice in to_json_dict(result)["invoices"]:
        head = invoice_cells(invoice)
        for line in invoice["lines"]:
            writer.writerow([*head, *(safe_cell(line[c]) for c in LINE_COLUMNS)])
    return out.getvalue()


def write_xlsx(result: PaymentResult, path: Path | io.BytesIO) -> None:
    """Two sheets: the invoices (faktureringsunderlag) and one line per episode."""
    data = to_json_dict(result)
    workbook = xlsx_workbook(path)
    bold = workbook.add_format({"bold": True})
    invoices = workbook.add_worksheet("Fakturaunderlag")
    lines = workbook.add_worksheet("Rader")
    invoices.write_row(0, 0, INVOICE_COLUMNS, bold)
    lines.write_row(0, 0, ["municipality", "district", "month", "group", *LINE_COLUMNS], bold)
    line_row = 1
    for row, invoice in enumerate(data["invoices"], start=1):
        invoices.write_row(row, 0, invoice_cells(invoice))
        keys = [safe_cell(invoice[k]) for k in ("municipality", "district", "month", "group")]
        for line in invoice["lines"]:
            lines.write_row(line_row, 0, [*keys, *(safe_cell(line[c]) for c in LINE_COLUMNS)])
            line_row += 1
    invoices.freeze_panes(1, 0)
    lines.freeze_panes(1, 0)
    workbook.close()
