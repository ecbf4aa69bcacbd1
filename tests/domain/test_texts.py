"""`row_pieces` makes a run of repeated columns once per combination and gathers it: the rows'
texts are what making every column row by row gives, nulls and the empty frame included."""

from __future__ import annotations

import polars as pl
import pytest

from utskrivning.domain.texts import RowTexts, _runs, row_pieces


def _text(frame: pl.DataFrame, name: str) -> pl.Expr:
    return pl.format("<{}={}>", pl.lit(name), pl.col(name).cast(pl.String).fill_null("null"))


FRAME = pl.DataFrame(
    {
        "group": ["a", "b", "a", None, "b", "a"],
        "id": ["x1", "x2", "x3", "x4", "x5", "x6"],
        "kind": ["k", "k", "m", "k", None, "k"],
        "days": [1, 2, 1, 1, None, 1],
    }
)


@pytest.mark.parametrize("frame", [FRAME, FRAME.head(0), FRAME.reverse()], ids=["", "empty", "rev"])
@pytest.mark.parametrize("repeated", [(), ("group",), ("group", "kind", "days"), FRAME.columns])
def test_the_rows_are_the_columns_made_row_by_row(frame: pl.DataFrame, repeated: tuple) -> None:
    expected = frame.select(pl.concat_str([_text(frame, name) for name in frame.columns]))
    got = frame.select(pl.concat_str(row_pieces(frame, _text, repeated)))
    assert got.to_series().to_list() == expected.to_series().to_list()


def test_adjacent_repeated_columns_make_one_run() -> None:
    assert _runs(["group", "id", "kind", "days"], {"group", "kind", "days"}) == [
        ["group"],
        ["id"],
        ["kind", "days"],
    ]


@pytest.mark.parametrize("repeated", [(), ("group",), ("group", "kind", "days"), FRAME.columns])
@pytest.mark.parametrize("start,length", [(0, None), (1, 4), (5, 10), (6, None)])
def test_rows_in_another_order_are_those_rows_made_in_it(
    repeated: tuple, start: int, length: int | None
) -> None:
    order = pl.Series([3, 0, 5, 1, 4, 2], dtype=pl.UInt32)
    moved = FRAME[order].slice(start, length)
    expected = moved.select(pl.concat_str([_text(moved, name) for name in FRAME.columns]))
    texts = RowTexts(FRAME, _text, repeated)
    got = [
        chunk.select(pl.concat_str(pieces)).to_series()
        for chunk, pieces in texts.chunks(2, start=start, length=length, order=order)
    ]
    assert pl.concat([pl.Series([], dtype=pl.String), *got]).to_list() == (
        expected.to_series().to_list()
    )


def test_each_column_is_judged_once_on_the_whole_frame_not_chunk_by_chunk() -> None:
    """Whether a column needs escaping is judged once, on every row: then the chunks are made
    with what that found, the chunk before the one row that needs it escaped all the same."""
    judged: list[int] = []

    def escaped(frame: pl.DataFrame, name: str) -> pl.Expr:
        judged.append(frame.height)
        column = pl.col(name).cast(pl.String)
        if frame.get_column(name).cast(pl.String).str.contains("&", literal=True).any():
            return column.str.replace_all("&", "&amp;", literal=True)
        return column.str.to_uppercase()  # tells the rows made without the escape

    frame = pl.DataFrame({"id": ["a", "b", "c", "d&e"], "n": [1, 2, 3, 4]})
    texts = RowTexts(frame, escaped, separator=",")
    got = [
        chunk.select(pl.concat_str(pieces, separator=",")).to_series().to_list()
        for chunk, pieces in texts.chunks(1, order=pl.Series([3, 2, 1, 0], dtype=pl.UInt32))
    ]
    assert got == [["d&amp;e,4"], ["c,3"], ["b,2"], ["a,1"]]
    assert judged == [4, 4]  # each column once, on all four rows


def test_a_repeated_run_is_made_from_its_values_as_shown() -> None:
    """`shown` makes a run's values once per combination (öre as kronor); what is made equals
    showing every row first, and the columns made row by row keep their own values."""
    frame = pl.DataFrame({"id": ["a", "b", "c"], "ore": [820050, 100, 820050]})

    def kronor(rows: pl.DataFrame) -> pl.DataFrame:
        return rows.with_columns(pl.format("{} kr", pl.col("ore") / 100))

    got = frame.select(pl.concat_str(row_pieces(frame, _text, ["ore"], shown=kronor)))
    expected = kronor(frame).select(
        pl.concat_str([_text(frame, "id"), _text(kronor(frame), "ore")])
    )
    assert got.to_series().to_list() == expected.to_series().to_list()
    assert got.to_series()[0] == "<id=a><ore=8200.5 kr>"
