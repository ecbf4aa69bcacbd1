"""Each chart's figures as CSV, so a reader can check or redraw them; spreadsheet-safe cells.

Headers, units and verdicts in Swedish, as the monthly report's workbook has them; numbers plain
(a dot, no thousands), which a script and a spreadsheet's import both read back.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import translation

from utskrivning.domain.documents import csv_text, safe_cell
from utskrivning.followup import headers
from utskrivning.followup.baseline import BaselineRow
from utskrivning.followup.figures import Figure, IndicatorRow
from utskrivning.followup.formatting import change
from utskrivning.followup.formatting import plain as _number
from utskrivning.followup.services import CHARTS, Dashboard

# The baseline tables: every indicator over the scope, and mean ready days per municipality.
BASELINE_TABLES = ("baseline", "baseline_municipalities")
NAMES = (*CHARTS, "indicators", *BASELINE_TABLES)


def _write(header: tuple[str, ...], rows: list[list[str]]) -> str:
    """Text cells made formula-safe; a plain number (a difference may be negative) is left be."""
    return csv_text([header, *([safe_cell(cell) for cell in row] for row in rows)])


def figures_csv(figures: list[Figure]) -> str:
    return _write(
        headers.FIGURE,
        [
            [f.key, f.label, _number(f.value), _number(f.numerator), _number(f.denominator),
             _number(f.threshold)]
            for f in figures
        ],
    )  # fmt: skip


def indicators_csv(rows: list[IndicatorRow]) -> str:
    return _write(
        headers.INDICATOR,
        [
            [r.id, r.title, headers.unit(r.unit), _number(r.numerator), _number(r.denominator),
             _number(r.value)]
            for r in rows
        ],
    )  # fmt: skip


def baseline_csv(rows: list[BaselineRow]) -> str:
    return _write(
        headers.BASELINE,
        [
            [r.key, r.label, headers.unit(r.unit), _number(r.value), _number(r.baseline),
             _number(r.difference), change(r.change) if r.change else ""]
            for r in rows
        ],
    )  # fmt: skip


def dashboard_csv(board: Dashboard, name: str) -> str:
    """The CSV behind one of the dashboard's charts or tables; 404 for none, or for a baseline
    table when no baseline year is chosen."""
    with translation.override("sv"):
        return _csv(board, name)


def _csv(board: Dashboard, name: str) -> str:
    if name == "indicators":
        return indicators_csv(board.indicators)
    if name in CHARTS:
        return figures_csv(board.figures[name])
    if name in BASELINE_TABLES and board.baseline is not None:
        baseline = board.baseline
        return baseline_csv(baseline.indicators if name == "baseline" else baseline.municipalities)
    raise Http404
