"""`safe_frame` judges a column of repeated texts once per text and a column of ids row by row;
both give what `safe_cell` gives each value (tests/trust/test_documents.py has the rules)."""

from __future__ import annotations

import polars as pl
import pytest

from utskrivning.domain.documents import safe_cell, safe_frame

TEXTS = ["ok", "=1+1", "a;=2+5", "-12.5", "-x", "@SUM(A1)", "\t=3", None, "plain, text"]


@pytest.mark.parametrize("distinct", [False, True], ids=["repeated", "ids"])
def test_a_frame_is_made_safe_value_by_value(distinct: bool) -> None:
    values = [*TEXTS * 300]
    if distinct:  # more than a thousand distinct texts: the column is judged row by row
        values = [None if v is None else f"{v}{n}" for n, v in enumerate(values)]
    frame = pl.DataFrame({"text": values, "number": range(len(values))})
    safe = safe_frame(frame)
    assert safe["text"].to_list() == [safe_cell(v) for v in values]
    assert safe["number"].to_list() == list(range(len(values)))
