"""Each chart's figures as CSV, so a reader can check or redraw them; spreadsheet-safe cells."""

from __future__ import annotations

import csv
import io

from utskrivning.domain.payment.export import safe_cell
from utskrivning.followup.figures import Figure, IndicatorRow
from utskrivning.followup.formatting import plain as _number

FIGURE_COLUMNS = ("key", "label", "value", "numerator", "denominator", "threshold")
INDICATOR_COLUMNS = ("indicator", "title", "unit", "numerator", "denominator", "value")


def _write(header: tuple[str, ...], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[safe_cell(cell) for cell in row] for row in rows])
    return out.getvalue()


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
