"""The payment engine's codes and sentences in a reader's words, for the service's pages and the
command line alike: the bases, the models, the steps that move day 1, and a workbook's words.

The service passes Django's `gettext`, the command line the compiled catalogue's (`lib.swedish`):
each msgid is in the web's catalogue once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from utskrivning.domain.municipalities import municipality_name
from utskrivning.domain.payment import PaymentResult
from utskrivning.domain.payment.reasons import (
    MOVED_BY_ADMISSION_NOTICE,
    MOVED_BY_SIP_SUMMONS,
    Basis,
    Gettext,
)
from utskrivning.domain.rulebooks import Model, Rulebook
from utskrivning.domain.rulebooks.parameters import NATIONAL_RATE
from utskrivning.lib.groups import GROUPS
from utskrivning.lib.note_texts import gettext_noop, note_text

# A document line's basis when a dispute's answer took it out of the month (payment.document):
# the service's, never the engine's.
LEFT_OUT = "left_out"
# A line's basis, the one table of its words: the pages, the PDF, the explanation and both
# workbooks (the service's and the command's).
BASES: dict[str, str] = {
    Basis.AVERAGE: gettext_noop("average"),
    Basis.INDIVIDUAL: gettext_noop("individual"),
    Basis.EXCLUDED: gettext_noop("excluded"),
    Basis.NOT_LIABLE: gettext_noop("not liable"),
    LEFT_OUT: gettext_noop("left out"),
}
MODELS = {
    Model.AVERAGE: gettext_noop("average model"),
    Model.GRACE_DAYS: gettext_noop("grace-day model"),
    Model.LAW_DEFAULT: gettext_noop("the law's default rule"),
}
# Which precondition moved day 1 (payment-rules.md), as a line and the explanation name it.
MOVED_BY = {
    MOVED_BY_ADMISSION_NOTICE: gettext_noop("the admission notice"),
    MOVED_BY_SIP_SUMMONS: gettext_noop("the SIP summons"),
}
# An invoice's liability, by the value the JSON writes: "ja"/"nej", as the service's workbook and
# the monthly report write it.
LIABLE = {"true": gettext_noop("yes"), "false": gettext_noop("no")}


def municipality_words(codes: Iterable[str]) -> dict[str, str]:
    """Each kommunkod as a person reads it, "Västerås (1980)": the name the monthly report
    shows (`domain.municipalities`) and the code the CSV and the episode file have."""
    return {code: f"{municipality_name(code)} ({code})" for code in codes}


def workbook_words(result: PaymentResult, gettext: Gettext) -> dict[str, Mapping[str, str]]:
    """For `domain.payment.export.write_xlsx`: each code and sentence of the run in the reader's
    words, by column. A few hundred texts at most, whatever the number of lines: the workbook
    replaces its columns' values from them, never one line at a time."""

    def words(msgids: Mapping[str, str]) -> dict[str, str]:
        return {code: gettext(msgid) for code, msgid in msgids.items()}

    reasons = [*result.line_reasons.values(), *result.reasons()]
    # The lines' municipalities are their invoices': a few hundred codes at most.
    codes = result.invoice_frame.get_column("liable_municipality").drop_nulls().unique()
    return {
        "reason": {reason: reason.text(gettext, decimal_comma=True) for reason in reasons},
        "assumptions": {
            str(note): note_text(note, gettext, swedish=True) for note in result.assumption_notes()
        },
        "basis": words(BASES),
        "model": words(MODELS),
        "day_one_moved_by": words(MOVED_BY),
        "group": words(GROUPS),
        "care_type": words(GROUPS),
        "liable": words(LIABLE),
        "municipality": municipality_words(codes),
    }


def missing_value(rulebook: Rulebook, name: str | None, gettext: Gettext) -> str:
    """The value a run lacks (`PaymentError.parameter`) by what it is, for a reader who sets
    nothing: "Socialstyrelsens belopp per vårddygn 2021", a parameter's description."""
    if name is None:
        return gettext("a value the month needs")
    if found := NATIONAL_RATE.fullmatch(name):
        return gettext("Socialstyrelsen's day rate for %(year)s") % {"year": found["year"]}
    parameter = rulebook.parameters.get(name)
    return gettext(parameter.description) if parameter is not None else name
