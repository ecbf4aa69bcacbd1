"""The invoice document's words in the reader's language: the engine's reasons, what moved day 1,
and the lines no patient owns (the page, the PDF and the XLSX all say the same).

The engine gives each reason as a code and its values (`domain.payment.reasons`); its English
sentence is what the command line's files and the API carry. A screen, PDF or workbook says the
code's template (a msgid of the web's catalogue) in the reader's language with the same values,
never matching the English sentence back to a template.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from utskrivning.domain.payment import explain
from utskrivning.domain.payment.notes import Note
from utskrivning.domain.payment.reasons import Reason, Reasons
from utskrivning.lib.groups import group_text
from utskrivning.lib.note_texts import note_text
from utskrivning.lib.numbers import days, kronor
from utskrivning.lib.payment_words import BASES, MOVED_BY
from utskrivning.payment.document import DocumentLine, LineKind


def _swedish() -> bool:
    return translation.get_language() == "sv"


def reason_text(reason: Reason | Reasons) -> str:
    """A line's or an invoice's reason in the active language, decimals with a comma in
    Swedish."""
    return reason.text(_, decimal_comma=_swedish())


def basis_text(basis: str) -> str:
    """A line's basis in the active language ("individual" → "individuell")."""
    return _(BASES.get(basis, basis))


def moved_text(moved_by: str, days: int) -> str:
    """Which precondition moved day 1, and by how many days (payment-rules.md)."""
    if not moved_by:
        return ""
    return _("day 1 moved %(days)s day(s) by %(step)s") % {
        "days": days,
        "step": _(MOVED_BY.get(moved_by, moved_by)),
    }


def line_reason(reason: Reason | None, moved_by: str, moved_days: int) -> str:
    """A line's reason and, when one did, the step that moved its day 1."""
    moved = moved_text(moved_by, moved_days)
    why = "" if reason is None else reason_text(reason)
    return "; ".join(part for part in (why, moved) if part)


# The care types as the explanation names them.
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
        values["step"] = _(MOVED_BY.get(values["step"], values["step"]))
    if "basis" in values:
        values["basis"] = basis_text(values["basis"])
    if "reason" in values:
        values["reason"] = reason_text(values["reason"])
    return _(step.template) % values


def assumption_text(note: Note) -> str:
    """An invoice's assumption in the reader's language, from its code (`lib.note_texts`)."""
    return note_text(note, _, swedish=_swedish())


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
