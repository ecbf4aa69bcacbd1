"""`safe_frame` judges a column of repeated texts once per text and a column of ids row by row;
both give what `safe_cell` gives each value (tests/trust/test_documents.py has the rules)."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


@given(st.text(alphabet="=+-@\t\r\n,;a1 .", max_size=8))
@settings(max_examples=300, deadline=None)
def test_one_hostile_id_among_plain_ones_is_found(text: str) -> None:
    """An id column is first searched for what may start a formula (`_may_run`), and judged row
    by row only then: that search must miss no shape the judgement catches."""
    values = [f"VT2020-{n:07d}" for n in range(1_200)]
    values[600] = text
    safe = safe_frame(pl.DataFrame({"id": values}))
    assert safe["id"].to_list() == [safe_cell(v) for v in values]
