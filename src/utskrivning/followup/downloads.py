"""Each chart's figures as CSV, so a reader can check or redraw them; spreadsheet-safe cells."""

from __future__ import annotations

from django.http import Http404

from utskrivning.domain.documents import csv_text, safe_cell
from utskrivning.followup.baseline import BaselineRow
from utskrivning.followup.figures import Figure, IndicatorRow
from utskrivning.followup.formatting import plain as _number
from utskrivning.followup.services import CHARTS, Dashboard

FIGURE_COLUMNS = ("key", "label", "value", "numerator", "denominator", "threshold")
INDICATOR_COLUMNS = ("indicator", "title", "unit", "numerator", "denominator", "value")
BASELINE_COLUMNS = ("key", "label", "unit", "value", "baseline", "difference", "change")
# The baseline tables: every indicator over the scope, and mean ready days per municipality.
BASELINE_TABLES = ("baseline", "baseline_municipalities")
NAMES = (*CHARTS, "indicators", *BASELINE_TABLES)


def _write(header: tuple[str, ...], rows: list[list[str]]) -> str:
    """Text cells made formula-safe; a plain number (a difference may be negative) is left be."""
    return csv_text([header, *([safe_cell(cell) for cell in row] for row in rows)])


def figures_csv(figures: list[Figure]) -> str:
    return _write(
        FIGURE_COLUMNS,
        [
            [f.key, f.label, _number(f.value), _number(f.numerator), _number(f.denominator),
             _number(f.threshold)]
            for f in figures
        ],
    )  # fmt: skip


def indicators_csv(rows: list[IndicatorRow]) -> str:
    return _write(
        INDICATOR_COLUMNS,
        [
            [r.id, r.title, r.unit, _number(r.numerator), _number(r.denominator),
             _number(r.value)]
            for r in rows
        ],
    )  # fmt: skip


def baseline_csv(rows: list[BaselineRow]) -> str:
    return _write(
        BASELINE_COLUMNS,
        [
            [r.key, r.label, r.unit, _number(r.value), _number(r.baseline),
             _number(r.difference), r.change or ""]
            for r in rows
        ],
    )  # fmt: skip


def dashboard_csv(board: Dashboard, name: str) -> str:
    """The CSV behind one of the dashboard's charts or tables; 404 for none, or for a baseline
    table when no baseline year is chosen."""
    if name == "indicators":
        return indicators_csv(board.indicators)
    if name in CHARTS:
        return figures_csv(board.figures[name])
    if name in BASELINE_TABLES and board.baseline is not None:
        baseline = board.baseline
        return baseline_csv(baseline.indicators if name == "baseline" else baseline.municipalities)
    raise Http404
