"""The monthly report as a workbook, one sheet per part, each chart beside the figures it draws.

Numbers are numbers (a steering group sums them), text cells are formula-safe (`safe_cell`).
"""

from __future__ import annotations

import io
from typing import Any

from utskrivning.domain.documents import safe_cell, xlsx_workbook
from utskrivning.domain.municipalities import municipality_name
from utskrivning.domain.payment.export import INVOICE_COLUMNS, invoice_cells, invoice_dict
from utskrivning.followup.downloads import BASELINE_COLUMNS
from utskrivning.followup.figures import Figure
from utskrivning.followup.filters import Care
from utskrivning.followup.report import MonthlyReport

FIGURE_COLUMNS = ["key", "label", "value", "numerator", "denominator", "threshold"]
# Sheet name, chart id and xlsxwriter chart type: the trend as a line, the others as bars.
FIGURE_SHEETS = (("Trend", "trend", "line"), ("Rangordning", "ranking", "bar"),
                 ("Fördelning", "distribution", "bar"))  # fmt: skip


def _figures_sheet(workbook: Any, name: str, figures: list[Figure], kind: str, bold: Any) -> None:
    sheet = workbook.add_worksheet(name)
    sheet.write_row(0, 0, FIGURE_COLUMNS, bold)
    for row, f in enumerate(figures, start=1):
        sheet.write_row(
            row, 0,
            [safe_cell(f.key), safe_cell(f.label), f.value, f.numerator, f.denominator,
             f.threshold],
        )  # fmt: skip
    chart = workbook.add_chart({"type": kind})
    last = len(figures)
    chart.add_series(
        {"name": name, "categories": [name, 1, 1, last, 1], "values": [name, 1, 2, last, 2]}
    )
    if name == "Trend":
        chart.add_series(
            {"name": "Gräns", "categories": [name, 1, 1, last, 1],
             "values": [name, 1, 5, last, 5], "line": {"dash_type": "dash"}}
        )  # fmt: skip
    sheet.insert_chart(1, len(FIGURE_COLUMNS) + 1, chart)


def _indicator_sheet(workbook: Any, report: MonthlyReport, bold: Any) -> None:
    sheet = workbook.add_worksheet("Indikatorer")
    header = ["indicator", "title", "unit"]
    for care in Care:
        header += [f"{care}_numerator", f"{care}_denominator", f"{care}_value"]
    sheet.write_row(0, 0, header, bold)
    for row, rows in enumerate(zip(*(report.indicators[c] for c in Care), strict=True), 1):
        cells: list[Any] = [rows[0].id, safe_cell(rows[0].title), rows[0].unit]
        for r in rows:
            cells += [r.numerator, r.denominator, r.value]
        sheet.write_row(row, 0, cells)
    sheet.freeze_panes(1, 3)


def _payment_sheets(workbook: Any, report: MonthlyReport, bold: Any) -> None:
    sheet = workbook.add_worksheet("Betalning")
    sheet.write_row(0, 0, ["kommun", *INVOICE_COLUMNS], bold)
    for row, invoice in enumerate(report.invoices, start=1):
        name = municipality_name(invoice.municipality)
        sheet.write_row(row, 0, [name, *invoice_cells(invoice_dict(invoice))])
    compare = workbook.add_worksheet("Jämförelse")
    compare.write_row(0, 0, ["kommun", *report.comparison.columns], bold)
    for row, values in enumerate(report.comparison.iter_rows(), start=1):
        code = values[0]
        name = "Summa" if code == "total" else municipality_name(code)
        compare.write_row(row, 0, [name, *(safe_cell(v) for v in values)])
    runs = workbook.add_worksheet("Regelverk")
    runs.write_row(0, 0, ["rulebook", "title", "in_force", "error"], bold)
    for row, run in enumerate(report.runs, start=1):
        runs.write_row(
            row, 0,
            [run.rulebook.id, safe_cell(run.rulebook.title), run.in_force, run.error or ""],
        )  # fmt: skip


def _baseline_sheets(workbook: Any, report: MonthlyReport, bold: Any) -> None:
    """The year to date beside the baseline year: every indicator, the mean per municipality."""
    baseline = report.baseline
    if baseline is None:
        return
    for name, rows in (("Basår", baseline.indicators),
                       ("Basår kommuner", baseline.municipalities)):  # fmt: skip
        sheet = workbook.add_worksheet(name)
        sheet.write_row(0, 0, [*BASELINE_COLUMNS, "period", "baseline_year"], bold)
        for row, r in enumerate(rows, start=1):
            sheet.write_row(
                row, 0,
                [safe_cell(r.key), safe_cell(r.label), r.unit, r.value, r.baseline, r.difference,
                 r.change or "", baseline.period, baseline.year],
            )  # fmt: skip
        sheet.freeze_panes(1, 2)


def report_xlsx(report: MonthlyReport) -> bytes:
    out = io.BytesIO()
    workbook = xlsx_workbook(out)
    bold = workbook.add_format({"bold": True})
    _indicator_sheet(workbook, report, bold)
    for name, chart, kind in FIGURE_SHEETS:
        _figures_sheet(workbook, name, report.dashboard.figures[chart], kind, bold)
    _payment_sheets(workbook, report, bold)
    _baseline_sheets(workbook, report, bold)
    workbook.close()
    return out.getvalue()
