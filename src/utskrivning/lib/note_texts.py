"""An invoice's assumption (`domain.payment.notes.Note`) in a reader's words, from its code.

One table for every reader: the service's pages, PDF and workbook pass Django's `gettext`, the
command line passes the compiled catalogue's (`lib.swedish`). A value that is itself a
rulebook's sentence (a parameter's description, the reason for an assumption) is a msgid of the
catalogue too.

Two wordings: the command line's names what its reader may change (the rulebook's field, the
parameter `day_rate_2026`, `--set`, `--day-rate`); a page's, a PDF's and a workbook's reader sets
nothing, and reads what the value is and its amount ("Socialstyrelsens belopp per vårddygn 2026:
9 300 kr, ett antagande: …"), never a code name.
"""

from __future__ import annotations

import re
from decimal import Decimal

from utskrivning.domain.payment.notes import Note, NoteCode
from utskrivning.domain.payment.reasons import Gettext, with_decimal_comma
from utskrivning.lib.numbers import days, kronor


def gettext_noop(msgid: str) -> str:
    """Marks a msgid for makemessages, as Django's does, without Django's settings."""
    return msgid


# The command line's msgid for each code; RULEBOOK and TEXT are the rulebook's own sentence.
MSGIDS = {
    NoteCode.PARAMETER_ASSUMED: gettext_noop(
        "%(name)s = %(value)s (%(description)s) is an assumption: %(text)s"
    ),
    NoteCode.PARAMETER_SET: gettext_noop(
        "%(name)s = %(value)s was set for this run (--set; the rulebook's %(was)s): %(description)s"
    ),
    NoteCode.PARAMETER_ADDED: gettext_noop(
        "%(name)s = %(value)s was set for this run (--set; not in the rulebook): %(description)s"
    ),
    NoteCode.DAY_RATE_SET: gettext_noop(
        "the day rate %(rate)s SEK was set for this run (--day-rate)"
    ),
    NoteCode.COUNTY_AVERAGE: gettext_noop(
        "the threshold %(days)s is the county average %(first)s – %(last)s computed from this "
        "file (%(count)s episodes in %(municipalities)s municipalities, %(mean)s days, cap "
        "%(cap)s), as %(name)s is not set"
    ),
}
# A page's, a PDF's and a workbook's: the amounts with their units, no name of a parameter or
# an option.
PAGE_MSGIDS = {
    NoteCode.PARAMETER_ASSUMED: gettext_noop("%(description)s: %(value)s, an assumption: %(text)s"),
    NoteCode.PARAMETER_SET: gettext_noop(
        "%(description)s: %(value)s for this calculation, instead of the rulebook's %(was)s"
    ),
    NoteCode.PARAMETER_ADDED: gettext_noop(
        "%(description)s: %(value)s for this calculation, not in the rulebook"
    ),
    NoteCode.DAY_RATE_SET: gettext_noop("the day rate %(rate)s was set for this calculation"),
    NoteCode.COUNTY_AVERAGE: gettext_noop(
        "the threshold %(days)s is the county average %(first)s – %(last)s computed from this "
        "file (%(count)s episodes in %(municipalities)s municipalities, %(mean)s, cap "
        "%(cap)s), as the rulebook does not hold the published figure"
    ),
}
# Values that are sentences of a rulebook (msgids), not figures or names.
_SENTENCES = ("description", "text")
# The command line's figures: the run's own get a decimal comma in Swedish; a parameter's value
# stays as the rulebook and `--set` write it ("threshold = 3.0"), the name of what a reader sets.
_FIGURES = (NoteCode.DAY_RATE_SET, NoteCode.COUNTY_AVERAGE)
# A page's figures by the unit they are in (a parameter's note names its unit; a note stored
# before it did shows its value as written).
_UNITS = {NoteCode.DAY_RATE_SET: {"rate": "sek"},
          NoteCode.COUNTY_AVERAGE: {"days": "days", "mean": "days", "cap": "days"}}  # fmt: skip


def _figure(value: str, unit: str | None, gettext: Gettext, swedish: bool) -> str:
    """A value with its unit: "9 300 kr", "2,40 dagar" in Swedish; "9300 SEK" in English."""
    if unit == "yes_no":
        return gettext("yes") if value == "true" else gettext("no")
    if unit not in ("sek", "days") or not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", value):
        return value
    if not swedish:
        return f"{value} SEK" if unit == "sek" else f"{value} days"
    return kronor(Decimal(value)) if unit == "sek" else f"{days(Decimal(value))} dagar"


def note_text(note: Note, gettext: Gettext, *, swedish: bool, command_line: bool = False) -> str:
    """`note` through `gettext`; `swedish` gives the figures a decimal comma and Swedish units.
    `command_line`: the command's wording, which names what its reader may set."""
    values = dict(note.values)
    if note.code in (NoteCode.RULEBOOK, NoteCode.TEXT):
        text = gettext(values["text"])
        return f"{values['field']}: {text}" if command_line and "field" in values else text
    for name, value in values.items():
        if name in _SENTENCES:
            values[name] = gettext(value)
    if command_line:
        if swedish and note.code in _FIGURES:
            values = {name: with_decimal_comma(value) for name, value in values.items()}
        return gettext(MSGIDS[note.code]) % values
    units = _UNITS.get(note.code, dict.fromkeys(("value", "was"), values.get("unit")))
    for name, unit in units.items():
        if name in values:
            values[name] = _figure(values[name], unit, gettext, swedish)
    text = gettext(PAGE_MSGIDS[note.code]) % values
    return text[:1].upper() + text[1:]
