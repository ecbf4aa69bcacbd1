"""What a user typed, made inert in every file we write: one helper per kind of file.

A spreadsheet runs a cell that starts with = + - @ (or a tab or CR before one) as a formula, and
Swedish Excel splits a CSV line on `;` too, so `ok;=2+5` opens as a formula in its second cell;
xlsxwriter turns text that looks like a URL into a live link and `=…` into a formula unless told
not to; reportlab's Paragraph reads its text as markup, and a table cell taller than a page makes
the whole PDF fail. Every CSV, XLSX and PDF writer goes through here.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    import xlsxwriter

# A formula's first character at the start of a cell or after a separator a spreadsheet may split
# on (`,` `;` tab, and line ends inside a quoted cell); a tab or CR at the start as well.
_RUNS = r"(?:^[\t\r]|(?:^|[,;\t\r\n])[=+\-@])"
RUNS_AS_FORMULA = re.compile(_RUNS)
# A plain number (a negative amount) runs as nothing and must stay a number.
_NUMBER = r"^-?[0-9]+(?:[.,][0-9]+)?$"
NUMBER = re.compile(_NUMBER, re.ASCII)


# The number formats of every workbook a person opens (Excel's codes; a Swedish Excel shows
# "65 100,00 kr" and "2,45"): the service's invoice basis and the command line's alike.
NUMBER_FORMATS = {
    "kr": '#,##0.00 "kr"',
    "days": "0.00",
    "int": "0",
    "date": "yyyy-mm-dd",
}


def runs_as_formula(value: Any) -> bool:
    return (
        isinstance(value, str)
        and RUNS_AS_FORMULA.search(value) is not None
        and not NUMBER.match(value)
    )


def safe_cell(value: Any) -> Any:
    """A leading quote keeps such a cell text (OWASP); other values pass unchanged."""
    return "'" + value if runs_as_formula(value) else value


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """CSV with LF line ends, a CR in a cell written as a LF. Python's writer quotes a cell that
    holds its line end (LF) but leaves a lone CR bare, which a spreadsheet reads as the end of the
    row: `x`, CR, `=1+2` was a live formula at the start of a row of its own."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([[_no_cr(cell) for cell in row] for row in rows])
    return out.getvalue()


def _no_cr(cell: Any) -> Any:
    return cell.replace("\r\n", "\n").replace("\r", "\n") if isinstance(cell, str) else cell


def _runs(text: pl.Expr) -> pl.Expr:
    return text.str.contains(_RUNS) & ~text.str.contains(_NUMBER)


# What can make any text of a column run: a formula's or _RUNS' first character at its start, or
# a separator after which one may follow. Literal searches that find more than _RUNS but never
# less, in half the regex's time over a national year's 1.5 million ids, which hold none.
_FIRST = ("=", "+", "-", "@", "\t", "\r")
_SEPARATORS = [",", ";", "\t", "\r", "\n"]


def _may_run(column: pl.Series) -> bool:
    text = pl.col(column.name)
    starts = pl.any_horizontal(text.str.starts_with(first) for first in _FIRST)
    may = (starts | text.str.contains_any(_SEPARATORS)).any()
    return bool(column.to_frame().select(may).item())


def _safe_column(column: pl.Series) -> pl.Expr:
    """A column that repeats a few texts (a month, a reason) is judged once per text: a national
    year's 1.5 million lines hold some hundred distinct reasons."""
    text = pl.col(column.name)
    if column.head(10_000).n_unique() > 1_000:  # an id: judged row by row, if any could run
        if not _may_run(column) or not column.str.contains(_RUNS).any():
            return text
        return pl.when(_runs(text)).then(pl.lit("'") + text).otherwise(text)
    distinct = column.unique()
    running = distinct.filter(distinct.to_frame().select(_runs(pl.col(column.name))).to_series())
    if running.is_empty():
        return text
    return pl.when(text.is_in(running.implode())).then(pl.lit("'") + text).otherwise(text)


def safe_frame(frame: pl.DataFrame, columns: Iterable[str] | None = None) -> pl.DataFrame:
    """`safe_cell` on every text column of a frame, in Polars (the national files' writers), or
    on those of the `columns` it has: the ones a person typed, where the rest are codes or the
    program's own words that cannot start a formula (each column judged costs a pass over 1.5
    million lines)."""
    named = None if columns is None else set(columns)
    return frame.with_columns(
        _safe_column(frame.get_column(name)).alias(name)
        for name, dtype in frame.schema.items()
        if dtype == pl.String and (named is None or name in named)
    )


def xlsx_workbook(target: str | Path | IO[bytes]) -> xlsxwriter.Workbook:
    """An XLSX workbook that writes text as text: no formulas, no links, no numbers guessed."""
    import xlsxwriter  # here: the payment command's files are written without it (xlsx.py)

    return xlsxwriter.Workbook(
        target,
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "in_memory": True,
        },
    )


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # no printable meaning; some break the parser
# Characters of one text in a PDF: a page must hold the paragraph's height, across the page
# (PDF_TEXT_LIMIT) or in a table column a tenth as wide (PDF_CELL_LIMIT).
PDF_TEXT_LIMIT, PDF_CELL_LIMIT = 1000, 300


def pdf_text(value: Any, limit: int = PDF_TEXT_LIMIT) -> str:
    """Text for a reportlab Paragraph: cut to `limit` characters (a cell taller than a page makes
    the document fail; a long word wraps by the style's `splitLongWords`), and escaped so nothing
    reads as markup."""
    text = _CONTROL.sub("", str(value))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    # Here, not at the top: xml.sax.saxutils imports urllib.request, 30 ms of the start of a
    # payment command that writes no PDF.
    from xml.sax.saxutils import escape

    return escape(text).replace("\n", "<br/>")
