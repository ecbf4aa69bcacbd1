"""Months as "YYYY-MM" text, the indicators' and the engine's key, and the periods built of them:
the one check of a month from outside (URLs, filters, the API, the command line)."""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, datetime, timedelta

from utskrivning.domain.calendar import FIRST_YEAR, LAST_YEAR, STOCKHOLM

# [0-9] and ASCII: `\d` matched Arabic-Indic digits, which `int()` reads but which compare after
# every ASCII month as text, so `months_between` never reached them.
MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])", re.ASCII)
MONTH_PATTERN = f"^{MONTH.pattern}$"  # for the API's schemas


def in_range(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def is_month(text: str) -> bool:
    """A month a URL or a filter may name: YYYY-MM within the years above."""
    return bool(MONTH.fullmatch(text)) and in_range(int(text[:4]))


def shift(month: str, by: int) -> str:
    index = _index(month) + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_between(first: str, last: str) -> list[str]:
    """Every month from `first` to `last`, both included; none when `last` comes first. Counted,
    not walked until `last` is reached, which a month in other digits never was."""
    if not (MONTH.fullmatch(first) and MONTH.fullmatch(last)):
        raise ValueError(f"not months (YYYY-MM): {first!r}, {last!r}")
    return [shift(first, by) for by in range(max(0, _index(last) - _index(first) + 1))]


def _index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def current(today: date) -> str:
    return today.strftime("%Y-%m")


def bounds(first: str, last: str) -> tuple[datetime, datetime]:
    """Local midnight at the start of `first` and after the end of `last`."""
    start = datetime(int(first[:4]), int(first[5:7]), 1, tzinfo=STOCKHOLM)
    year, number = int(last[:4]), int(last[5:7])
    end = datetime(year, number, 1, tzinfo=STOCKHOLM) + timedelta(days=monthrange(year, number)[1])
    return start, end
