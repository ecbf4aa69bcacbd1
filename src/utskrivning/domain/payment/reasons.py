"""Why a line has its basis and why an invoice is liable or not, as a code and its values.

The bulk engine and the per-episode explanation give the same `Reason`s. The files other systems
read carry the English sentence, `str(reason)` (the CSV's and JSON's `reason`: a contract); a
page, a PDF or a workbook for people says the same reason in its reader's words through `text`,
with a catalogue's `gettext` (each template below is a msgid of the web's catalogue) and its way
of writing a decimal, never by matching the English sentence back to its template.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from typing import Any

Gettext = Callable[[str], str]


class Basis(StrEnum):
    AVERAGE = "average"
    INDIVIDUAL = "individual"
    EXCLUDED = "excluded"
    NOT_LIABLE = "not_liable"


class ReasonCode(StrEnum):
    # A line's: the rule that decided its basis (lines.py, explain.py).
    NOT_IN_FORCE = "not_in_force"
    NEVER_READY = "never_ready"
    NOT_DONE = "not_done"
    ZERO_DAY = "zero_day"
    COUNTED = "counted"
    INDIVIDUAL_OVER = "individual_over"
    GRACE = "grace"
    GRACE_NOTIFIED = "grace_notified"
    NO_INVOICING = "no_invoicing"  # an invoice's too
    PRECONDITIONS_FAILED = "preconditions_failed"
    # A stay not yet discharged, in no month's invoice (explain.py; the API's "running").
    RUNNING = "running"
    # An invoice's parts, joined by "; " (PaymentResult.reasons).
    RULEBOOK_NOT_IN_FORCE = "rulebook_not_in_force"
    AVERAGE_EXCEEDS = "average_exceeds"
    AVERAGE_WITHIN = "average_within"
    NONE_COUNTED = "none_counted"
    TWO_OF_THREE = "two_of_three"
    BILLED_INDIVIDUALLY = "billed_individually"
    NONE_BEYOND_GRACE = "none_beyond_grace"
    # A sentence known only as its text (an approved document whose sentence no code matched).
    TEXT = "text"


# The English sentences, as the files have always written them; %(name)s for each value.
TEMPLATES = {
    ReasonCode.NOT_IN_FORCE: "the rulebook is not in force in this month",
    ReasonCode.NEVER_READY: "no readiness notification: not a ready patient",
    ReasonCode.NOT_DONE: "contact not closed with status UTFÖRD",
    ReasonCode.ZERO_DAY: "day zero: zero-day patients are left out",
    ReasonCode.COUNTED: "counted in the month's average",
    ReasonCode.INDIVIDUAL_OVER: (
        "more than %(over)s ready days: billed individually for the days beyond %(beyond)s"
    ),
    ReasonCode.GRACE: "%(days)s grace days, then every calendar day until discharge",
    ReasonCode.GRACE_NOTIFIED: (
        "%(days)s grace days, the rule in force on the notification date, then every calendar day"
    ),
    ReasonCode.NO_INVOICING: "stage '%(stage)s' sends no invoices",
    ReasonCode.PRECONDITIONS_FAILED: "preconditions not met: %(failed)s",
    ReasonCode.RUNNING: "running",
    ReasonCode.RULEBOOK_NOT_IN_FORCE: "%(rulebook)s is not in force in %(month)s",
    ReasonCode.AVERAGE_EXCEEDS: "average %(average)s exceeds the threshold %(threshold)s",
    ReasonCode.AVERAGE_WITHIN: "average %(average)s does not exceed the threshold %(threshold)s",
    ReasonCode.NONE_COUNTED: "no counted episodes does not exceed the threshold %(threshold)s",
    ReasonCode.TWO_OF_THREE: "liable by two of the last three months (%(history)s)",
    ReasonCode.BILLED_INDIVIDUALLY: (
        "%(episodes)s episode(s) billed individually for %(days)s day(s)"
    ),
    ReasonCode.NONE_BEYOND_GRACE: "no episode beyond its grace days",
    ReasonCode.TEXT: "%(text)s",
}
NOT_LIABLE_BY_TWO_OF_THREE = "not liable by two of the last three months (%(history)s)"
# One of the two months before in TWO_OF_THREE's history, by its value `month_N`.
HISTORY = {
    "missing": "%(n)s month(s) before: history missing",
    "exceeded": "%(n)s month(s) before: average %(average)s, exceeded",
    "within": "%(n)s month(s) before: average %(average)s, did not exceed",
    "none_counted": "%(n)s month(s) before: no counted episodes, did not exceed",
}

# Lag (2017:612) 5 kap.; Dalarna §11 "Kommunens betalningsansvar förutsätter att". A failed
# precondition by its code, as PRECONDITIONS_FAILED lists them, in the bulk engine's bit order.
PRECONDITIONS = {
    "missing_admission_notice": "no admission notice",
    "missing_readiness": "no readiness notification",
    "missing_named_contact": "no named care contact in primary care before discharge",
    "missing_sip_summons": "SIP needed but not summoned",
    # A step first taken after discharge was not taken during the stay: counting never started,
    # the same as a step never taken (payment-rules.md "Preconditions"), not 0 ready days.
    "late_admission_notice": "admission notice sent after discharge",
    "late_sip_summons": "SIP summoned after discharge",
}

# Which precondition moved day 1 past the readiness notification's own (payment-rules.md).
MOVED_BY_ADMISSION_NOTICE = "admission_notice"
MOVED_BY_SIP_SUMMONS = "sip_summons"

_DECIMAL = re.compile(r"^-?[0-9]+\.[0-9]+$")


def with_decimal_comma(value: str) -> str:
    """A value that is a decimal ("2.45") with a comma, as Swedish writes it; any other as it is
    (a month "2026-11", a code, a name)."""
    return value.replace(".", ",") if _DECIMAL.fullmatch(value) else value


def _same(text: str) -> str:
    return text


class Reason(str):
    """A reason: the English sentence (the files', the API's), which also keeps its code and
    values, so a reader can say it in its own words (as `explain.Step` keeps its template)."""

    code: ReasonCode
    values: tuple[tuple[str, str], ...]

    def __new__(cls, code: ReasonCode, **values: object) -> Reason:
        kept = tuple((name, str(value)) for name, value in values.items())
        reason = super().__new__(cls, _text(code, dict(kept), _same, decimal_comma=False))
        reason.code, reason.values = code, kept
        return reason

    def __getnewargs_ex__(self) -> tuple[tuple[object, ...], dict[str, object]]:
        """Copied (dataclasses.asdict copies its fields) from its code and values, not its text."""
        return (self.code,), dict(self.values)

    def text(self, gettext: Gettext, *, decimal_comma: bool) -> str:
        """The sentence through `gettext`, decimals with a comma if asked."""
        return _text(self.code, dict(self.values), gettext, decimal_comma=decimal_comma)

    def as_dict(self) -> dict[str, object]:
        """As a stored document keeps it (payment.document), with the English sentence."""
        return {"code": str(self.code), "values": dict(self.values), "text": str(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Reason:
        return cls(ReasonCode(data["code"]), **data["values"])


def _text(
    code: ReasonCode, values: dict[str, str], gettext: Gettext, *, decimal_comma: bool
) -> str:
    if decimal_comma:
        values = {name: with_decimal_comma(value) for name, value in values.items()}
    if code is ReasonCode.PRECONDITIONS_FAILED:
        failed = values["failed"].split(",")
        values["failed"] = ", ".join(gettext(PRECONDITIONS[name]) for name in failed)
    if code is ReasonCode.TWO_OF_THREE:
        history = "; ".join(
            gettext(HISTORY[values[f"month_{n}"]]) % {"n": n, "average": values[f"average_{n}"]}
            for n in (1, 2)
        )
        template = TEMPLATES[code] if values["liable"] == "true" else NOT_LIABLE_BY_TWO_OF_THREE
        return gettext(template) % {"history": history}
    if code is ReasonCode.TEXT:
        return gettext(values["text"])
    return gettext(TEMPLATES[code]) % values


class Reasons(str):
    """An invoice's reason: its parts' sentences joined by "; " (the files'), with the parts."""

    parts: tuple[Reason, ...]

    def __new__(cls, parts: Iterable[Reason]) -> Reasons:
        kept = tuple(parts)
        reasons = super().__new__(cls, "; ".join(kept))
        reasons.parts = kept
        return reasons

    def __getnewargs__(self) -> tuple[object, ...]:  # type: ignore[override]
        return (self.parts,)

    def text(self, gettext: Gettext, *, decimal_comma: bool) -> str:
        return "; ".join(part.text(gettext, decimal_comma=decimal_comma) for part in self.parts)

    def as_dict(self) -> dict[str, object]:
        """As a stored document keeps it (payment.document), with the English sentence."""
        return {"parts": [part.as_dict() for part in self.parts], "text": str(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Reasons:
        return cls(Reason.from_dict(part) for part in data["parts"])


def preconditions_failed(codes: Iterable[str]) -> Reason:
    return Reason(ReasonCode.PRECONDITIONS_FAILED, failed=",".join(codes))
