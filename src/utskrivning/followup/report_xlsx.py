"""The monthly report as a workbook, one sheet per part, each chart beside the figures it draws.

Numbers are numbers (a steering group sums them), text cells are formula-safe (`safe_cell`). The
headers are Swedish, as the invoice basis's are; municipalities and rulebooks go by their names
(a code beside a name where a spreadsheet joins on it).
"""

from __future__ import annotations

import io
from typing import Any

from django.utils import translation

from utskrivning.domain.documents import safe_cell, xlsx_workbook
from utskrivning.domain.municipalities import municipality_name
from utskrivning.followup import headers
from utskrivning.followup.figures import Figure
from utskrivning.followup.filters import CARE_LABELS, Care
from utskrivning.followup.formatting import change
from utskrivning.followup.report import MonthlyReport
from utskrivning.lib.groups import group_text

PAYMENT_COLUMNS = ["Kommun", "Kommunkod", "Stadsdel", "Månad", "Grupp", "Etapp",
                   "Räknade vårdtillfällen", "Utskrivningsklara dagar", "Medelvärde (dagar)",
                   "Gräns (dagar)", "Betalningsansvar", "Fakturerbara dagar", "Dygnskostnad (kr)",
                   "Belopp (kr)"]  # fmt: skip
BASELINE_HEADERS = [*headers.BASELINE, "Period", "Basår"]
# Sheet name, chart id and xlsxwriter chart type: the trend as a line, the others as bars.
FIGURE_SHEETS = (("Trend", "trend", "line"), ("Rangordning", "ranking", "bar"),
                 ("Fördelning", "distribution", "bar"))  # fmt: skip


def _figures_sheet(workbook: Any, name: str, figures: list[Figure], kind: str, bold: Any) -> None:
    sheet = workbook.add_worksheet(name)
    sheet.write_row(0, 0, headers.FIGURE, bold)
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
    sheet.insert_chart(1, len(headers.FIGURE) + 1, chart)


def _indicator_sheet(workbook: Any, report: MonthlyReport, bold: Any) -> None:
    sheet = workbook.add_worksheet("Indikatorer")
    header = ["Indikator", "Enhet"]
    for care in Care:
        header += [f"{CARE_LABELS[care]}: {part}" for part in ("täljare", "nämnare", "värde")]
    sheet.write_row(0, 0, header, bold)
    for row, rows in enumerate(zip(*(report.indicators[c] for c in Care), strict=True), 1):
        cells: list[Any] = [safe_cell(rows[0].title), headers.unit(rows[0].unit)]
        for r in rows:
            cells += [r.numerator, r.denominator, r.value]
        sheet.write_row(row, 0, cells)
    sheet.freeze_panes(1, 2)


def _payment_sheets(workbook: Any, report: MonthlyReport, bold: Any) -> None:
    """The PDF's payment table and comparison; the invoice basis itself has the reasons."""
    sheet = workbook.add_worksheet("Betalning")
    sheet.write_row(0, 0, PAYMENT_COLUMNS, bold)
    for row, i in enumerate(report.invoices, start=1):
        sheet.write_row(
            row, 0,
            [municipality_name(i.municipality), i.municipality, safe_cell(i.district or ""),
             i.month, group_text(i.group), safe_cell(i.stage or ""), i.counted_episodes,
             i.ready_days, i.average_days, i.threshold_days, "ja" if i.liable else "nej",
             i.billable_days, i.day_rate_sek, i.amount_sek],
        )  # fmt: skip
    names = report.rulebook_names
    compare = workbook.add_worksheet("Jämförelse")
    ids = [c for c in report.comparison.columns if c not in ("municipality", "month")]
    compare.write_row(0, 0, ["Kommun", "Kommunkod", "Månad", *(names[i] for i in ids)], bold)
    for row, values in enumerate(report.comparison.iter_rows(named=True), start=1):
        code = values["municipality"]
        first = (
            ["Summa", "", ""]
            if code == "total"
            else [municipality_name(code), code, values["month"]]
        )
        compare.write_row(row, 0, [*first, *(values[i] for i in ids)])
    runs = workbook.add_worksheet("Regelverk")
    runs.write_row(0, 0, ["Regelverk", "Id", "Gäller månaden", "Fel"], bold)
    for row, run in enumerate(report.runs, start=1):
        runs.write_row(
            row, 0,
            [safe_cell(names[run.rulebook.id]), run.rulebook.id, "ja" if run.in_force else "nej",
             safe_cell(run.note() if run.error else "")],
        )  # fmt: skip


def _baseline_sheets(workbook: Any, report: MonthlyReport, bold: Any) -> None:
    """The year to date beside the baseline year: every indicator, the mean per municipality."""
    baseline = report.baseline
    if baseline is None:
        return
    for name, rows in (("Basår", baseline.indicators),
                       ("Basår kommuner", baseline.municipalities)):  # fmt: skip
        sheet = workbook.add_worksheet(name)
        sheet.write_row(0, 0, BASELINE_HEADERS, bold)
        for row, r in enumerate(rows, start=1):
            sheet.write_row(
                row, 0,
                [safe_cell(r.key), safe_cell(r.label), headers.unit(r.unit), r.value,
                 r.baseline, r.difference, change(r.change) if r.change else "", baseline.period,
                 baseline.year],
            )  # fmt: skip
        sheet.freeze_panes(1, 2)


def report_xlsx(report: MonthlyReport) -> bytes:
    """The workbook in Swedish whatever the reader's language, as the invoice basis's is."""
    with translation.override("sv"):
        return _workbook(report)


def _workbook(report: MonthlyReport) -> bytes:
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
