"""Each row of a frame as text (an XML row, a JSON object, a CSV line), made once per distinct
part where the rows repeat.

A national year's 1.5 million lines hold some three thousand distinct combinations of their
repeating columns (care type, basis, days, amount, reason): the text of such a run of columns
is made once per combination and gathered, and only the columns that differ row by row (an id,
a line number) are made row by row. That is most of what the files cost to build.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

import polars as pl

TextOf = Callable[[pl.DataFrame, str], pl.Expr]  # a column's text in each row of a frame


def _runs(columns: list[str], repeated: Collection[str]) -> list[list[str]]:
    """The columns in order, adjacent repeated ones together."""
    runs: list[list[str]] = []
    for name in columns:
        if name in repeated and runs and runs[-1][0] in repeated:
            runs[-1].append(name)
        else:
            runs.append([name])
    return runs


def _run_text(frame: pl.DataFrame, run: list[str], text_of: TextOf, separator: str) -> pl.Series:
    """Each row's text of the run's columns, made once per distinct combination of them."""
    groups = frame.select(run).with_row_index("row").group_by(run).agg("row")
    firsts = frame[groups.get_column("row").list.first()]
    texts = firsts.select(
        pl.concat_str([text_of(firsts, name) for name in run], separator=separator)
    ).to_series()
    rows = groups.select("row", combination=pl.int_range(pl.len(), dtype=pl.UInt32)).explode("row")
    combination = pl.zeros(frame.height, pl.UInt32, eager=True).scatter(
        rows.get_column("row"), rows.get_column("combination")
    )
    return texts.rechunk().gather(combination)  # from one chunk: from several it is slow


def row_pieces(
    frame: pl.DataFrame, text_of: TextOf, repeated: Collection[str] = (), separator: str = ""
) -> list[pl.Expr]:
    """Expressions over `frame` whose concatenation (with `separator`) is each row's text:
    `text_of` each column (it must give no nulls), a run of adjacent `repeated` columns made
    once per combination (the columns' texts joined with `separator`)."""
    return [
        pl.lit(_run_text(frame, run, text_of, separator)).alias(run[0])
        if run[0] in repeated
        else text_of(frame, run[0])
        for run in _runs(frame.columns, repeated)
    ]
