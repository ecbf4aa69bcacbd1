"""The indicator table and its baseline comparison as CSV, XLSX and JSON, with each indicator's
Swedish title beside its id.

Keys are free text from the file (a clinic's name), so CSV and XLSX cells that a spreadsheet would
run as a formula are neutralised, as in the invoice basis.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import polars as pl

from utskrivning.domain.documents import csv_text, safe_cell, xlsx_workbook
from utskrivning.domain.indicators.definitions import INDICATORS

COLUMNS = ["month", "key", "care", "indicator", "title_sv", "unit", "numerator", "denominator",
           "value"]  # fmt: skip
# `baseline_comparison`: the period's figures, the baseline's, and the verdict.
COMPARISON_COLUMNS = [
    "period", *COLUMNS[1:], "baseline_numerator", "baseline_denominator", "baseline_value",
    "difference", "change",
]  # fmt: skip


def _rows(table: pl.DataFrame, columns: list[str], *, spreadsheet: bool = True) -> list[list[Any]]:
    titled = table.with_columns(
        title_sv=pl.col("indicator").replace_strict({i: d.title_sv for i, d in INDICATORS.items()}),
        unit=pl.col("indicator").replace_strict({i: d.unit for i, d in INDICATORS.items()}),
    ).select(columns)
    if not spreadsheet:
        return [list(row) for row in titled.iter_rows()]
    return [[safe_cell(cell) for cell in row] for row in titled.iter_rows()]


def _columns(table: pl.DataFrame) -> list[str]:
    """Which of the two shapes `table` is: the indicator table or a baseline comparison."""
    return COMPARISON_COLUMNS if "baseline_value" in table.columns else COLUMNS


def to_json_dict(
    table: pl.DataFrame, *, by: str, skipped_rows: int, baseline_year: int | None = None
) -> dict[str, Any]:
    columns = _columns(table)
    rows = [
        dict(zip(columns, row, strict=True)) for row in _rows(table, columns, spreadsheet=False)
    ]
    if baseline_year is None:
        return {"by": by, "indicators": rows, "skipped_rows": skipped_rows}
    return {"by": by, "baseline_year": baseline_year, "comparison": rows,
            "skipped_rows": skipped_rows}  # fmt: skip


def to_csv(table: pl.DataFrame) -> str:
    columns = _columns(table)
    return csv_text([columns, *_rows(table, columns)])


def write_xlsx(table: pl.DataFrame, path: Path | io.BytesIO) -> None:
    """One sheet, a row per month (or period), key, care and indicator; numbers stay numbers."""
    columns = _columns(table)
    workbook = xlsx_workbook(path)
    sheet = workbook.add_worksheet("Jämförelse" if columns is COMPARISON_COLUMNS else "Indikatorer")
    sheet.write_row(0, 0, columns, workbook.add_format({"bold": True}))
    for number, row in enumerate(_rows(table, columns), start=1):
        sheet.write_row(number, 0, row)
    sheet.freeze_panes(1, 0)
    workbook.close()
