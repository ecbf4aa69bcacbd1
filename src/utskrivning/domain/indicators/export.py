"""The indicator table as CSV, XLSX and JSON, with each indicator's Swedish title beside its id.

Keys are free text from the file (a clinic's name), so CSV and XLSX cells that a spreadsheet would
run as a formula are neutralised, as in the invoice basis.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter

from utskrivning.domain.indicators.definitions import INDICATORS
from utskrivning.domain.payment.export import safe_cell

COLUMNS = ["month", "key", "care", "indicator", "title_sv", "unit", "numerator", "denominator",
           "value"]  # fmt: skip


def _rows(table: pl.DataFrame, *, spreadsheet: bool = True) -> list[list[Any]]:
    titled = table.with_columns(
        title_sv=pl.col("indicator").replace_strict({i: d.title_sv for i, d in INDICATORS.items()}),
        unit=pl.col("indicator").replace_strict({i: d.unit for i, d in INDICATORS.items()}),
    ).select(COLUMNS)
    if not spreadsheet:
        return [list(row) for row in titled.iter_rows()]
    return [[safe_cell(cell) for cell in row] for row in titled.iter_rows()]


def to_json_dict(table: pl.DataFrame, *, by: str, skipped_rows: int) -> dict[str, Any]:
    return {
        "by": by,
        "indicators": [
            dict(zip(COLUMNS, row, strict=True)) for row in _rows(table, spreadsheet=False)
        ],
        "skipped_rows": skipped_rows,
    }


def to_csv(table: pl.DataFrame) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(_rows(table))
    return out.getvalue()


def write_xlsx(table: pl.DataFrame, path: Path | io.BytesIO) -> None:
    """One sheet, a row per month, key, care and indicator; numbers stay numbers."""
    workbook = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "in_memory": True})
    sheet = workbook.add_worksheet("Indikatorer")
    sheet.write_row(0, 0, COLUMNS, workbook.add_format({"bold": True}))
    for number, row in enumerate(_rows(table), start=1):
        sheet.write_row(number, 0, row)
    sheet.freeze_panes(1, 0)
    workbook.close()
