"""Numbers for machines (data attributes, CSV: a dot, no thousands) and for people (localised)."""

from __future__ import annotations

from django.utils.formats import number_format


def plain(value: float | None) -> str:
    """Four decimals at most, a dot, "" for none: what a script or spreadsheet reads back."""
    return "" if value is None else f"{value:.4f}".rstrip("0").rstrip(".")


def shown(value: float | None, unit: str) -> str:
    """A share as a percentage, a mean with two decimals, counts and days whole; "–" for none."""
    if value is None:
        return "–"
    if unit == "share":
        return f"{number_format(value * 100, 1)} %"
    if unit == "mean":
        return number_format(value, 2)
    return number_format(value, 0, force_grouping=True)
