"""Rulebook parameters: the values an agreement leaves open, declared once with their standing.

A stage field may name a parameter instead of a value (`threshold = { parameter = "threshold" }`);
a county-average threshold names its published figure the same way (`parameter = "..."` beside
its window). On load each reference becomes the parameter's value, after any `--set` override,
so the ranges of `bounds.py` hold for overridden values too, and the stage remembers which
parameters it rests on: the invoice lists those that are assumptions or were set for the run.
Socialstyrelsen's day rates are parameters `day_rate_<year>` of every rulebook that uses them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import TypeAdapter, ValidationInfo, field_validator, model_validator

from utskrivning.domain.rulebooks.bounds import (
    FIRST_DAY,
    LAST_DAY,
    MAX_DAY_RATE,
    MAX_DAYS,
    MIN_DAY_RATE,
    Name,
    Note,
    Strict,
)

REFERENCE = "parameter"
NATIONAL_RATE = re.compile(r"^day_rate_(?P<year>[0-9]{4})$")
_NUMBER = re.compile(r"^[0-9]{1,7}([.,][0-9]{1,2})?$")
Unit = Literal["days", "sek", "yes_no"]
# The values a number of each unit may take, in a rulebook file or a run's --set alike
# (bounds.py): days (thresholds, county averages) from 0 (every ready day counts, a what-if);
# a day rate is a positive amount.
RANGES = {"days": (Decimal(0), MAX_DAYS), "sek": (MIN_DAY_RATE, MAX_DAY_RATE)}
_UNIT_WORDS = {"days": "a number of days", "sek": "an amount in SEK"}


def allowed(unit: str) -> str:
    """What a value of `unit` may be, for a refusal to name: "an amount in SEK from 100 to
    100000 (ASCII digits, at most two decimals)"."""
    if unit == "yes_no":
        return "true or false"
    low, high = RANGES[unit]
    return f"{_UNIT_WORDS[unit]} from {low} to {high} (ASCII digits, at most two decimals)"


def bounded_number(text: str, unit: str) -> Decimal:
    """A number a caller typed, in `unit`: ASCII digits with at most two decimals (a comma or a
    point), inside the unit's range; never NaN, infinity, an exponent or a sign. ValueError
    (saying what is allowed) otherwise."""
    low, high = RANGES[unit]
    if _NUMBER.fullmatch(text):
        number = Decimal(text.replace(",", "."))
        if low <= number <= high:
            return number
    raise ValueError(f"give {allowed(unit)}")


class Parameter(Strict):
    """One value with where it comes from: `source` (cited) or `assumption` (the project's)."""

    description: Note
    unit: Unit
    value: Decimal | bool | None = None
    source: Note | None = None
    assumption: Note | None = None
    set_for_run: bool = False
    rulebook_value: Decimal | bool | None = None

    @field_validator("value", "rulebook_value", mode="before")
    @classmethod
    def _typed_by_unit(cls, value: Any, info: ValidationInfo) -> Any:
        """A yes/no is a TOML boolean, a number never one (pydantic would read "1" as true)."""
        unit = info.data.get("unit")
        if value is None or unit is None:
            return value
        if unit == "yes_no" or isinstance(value, bool):
            if not isinstance(value, bool) or unit != "yes_no":
                raise ValueError(f"{value!r} is not of unit {unit}")
            return value
        if isinstance(value, str) and not _NUMBER.fullmatch(value):
            raise ValueError(f"{value!r} is not a number (digits, at most two decimals)")
        if not isinstance(value, int | float | str | Decimal):
            raise ValueError(f"{type(value).__name__} is not a number")
        number = Decimal(str(value).replace(",", "."))
        if not number.is_finite():
            raise ValueError(f"{value!r} is not a finite number")
        return number

    @model_validator(mode="after")
    def _value_fits_its_unit(self) -> Parameter:
        if self.source is None and self.assumption is None:
            raise ValueError("a parameter states its source or the assumption behind it")
        if self.value is None:
            return self
        if isinstance(self.value, Decimal):
            low, high = RANGES[self.unit]
            if not low <= self.value <= high:
                raise ValueError(f"value {self.value} is outside {low} – {high}")
            if self.value != self.value.quantize(Decimal("0.01")):
                raise ValueError(f"value {self.value} has more than two decimals")
        return self

    def note(self, name: str) -> tuple[str, dict[str, str]]:
        """What an invoice says of a parameter it rests on that no agreement states: which
        sentence (`domain.payment.notes.NoteCode`) and its values."""
        # The unit lets a page show the value as an amount ("9 300 kr"), not beside a name.
        values = {"name": name, "value": _shown(self.value), "unit": self.unit,
                  "description": self.description}  # fmt: skip
        if self.set_for_run:
            if self.rulebook_value is None:
                return "parameter_added", values
            return "parameter_set", {**values, "was": _shown(self.rulebook_value)}
        return "parameter_assumed", {**values, "text": self.assumption or ""}


def _shown(value: bool | Decimal | None) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "not set" if value is None else f"{value}"


def parse_value(name: str, parameter: Parameter | None, text: str) -> bool | Decimal:
    """A `--set` value in the parameter's unit: ASCII digits, at most two decimals, inside the
    unit's range; the refusal names the parameter and the range."""
    unit = parameter.unit if parameter else "sek"
    if unit == "yes_no":
        if text.lower() not in ("true", "false"):
            raise ValueError(f"--set {name}={text[:40]!r}: give true or false")
        return text.lower() == "true"
    try:
        return bounded_number(text, unit)
    except ValueError as error:
        raise ValueError(f"--set {name}={text[:40]!r}: {error}") from None


def _years(raw: dict[str, Any]) -> range:
    """The years a rulebook is in force: a day rate for another year bills no month."""
    first, last = raw.get("valid_from"), raw.get("valid_to")
    start = first.year if isinstance(first, date) else FIRST_DAY.year
    return range(start, (last.year if isinstance(last, date) else LAST_DAY.year) + 1)


def _overridden(
    name: str, declared: Parameter | None, text: str, national: bool, years: range
) -> dict[str, Any]:
    rate = NATIONAL_RATE.fullmatch(name)
    if declared is None and not (national and rate):
        raise KeyError(name)
    if rate and int(rate["year"]) not in years:
        # A slip of the year (day_rate_2091 for 2019) would otherwise be set, used by no month
        # and the invoice billed at the rate the run meant to change, without a word.
        raise ValueError(
            f"--set {name}: the rulebook is in force {years[0]}–"
            f"{'' if years[-1] == LAST_DAY.year else years[-1]}, so no month bills {rate['year']}"
        )
    value = parse_value(name, declared, text)
    base = (
        declared.model_dump(exclude={"value", "set_for_run", "rulebook_value"})
        if declared
        else {"description": "Socialstyrelsen's day rate", "unit": "sek", "source": "--set"}
    )
    previous = declared.value if declared else None
    return {**base, "value": value, "set_for_run": True, "rulebook_value": previous}


def national_parameters(
    rates: Mapping[int, tuple[Decimal, str | None, str | None]],
) -> dict[str, dict[str, Any]]:
    """Socialstyrelsen's rates as parameters: (amount, source, assumption) by year."""
    return {
        f"day_rate_{year}": {
            "description": f"Socialstyrelsen's amount per care day {year}",
            "unit": "sek",
            "value": rate,
            "source": source,
            "assumption": assumption,
        }
        for year, (rate, source, assumption) in rates.items()
    }


_PARAMETERS = TypeAdapter(dict[Name, Parameter])


def _is_reference(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {REFERENCE}


def _resolve_stage(stage: dict[str, Any], parameters: Mapping[str, Parameter]) -> dict[str, Any]:
    used: dict[str, str] = {}

    def lookup(name: Any, field: str) -> Parameter:
        if not isinstance(name, str) or name not in parameters:
            raise ValueError(
                f"stage {stage.get('name')!r}: {field} names no parameter of the rulebook: "
                f"{str(name)[:60]!r}"
            )
        used[field] = name
        return parameters[name]

    out = dict(stage)
    for field, value in stage.items():
        if _is_reference(value):
            parameter = lookup(value[REFERENCE], field)
            if parameter.value is None:
                raise ValueError(
                    f"stage {stage.get('name')!r}: {field} takes parameter "
                    f"{value[REFERENCE]!r}, which has no value: set it with "
                    f"--set {value[REFERENCE]}=VALUE"
                )
            out[field] = parameter.value
        elif isinstance(value, dict) and isinstance(value.get(REFERENCE), str):
            parameter = lookup(value[REFERENCE], field)
            out[field] = {**value, "value": parameter.value}
    out["parameters"] = used
    return out


def uses_national_rates(raw: dict[str, Any]) -> bool:
    """Whether a stage of `raw` (defaults folded in) bills at Socialstyrelsen's day rates, so
    that `day_rate_<year>` are its parameters too."""
    stages = [s for g in raw.get("groups", []) for s in g.get("stages", [])]
    return any(s.get("day_rate", "national") == "national" for s in stages)


def resolve(
    raw: dict[str, Any],
    national: Mapping[int, tuple[Decimal, str | None, str | None]],
    overrides: Mapping[str, str],
) -> dict[str, Any]:
    """`raw` (defaults already folded into stages) with parameters validated, overridden, used.

    Raises ValueError (a bad parameter or reference) or KeyError (an override naming none).
    """
    uses_national = uses_national_rates(raw)
    tables = raw.get("parameters", {})
    if not isinstance(tables, dict):
        raise ValueError("parameters: a table of parameter tables")
    declared = {
        **(national_parameters(national) if uses_national else {}),
        **tables,
    }
    parameters = _PARAMETERS.validate_python(declared)
    parameters |= _PARAMETERS.validate_python(
        {
            name: _overridden(name, parameters.get(name), text, uses_national, _years(raw))
            for name, text in overrides.items()
        }
    )
    for group in raw.get("groups", []):
        group["stages"] = [_resolve_stage(stage, parameters) for stage in group["stages"]]
    return {**raw, "parameters": parameters}
