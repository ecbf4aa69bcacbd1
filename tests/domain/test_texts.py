"""`row_pieces` makes a run of repeated columns once per combination and gathers it: the rows'
texts are what making every column row by row gives, nulls and the empty frame included."""

from __future__ import annotations

import polars as pl
import pytest

from utskrivning.domain.texts import _runs, row_pieces


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
