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

from utskrivning.domain.care import CareGroup
from utskrivning.domain.documents import csv_text, safe_cell, xlsx_workbook
from utskrivning.domain.indicators.definitions import INDICATORS

COLUMNS = ["month", "key", "care", "indicator", "title_sv", "unit", "numerator", "denominator",
           "value"]  # fmt: skip
# `baseline_comparison`: the period's figures, the baseline's, and the verdict.
COMPARISON_COLUMNS = [
    "period", *COLUMNS[1:], "baseline_numerator", "baseline_denominator", "baseline_value",
    "difference", "change",
]  # fmt: skip
# The XLSX is for the people who open it: Swedish column names and words, as the invoice basis's
# (domain.payment.export.HEADERS); the CSV's and JSON's names and codes are what other systems read.
HEADERS = {
    "month": "Månad", "period": "Period", "care": "Vård",
    "indicator": "Id", "title_sv": "Indikator", "unit": "Enhet", "numerator": "Täljare",
    "denominator": "Nämnare", "value": "Värde", "baseline_numerator": "Basårets täljare",
    "baseline_denominator": "Basårets nämnare", "baseline_value": "Basårets värde",
    "difference": "Skillnad", "change": "Förändring",
}  # fmt: skip
# The key's name by what the table is grouped by, and the words for the codes (the command's
# table says the same: tables.py).
KEY_HEADERS = {"municipality": "Kommun", "unit": "Klinik", "primary_care_unit": "Vårdcentral"}
CARE_WORDS: dict[str, str] = {
    CareGroup.SOMATIC: "somatisk",
    CareGroup.PSYCHIATRIC: "psykiatrisk",
    CareGroup.ALL: "alla",
}
UNITS = {"count": "antal", "days": "dagar", "share": "andel", "mean": "medelvärde"}
CHANGES = {"better": "bättre", "worse": "sämre", "unchanged": "oförändrad"}
_WORDS = {"care": CARE_WORDS, "unit": UNITS, "change": CHANGES}


def _rows(
    table: pl.DataFrame, columns: list[str], *, spreadsheet: bool = True, swedish: bool = False
) -> list[list[Any]]:
    """`swedish`: the care group, unit and verdict in words (the XLSX), not as codes."""
    titled = table.with_columns(
        title_sv=pl.col("indicator").replace_strict({i: d.title_sv for i, d in INDICATORS.items()}),
        unit=pl.col("indicator").replace_strict({i: d.unit for i, d in INDICATORS.items()}),
    ).select(columns)
    if swedish:
        titled = titled.with_columns(
            pl.col(name).replace(words) for name, words in _WORDS.items() if name in columns
        )
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


def write_xlsx(table: pl.DataFrame, path: Path | io.BytesIO, *, by: str) -> None:
    """One sheet, a row per month (or period), key, care and indicator, in Swedish; numbers stay
    numbers."""
    columns = _columns(table)
    workbook = xlsx_workbook(path)
    sheet = workbook.add_worksheet("Jämförelse" if columns is COMPARISON_COLUMNS else "Indikatorer")
    header = [KEY_HEADERS[by] if c == "key" else HEADERS[c] for c in columns]
    sheet.write_row(0, 0, header, workbook.add_format({"bold": True}))
    for number, row in enumerate(_rows(table, columns, swedish=True), start=1):
        sheet.write_row(number, 0, row)
    sheet.freeze_panes(1, 0)
    workbook.close()
