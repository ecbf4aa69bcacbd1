"""Numbers for machines (data attributes, CSV: a dot, no thousands) and for people (localised)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def plain(value: float | None) -> str:
    """Four decimals at most, a dot, "" for none: what a script or spreadsheet reads back."""
    return "" if value is None else f"{value:.4f}".rstrip("0").rstrip(".")


def _rounded(value: float, places: int) -> Decimal:
    """Half up to `places`: Django's number_format cuts a float's digits off (3.6667 → 3,66)."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def shown(value: float | None, unit: str) -> str:
    """A share as a percentage, a mean with two decimals, counts and days whole; "–" for none."""
    if value is None:
        return "–"
    if unit == "share":
        return f"{number_format(_rounded(value * 100, 1), 1)} %"
    if unit == "mean":
        return number_format(_rounded(value, 2), 2)
    return number_format(_rounded(value, 0), 0, force_grouping=True)


def difference(value: float | None, unit: str) -> str:
    """Signed, in the figure's own unit; a share's difference in percentage points. The minus
    is a hyphen: the PDF's standard fonts have no U+2212."""
    if value is None:
        return "–"
    sign = "+" if value > 0 else "-" if value < 0 else "±"
    if unit == "share":
        return f"{sign}{number_format(_rounded(abs(value) * 100, 1), 1)} {_('pp')}"
    return sign + shown(abs(value), unit)


def change(verdict: str | None) -> str:
    """`baseline_comparison`'s verdict in words; "–" where the indicator has no better way."""
    words = {"better": _("Better"), "worse": _("Worse"), "unchanged": _("Unchanged")}
    return words.get(verdict or "", "–")
