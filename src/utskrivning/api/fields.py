"""Numbers the API takes as ids: ASCII digits only and what a database id column holds.

pydantic reads "1_000", " 12 " and "12.0" as whole numbers, and a path id past 64 bits would fail
in the query rather than say "not found"; every id in a path or a body is one of these types.
"""

from __future__ import annotations

from typing import Annotated

from ninja import Path
from pydantic import BeforeValidator, Field

from utskrivning.lib.digits import MAX_ID, is_digits


def _ascii_digits(value: object) -> object:
    if isinstance(value, str) and not is_digits(value):
        raise ValueError("a whole number in the digits 0-9")
    return value


PathId = Annotated[int, BeforeValidator(_ascii_digits), Path(ge=1, le=MAX_ID)]
DbId = Annotated[int, BeforeValidator(_ascii_digits), Field(ge=1, le=MAX_ID)]
# A kommunkod is four ASCII digits, checked before it reaches a query (a lone surrogate in a
# JSON string failed in the database driver with a 500).
KOMMUNKOD = "^[0-9]{4}$"
PathKommunkod = Annotated[str, Path(pattern=KOMMUNKOD)]
Kommunkod = Annotated[str, Field(pattern=KOMMUNKOD)]
