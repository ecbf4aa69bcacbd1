"""Personnummer and samordningsnummer, validated once at the edge into a value type.

Skatteverket's forms: `YYYYMMDD-NNNC` (12 digits), `YYMMDD-NNNC` (10 digits, `+` instead of `-`
from the year of the 100th birthday), the check digit `C` a Luhn digit over the 10-digit form, and
a samordningsnummer's day of birth plus 60. The number is never printed in full: patient
identifiers must not reach logs.

The scalar parser and the Polars expressions (for files of a million rows) give the same reasons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import polars as pl

from utskrivning.domain.refusals import Refusal

PERSONAL_NUMBER_SHAPE = (
    r"^([0-9]{6}|[0-9]{8})([-+]?)([0-9]{4})$"  # [0-9]: \d matches other scripts' digits
)
_SHAPE_RE = re.compile(PERSONAL_NUMBER_SHAPE)
_COORDINATION_OFFSET = 60

NOT_A_NUMBER = "not a personnummer or samordningsnummer (expected YYYYMMDD-NNNN)"
PLUS_IN_LONG_FORM = "'+' is only used in the 10-digit form"
WRONG_CHECK_DIGIT = "wrong check digit"
BORN_IN_FUTURE = "birth date in the future"
_NO_SUCH_DATE = "no such date"
NO_SUCH_DATE = "no such date %(date)s"  # the refusal with its date (domain.refusals)


def _luhn_block_sums(doubled: int) -> pl.Series:
    """Luhn sums of every 5-digit block, digits at positions of parity `doubled` doubled.

    Two lookups then replace ten divisions per number in the Polars path.
    """
    block = pl.int_range(100_000, eager=True)
    total = pl.zeros(len(block), pl.Int64, eager=True).alias("")
    for position in range(5):
        digit = block // 10**position % 10
        doubled_digit = 2 * digit - 9 * (digit >= 5).cast(pl.Int64)
        total += doubled_digit if position % 2 == doubled else digit
    return total


# Counted from the check digit (position 0): odd positions are doubled.
_LUHN_LOW, _LUHN_HIGH = _luhn_block_sums(doubled=1), _luhn_block_sums(doubled=0)


def _no_such_date(year: int, month: int, day: int) -> Refusal:
    return Refusal(NO_SUCH_DATE, date=f"{year:04d}-{month:02d}-{day:02d}")


@dataclass(frozen=True, repr=False)
class PersonalNumber:
    canonical: str  # 12 digits, no separator

    @property
    def is_coordination_number(self) -> bool:
        return int(self.canonical[6:8]) > _COORDINATION_OFFSET

    @property
    def birth_date(self) -> date:
        day = int(self.canonical[6:8])
        if self.is_coordination_number:
            day -= _COORDINATION_OFFSET
        return date(int(self.canonical[:4]), int(self.canonical[4:6]), day)

    @property
    def written(self) -> str:
        """ÅÅÅÅMMDD-NNNN in full, for the screens that identify the patient to the parties
        (never for a log: `str` masks it)."""
        return f"{self.canonical[:8]}-{self.canonical[8:]}"

    def age_on(self, day: date) -> int:
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def __str__(self) -> str:
        return f"{self.canonical[:8]}-****"

    def __repr__(self) -> str:
        return f"PersonalNumber('{self}')"


def _luhn_sum(digits: str) -> int:
    total = 0
    for i, ch in enumerate(digits):
        product = int(ch) * (2 - i % 2)
        total += product - 9 if product > 9 else product
    return total


def _luhn_ok(ten_digits: str) -> bool:
    return _luhn_sum(ten_digits) % 10 == 0


def check_digit(nine_digits: str) -> int:
    """The Luhn digit that completes YYMMDDNNN, for tools that make valid numbers (demo data)."""
    return (10 - _luhn_sum(nine_digits) % 10) % 10


def valid_personal_number(born: date, serial: int) -> str:
    """The 12 digits of the valid number of a birth date and a serial 0–999 (demo and benchmark
    data)."""
    head = f"{born:%y%m%d}{serial:03d}"
    return f"{born:%Y%m%d}{head[6:]}{check_digit(head)}"


def looks_like_personal_number(text: str) -> bool:
    """Shaped like one of the accepted forms; anything else is an opaque pseudonym."""
    return _SHAPE_RE.match(text.strip()) is not None


def parse_personal_number(text: str, *, today: date) -> PersonalNumber:
    """Validate `text`; `today` settles the century of the 10-digit forms (no one is unborn)."""
    match = _SHAPE_RE.match(text.strip())
    if match is None:
        raise ValueError(NOT_A_NUMBER)
    head, separator, tail = match.groups()
    ten = head[-6:] + tail
    month, day = int(ten[2:4]), int(ten[4:6])
    birth_day = day - _COORDINATION_OFFSET if day > _COORDINATION_OFFSET else day
    if len(head) == 8:
        if separator == "+":
            raise ValueError(PLUS_IN_LONG_FORM)
        year = int(head[:4])
    else:
        year = today.year - today.year % 100 + int(ten[:2])
        if (year, month, birth_day) > (today.year, today.month, today.day):
            year -= 100
        if separator == "+":
            year -= 100
    try:
        born = date(year, month, birth_day)
    except ValueError:
        raise _no_such_date(year, month, birth_day) from None
    if born > today:
        raise ValueError(BORN_IN_FUTURE)
    if not _luhn_ok(ten):
        raise ValueError(WRONG_CHECK_DIGIT)
    return PersonalNumber(f"{year:04d}{ten[2:]}")


FrameT = TypeVar("FrameT", pl.DataFrame, pl.LazyFrame)

# What `parse_personal_number` says for each failed check, in the order it checks; a number with
# no such date gets the date added in `_checked`. Indexed, not built per row: strings for every
# row of a file would cost more than the checks.
_FAILURES = pl.Series(
    [NOT_A_NUMBER, PLUS_IN_LONG_FORM, _NO_SUCH_DATE, BORN_IN_FUTURE, WRONG_CHECK_DIGIT]
)
# Days in each month 0–99 (0 for no month): a lookup, as two digits can hold any number.
_MONTH_DAYS = pl.Series([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] + [0] * 87)
_STEP = "_pn_"  # prefix of the working columns


def _step(name: str) -> pl.Expr:
    return pl.col(_STEP + name)


def _steps(column: str, today: date) -> list[dict[str, pl.Expr]]:
    """`parse_personal_number` as column steps, each a `with_columns` of its own.

    Materialising each step computes it once: as one nested expression Polars would redo the
    string steps for every use of their result, ten times slower.
    """
    text, digits, ten = pl.col(column), _step("digits"), _step("ten")
    month, day, year = _step("month"), _step("day"), _step("year")
    short_year = _step("short_year")
    return [
        # The text only where it has a separator (11 or 13 characters): most files write
        # none, and string steps over nulls cost next to nothing.
        {"separated": pl.when(text.str.len_bytes().is_in([11, 13])).then(text)},
        {
            "shape": text.str.contains(PERSONAL_NUMBER_SHAPE),
            "plus": _step("separated").str.contains("+", literal=True).fill_null(False),
            "digits": pl.coalesce(
                _step("separated")
                .str.replace("-", "", literal=True)
                .str.replace("+", "", literal=True),
                text,
            ),
        },
        {
            "number": digits.cast(pl.Int64, strict=False),
            "long_form": digits.str.len_bytes() == 12,
        },
        {"ten": _step("number") % 10**10},
        {
            "month": ten // 1_000_000 % 100,
            "day": ten // 10_000 % 100
            - (ten // 10_000 % 100 > _COORDINATION_OFFSET) * _COORDINATION_OFFSET,
            "short_year": today.year - today.year % 100 + ten // 100_000_000,
            "luhn": pl.lit(_LUHN_LOW).gather(ten % 100_000)
            + pl.lit(_LUHN_HIGH).gather(ten // 100_000),
        },
        {
            "year": pl.when(_step("long_form"))
            .then(_step("number") // 10**8)
            .otherwise(
                short_year
                - 100 * (short_year * 10_000 + month * 100 + day > _as_int(today))
                - 100 * _step("plus")
            )
        },
        {
            "month_days": pl.lit(_MONTH_DAYS).gather(month)
            + ((month == 2) & (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0)))
        },
        {
            # The first check that fails, as an index into `_FAILURES`; null when none does.
            "failure": pl.when(~_step("shape"))
            .then(0)
            .when(_step("long_form") & _step("plus"))
            .then(1)
            .when((year < 1) | (day < 1) | (day > _step("month_days")))
            .then(2)
            .when(year * 10_000 + month * 100 + day > _as_int(today))
            .then(3)
            .when(_step("luhn") % 10 != 0)
            .then(4)
        },
        {
            "canonical": pl.when(_step("failure").is_null() & pl.col(column).is_not_null()).then(
                pl.when(_step("long_form"))
                .then(digits)
                # Only the short forms formatted: a number per row costs more than the checks.
                .otherwise(
                    pl.when(~_step("long_form")).then(year * 10**8 + ten % 10**8).cast(pl.String)
                )
            )
        },
    ]


def _with_steps(frame: FrameT, column: str, today: date) -> FrameT:
    for step in _steps(column, today):
        frame = frame.with_columns(**{_STEP + name: expr for name, expr in step.items()})
    return frame


def with_canonical_personal_number(
    frame: FrameT, column: str, *, today: date, alias: str, invalid: str | None = None
) -> FrameT:
    """Adds `alias`: the 12 digits of a valid number in `column` (stripped text), else null.

    With `invalid`, also that column: true where the text has a number's shape but is no valid
    number (a pseudonym has no such shape). The form for lazy pipelines over whole files: no
    Python call per batch, which would cost more than the check itself.
    """
    flags = {} if invalid is None else {invalid: _step("failure") > 0}
    return (
        _with_steps(frame, column, today)
        .with_columns(_step("canonical").alias(alias), **flags)
        .select(pl.exclude(f"^{_STEP}.*$"))
    )


def _checked(numbers: pl.Series, today: date) -> pl.DataFrame:
    """The reason (with the impossible date spelt out) and the canonical form of each number."""
    frame = _with_steps(numbers.str.strip_chars().rename("number").to_frame(), "number", today)
    reason = frame.select(pl.lit(_FAILURES).gather(_step("failure"))).to_series()
    impossible = reason == _NO_SUCH_DATE
    if impossible.any():
        parts = frame.filter(impossible).select(_step("year"), _step("month"), _step("day"))
        messages = pl.Series(
            [str(_no_such_date(*row)) for row in parts.iter_rows()], dtype=pl.String
        )
        reason = reason.scatter(impossible.arg_true(), messages)
    return pl.DataFrame({"reason": reason, "canonical": frame.get_column(f"{_STEP}canonical")})


def _as_int(d: date) -> int:
    return d.year * 10_000 + d.month * 100 + d.day


def personal_number_errors(col: pl.Expr, today: date) -> pl.Expr:
    """Per row: null when valid (or null), else the reason `parse_personal_number` would give."""
    return col.map_batches(
        lambda numbers: _checked(numbers, today).get_column("reason"),
        return_dtype=pl.String,
        is_elementwise=True,
    )


def canonical_personal_number(col: pl.Expr, today: date) -> pl.Expr:
    """The 12-digit form, or null where `personal_number_errors` has a reason."""
    return col.map_batches(
        lambda numbers: _checked(numbers, today).get_column("canonical"),
        return_dtype=pl.String,
        is_elementwise=True,
    )
