"""The deviation follow-up's period from outside: whole months, the last twelve by default, each
refused naming its parameter. The API parses its own query here; the page's form maps the same
bounds (`lib.months`) to its own Swedish errors."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError

from utskrivning.lib import months

DEFAULT_MONTHS = 12


def deviation_period(*, start: str | None, end: str | None, today: date) -> tuple[date, date]:
    """[first day, first day after) of the months `start` to `end`; a month left out is the
    default's (the twelve months up to today's)."""
    this_month = months.current(today)
    first = start or months.shift(this_month, 1 - DEFAULT_MONTHS)
    last = end or this_month
    for name, value in (("start", first), ("end", last)):
        if not months.is_month(value):
            raise ValidationError(
                {name: f"a month (YYYY-MM) from {months.FIRST_YEAR} to {months.LAST_YEAR}"}
            )
    if first > last:
        raise ValidationError({"end": "The period ends before it starts."})
    begins, ends = months.bounds(first, last)
    return begins.date(), ends.date()
