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

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from utskrivning.domain.payment import reasons
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
