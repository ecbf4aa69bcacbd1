"""The dashboard's filters, from GET parameters, so every view of the figures is a plain link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import BadRequest
from django.http import QueryDict
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from utskrivning.domain.care import CareGroup as Care
from utskrivning.domain.indicators.table import BASELINE_MONTHS
from utskrivning.lib import months
from utskrivning.lib.digits import MAX_ID, NumberError, bounded_int

# A region's three years is already tens of thousands of episodes read and audited per request.
MAX_MONTHS = 36
DEFAULT_MONTHS = 12


CARE_LABELS = {
    Care.ALL: _("All care types"),
    Care.SOMATIC: _("Somatic care"),
    Care.PSYCHIATRIC: _("Psychiatric care"),
}


@dataclass(frozen=True)
class Filters:
    first: str
    last: str
    care: Care = Care.ALL
    organisation: int | None = None
    baseline: int | None = None  # the year to compare with, none when not chosen

    @property
    def months(self) -> list[str]:
        return months.months_between(self.first, self.last)

    def query(self) -> str:
        """The filters as a query string, for download links and the htmx URL."""
        params = {"from": self.first, "to": self.last, "care": self.care.value}
        if self.organisation is not None:
            params["organisation"] = str(self.organisation)
        if self.baseline is not None:
            params["baseline"] = str(self.baseline)
        return urlencode(params)


class FilterError(BadRequest):
    """A filter refused, with the parameter it names (None: the period as a whole), so the API
    can name it without reading the message back."""

    def __init__(self, reason: str, field: str | None = None) -> None:
        super().__init__(f"{field}: {reason}" if field else reason)
        self.field, self.reason = field, reason


def _month(params: QueryDict, name: str, default: str) -> str:
    value = params.get(name) or default
    if not months.is_month(value):
        raise FilterError(f"a month (YYYY-MM) from {months.FIRST_YEAR} to {months.LAST_YEAR}", name)
    return value


def parse_baseline(params: QueryDict) -> int | None:
    """The baseline year asked for (`baseline=2017`), None when empty."""
    value = params.get("baseline") or None
    if value is None:
        return None
    return _number(value, "baseline", months.FIRST_YEAR, months.LAST_YEAR)


def _number(value: str, field: str, low: int, high: int) -> int:
    try:
        return bounded_int(value, field=field, low=low, high=high)
    except NumberError as error:
        raise FilterError(error.reason, field) from None


def parse_filters(params: QueryDict, *, today: date) -> Filters:
    """The filters given, the last twelve months and all care types by default."""
    last = _month(params, "to", months.current(today))
    first = _month(params, "from", months.shift(last, 1 - DEFAULT_MONTHS))
    if not 0 < len(months.months_between(first, last)) <= MAX_MONTHS:
        raise FilterError(f"the period must be 1 to {MAX_MONTHS} months, from before to")
    try:
        care = Care(params.get("care") or Care.ALL)
    except ValueError:
        raise FilterError("all, somatic or psychiatric", "care") from None
    text = params.get("organisation") or None
    organisation = None if text is None else _number(text, "organisation", 1, MAX_ID)
    baseline = parse_baseline(params)
    if baseline is not None and len(months.months_between(first, last)) > BASELINE_MONTHS:
        raise FilterError(
            f"a baseline comparison takes a period of at most {BASELINE_MONTHS} months"
        )
    return Filters(first, last, care, organisation, baseline)
