"""The 290 kommuner by SCB's kommunkod: the reader rejects a code no municipality has."""

from __future__ import annotations

import csv
import io
from importlib.resources import files

_TEXT = files("utskrivning.domain").joinpath("data", "municipalities.csv").read_text("utf-8")
_NAMES: dict[str, str] = {row["code"]: row["name"] for row in csv.DictReader(io.StringIO(_TEXT))}

MUNICIPALITY_CODES: frozenset[str] = frozenset(_NAMES)


def municipality_name(code: str) -> str:
    """The short name ("Falun" for 2080); KeyError for a code that is not a kommunkod."""
    return _NAMES[code]
