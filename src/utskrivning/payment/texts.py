"""The invoice document's words in the reader's language: the engine's reasons, what moved day 1,
and the lines no patient owns (the page, the PDF and the XLSX all say the same).

The engine writes each line's reason from the templates of `domain.payment.reasons` (English,
`{}` placeholders, shared with the CLI and the files other systems read). A screen or PDF matches
the text back to its template and shows the template's translation, filled with the same values;
a text no template matches is shown as it is.
"""

from __future__ import annotations

import re
from functools import cache

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from utskrivning.domain.payment import explain, reasons
from utskrivning.domain.payment.notes import Note
from utskrivning.domain.payment.reasons import Basis
from utskrivning.lib.groups import group_text
from utskrivning.lib.note_texts import note_text
from utskrivning.lib.numbers import days, kronor
from utskrivning.payment.document import DocumentLine, LineKind

# Every text of the engine's reasons module is a msgid of the web's catalogue (locale/sv).
_TEMPLATES = [
    value
    for name, value in vars(reasons).items()
    if name.isupper() and isinstance(value, str) and not name.startswith("MOVED_BY")
]
_MOVED = {
    reasons.MOVED_BY_ADMISSION_NOTICE: gettext_noop("the admission notice"),
    reasons.MOVED_BY_SIP_SUMMONS: gettext_noop("the SIP summons"),
}


@cache
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile("^" + re.escape(t).replace(r"\{\}", "(.+?)") + "$"), t) for t in _TEMPLATES]


def reason_text(text: str) -> str:
    """`text` in the active language, when it is one of the engine's templates filled."""
    for pattern, template in _patterns():
        found = pattern.match(text)
        if found:
            values = [
                ", ".join(reason_text(part) for part in value.split(", "))
                for value in found.groups()
            ]
            return _(template).format(*values)
    return text


def moved_text(moved_by: str, days: int) -> str:
    """Which precondition moved day 1, and by how many days (payment-rules.md)."""
    if not moved_by:
        return ""
    return _("day 1 moved %(days)s day(s) by %(step)s") % {
        "days": days,
        "step": _(_MOVED.get(moved_by, moved_by)),
    }


def line_reason(reason: str, moved_by: str, moved_days: int) -> str:
    """A line's reason and, when one did, the step that moved its day 1."""
    moved = moved_text(moved_by, moved_days)
    return "; ".join(part for part in (reason_text(reason), moved) if part)


# The rulebooks' counting rules and the bases, as the explanation names them.
_BASES = {
    Basis.AVERAGE: gettext_noop("average"),
    Basis.INDIVIDUAL: gettext_noop("individual"),
    Basis.EXCLUDED: gettext_noop("excluded"),
    Basis.NOT_LIABLE: gettext_noop("not liable"),
}
_CARE_TYPES = {
    "somatic": gettext_noop("Somatic"),
    "geriatric": gettext_noop("Geriatric"),
    "psychiatric": gettext_noop("Psychiatric"),
}


def explanation_step(step: str) -> str:
    """One step of `domain.payment.explain` in the reader's language, values included."""
    if not isinstance(step, explain.Step):
        return step
    values = dict(step.values)
    if "care_type" in values:
        values["care_type"] = _(_CARE_TYPES.get(values["care_type"], values["care_type"])).lower()
    if "group" in values:
        values["group"] = group_text(values["group"])
    if "counting" in values:
        values["counting"] = (
            pgettext("counting", "weekdays")
            if values["counting"] == "weekdays"
            else pgettext("counting", "calendar days")
        )
    if "step" in values:
        values["step"] = _(_MOVED.get(values["step"], values["step"]))
    if "basis" in values:
        values["basis"] = _(_BASES.get(values["basis"], values["basis"]))
    if "reason" in values:
        values["reason"] = reason_text(values["reason"])
    return _(step.template) % values


def assumption_text(note: Note) -> str:
    """An invoice's assumption in the reader's language, from its code (`lib.note_texts`)."""
    return note_text(note, _, swedish=translation.get_language() == "sv")


def line_text(line: DocumentLine) -> str:
    """What a line no patient owns stands for: the average part, a rounding, a correction."""
    if line.kind is LineKind.AVERAGE:
        return _(
            "Average part: %(days)s ready days of %(count)s episodes beyond the threshold "
            "%(threshold)s days each"
        ) % {"days": line.ready_days, "count": line.counted, "threshold": days(line.threshold)}
    if line.kind is LineKind.ROUNDING:
        return _("Rounding to whole kronor")
    return _("Correction of %(month)s: approved %(approved)s, now %(now)s") % {
        "month": line.month,
        "approved": kronor(line.approved_amount),
        "now": kronor(line.current_amount),
    }


# An invoice's reason is the engine's sentence of parts ("average 4.00 exceeds the threshold 2.00;
# liable by two of the last three months (…); 1 episode(s) billed individually for 7 day(s)"):
# each phrase is a msgid with its values as %(n)s, so the numbers pass through untouched.
_PHRASES = [
    (r"^(?P<rulebook>\S+) is not in force in (?P<month>[0-9-]+)$",
     gettext_noop("%(rulebook)s is not in force in %(month)s")),
    (r"(?P<n>[0-9]+) month\(s\) before: history missing",
     gettext_noop("%(n)s month(s) before: history missing")),
    (r"(?P<n>[0-9]+) month\(s\) before: ", gettext_noop("%(n)s month(s) before: ")),
    (r"(?P<n>[0-9]+) episode\(s\) billed individually for (?P<days>[0-9]+) day\(s\)",
     gettext_noop("%(n)s episode(s) billed individually for %(days)s day(s)")),
    (r"average (?P<average>[0-9]+\.[0-9]+)", gettext_noop("average %(average)s")),
    (r"no counted episodes", gettext_noop("no counted episodes")),
    (r" does not exceed the threshold ", gettext_noop(" does not exceed the threshold ")),
    (r" exceeds the threshold ", gettext_noop(" exceeds the threshold ")),
    (r"not liable by two of the last three months",
     gettext_noop("not liable by two of the last three months")),
    (r"liable by two of the last three months",
     gettext_noop("liable by two of the last three months")),
    (r", did not exceed", gettext_noop(", did not exceed")),
    (r", exceeded", gettext_noop(", exceeded")),
    (r"no episode beyond its grace days", gettext_noop("no episode beyond its grace days")),
]  # fmt: skip
_DECIMAL = re.compile(r"(?<=[0-9])\.(?=[0-9]{2}\b)")


def invoice_reason_text(text: str) -> str:
    """An invoice's reason in the active language, phrase by phrase; decimals with a comma."""
    for pattern, msgid in _PHRASES:
        text = re.sub(pattern, lambda m, msgid=msgid: _(msgid) % m.groupdict(), text)
    if text.startswith("stage '"):
        text = reason_text(text)
    return _DECIMAL.sub(",", text) if translation.get_language() == "sv" else text
