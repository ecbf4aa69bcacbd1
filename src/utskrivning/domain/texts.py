"""Each row of a frame as text (an XML row, a JSON object, a CSV line), made once per distinct
part where the rows repeat.

A national year's 1.5 million lines hold some three thousand distinct combinations of their
repeating columns (care type, basis, days, amount, reason): the text of such a run of columns
is made once per combination and gathered, and only the columns that differ row by row (an id,
a line number) are made row by row. That is most of what the files cost to build.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass

import polars as pl

# A column's text in each row of a frame: judged on the whole frame, the expression is evaluated
# on each of its chunks in turn, so what it decides from the data must hold for every row.
TextOf = Callable[[pl.DataFrame, str], pl.Expr]
# The rows of a frame with its repeated columns' values as the file shows them (a number of öre as
# kronor, say): made for each combination's first row, never row by row. The other columns stay.
Shown = Callable[[pl.DataFrame], pl.DataFrame]


def _runs(columns: list[str], repeated: Collection[str]) -> list[list[str]]:
    """The columns in order, adjacent repeated ones together."""
    runs: list[list[str]] = []
    for name in columns:
        if name in repeated and runs and runs[-1][0] in repeated:
            runs[-1].append(name)
        else:
            runs.append([name])
    return runs


@dataclass(frozen=True)
class _Run:
    """A run of repeated columns: the text of each distinct combination, each row's number."""

    texts: pl.Series  # in one chunk: gathering from several is slow
    combination: pl.Series

    def rows(self, start: int, length: int) -> pl.Series:
        return self.texts.gather(self.combination.slice(start, length))


def _run(
    frame: pl.DataFrame, run: list[str], text_of: TextOf, separator: str, shown: Shown | None
) -> _Run:
    """Each row's text of the run's columns, made once per distinct combination of them."""
    groups = frame.select(run).with_row_index("row").group_by(run).agg("row")
    firsts = frame[groups.get_column("row").list.first()]
    firsts = firsts if shown is None else shown(firsts)
    texts = firsts.select(
        pl.concat_str([text_of(firsts, name) for name in run], separator=separator)
    ).to_series()
    rows = groups.select("row", combination=pl.int_range(pl.len(), dtype=pl.UInt32)).explode("row")
    combination = pl.zeros(frame.height, pl.UInt32, eager=True).scatter(
        rows.get_column("row"), rows.get_column("combination")
    )
    return _Run(texts.rechunk(), combination)


def _pieces(
    height: int, start: int, runs: list[list[str]], made: dict[str, _Run], texts: dict[str, pl.Expr]
) -> list[pl.Expr]:
    return [
        pl.lit(made[run[0]].rows(start, height)).alias(run[0]) if run[0] in made else texts[run[0]]
        for run in runs
    ]


def row_pieces(
    frame: pl.DataFrame,
    text_of: TextOf,
    repeated: Collection[str] = (),
    separator: str = "",
    shown: Shown | None = None,
) -> list[pl.Expr]:
    """Expressions over `frame` whose concatenation (with `separator`) is each row's text:
    `text_of` each column (it must give no nulls), a run of adjacent `repeated` columns made
    once per combination (the columns' texts joined with `separator`, their values `shown`)."""
    texts = RowTexts(frame, text_of, repeated, separator, shown)
    return _pieces(frame.height, 0, texts.runs, texts.made, texts.texts)


class RowTexts:
    """`row_pieces` of a frame, chunk by chunk, in the frame's order or another: its repeated
    runs made once for all the chunks."""

    def __init__(
        self,
        frame: pl.DataFrame,
        text_of: TextOf,
        repeated: Collection[str] = (),
        separator: str = "",
        shown: Shown | None = None,
    ) -> None:
        self.frame = frame
        self.runs = _runs(frame.columns, repeated)
        self.made = {
            run[0]: _run(frame, run, text_of, separator, shown)
            for run in self.runs
            if run[0] in repeated
        }
        # The other columns' expressions, judged once on the whole frame (whether a column needs
        # escaping or quoting, is a number with nulls…) and evaluated on each chunk: judging a
        # national year's 1.5 million ids chunk by chunk, in the written order, cost five times
        # the one pass over them in the order they are held.
        self.texts = {
            run[0]: text_of(frame, run[0]) for run in self.runs if run[0] not in self.made
        }

    def chunks(
        self,
        rows: int,
        *,
        start: int = 0,
        length: int | None = None,
        order: pl.Series | None = None,
    ) -> Iterator[tuple[pl.DataFrame, list[pl.Expr]]]:
        """The pieces of `length` rows from `start` (to the end), `rows` at a time, with the
        chunk of the frame they are over. `order`, a gather index, writes the frame's rows in
        that order: then only each row's combination and the columns made row by row are put in
        order, not every column (a national year's lines are sorted after they are made)."""
        made = self.made
        chunks_of = self.frame
        if order is not None:
            made = {
                name: _Run(run.texts, run.combination.gather(order)) for name, run in made.items()
            }
            chunks_of = self.frame.select(run[0] for run in self.runs if run[0] not in made)
        height = self.frame.height if order is None else order.len()
        end = height if length is None else min(height, start + length)
        for offset in range(start, end, rows):
            if order is None:
                chunk = chunks_of.slice(offset, min(rows, end - offset))
            else:  # a frame with no columns has no rows: then the chunk is its rows' numbers
                rows_of_chunk = order.slice(offset, min(rows, end - offset))
                chunk = chunks_of[rows_of_chunk] if chunks_of.width else rows_of_chunk.to_frame()
            yield chunk, _pieces(chunk.height, offset, self.runs, made, self.texts)
