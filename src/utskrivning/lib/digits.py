"""Numbers that outsiders write as text: a month, a year, a count, an id, a kommunkod.

Only ASCII `[0-9]` is a digit here. Python's `int()`, `Decimal()`, `str.isdigit()` and `\\d` also
take Arabic-Indic, full-width or superscript digits (some of which `int()` then refuses), so a value
that passed one check and failed the next gave a 500, or compared as text after ASCII months and
kept a loop going for ever. Every value is bounded too, so no loop or computation runs for as many
steps as an outside value says.
"""

from __future__ import annotations

import re
from datetime import date, datetime

DIGITS = re.compile(r"[0-9]+", re.ASCII)
MAX_ID = 2**63 - 1  # a database id: what a 64-bit integer column holds


class NumberError(ValueError):
    """A value refused, with the field it came in: the caller answers 4xx (or exit 2) naming it."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


def is_digits(text: object, length: int | None = None) -> bool:
    """ASCII digits only, of exactly `length` when given."""
    return (
        isinstance(text, str)
        and DIGITS.fullmatch(text) is not None
        and (length is None or len(text) == length)
    )


def bounded_int(text: str, *, field: str, low: int, high: int) -> int:
    """The whole number `text` writes in ASCII digits (a leading minus allowed when `low` < 0),
    within [low, high]; otherwise `NumberError` naming `field` and the range."""
    reason = f"a whole number from {low} to {high} in the digits 0-9"
    digits = text[1:] if low < 0 and text.startswith("-") else text
    # The length first: int() of a million digits is itself a computation an outsider decides.
    if not is_digits(digits) or len(digits) > len(str(max(abs(low), abs(high)))):
        raise NumberError(field, reason)
    value = int(text)
    if not low <= value <= high:
        raise NumberError(field, reason)
    return value


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def iso_date(text: str) -> date | None:
    """The date `text` writes as YYYY-MM-DD in ASCII digits, else None. Not Django's
    `parse_date`, whose `\\d` read "٢٠٢٦-١٢-١٠" and "２０２６-12-1" as dates."""
    if _ISO_DATE.fullmatch(text) is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


_LOCAL_MINUTE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}", re.ASCII)


def local_minute(text: str) -> datetime | None:
    """The naive local time `text` writes as YYYY-MM-DDTHH:MM (a browser's datetime-local) or
    with a space, in ASCII digits, else None."""
    if _LOCAL_MINUTE.fullmatch(text) is None:
        return None
    try:
        return datetime.fromisoformat(text.replace(" ", "T"))
    except ValueError:
        return None


def has_other_digits(text: str) -> bool:
    """Whether `text` holds a digit that is not ASCII 0-9 (Arabic-Indic, full-width, superscript):
    what `int()`, `strptime` and a database's integer lookup would quietly read as a number."""
    return any(ch.isdigit() and not "0" <= ch <= "9" for ch in text)
