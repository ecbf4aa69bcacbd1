"""An invoice's assumption (`domain.payment.notes.Note`) in a reader's words, from its code.

One table for every reader: the service's pages, PDF and workbook pass Django's `gettext`, the
command line passes the compiled catalogue's (`lib.swedish`). The values pass through as they
are, decimals with a comma in Swedish; a value that is itself a rulebook's sentence (a
parameter's description, the reason for an assumption) is a msgid of the catalogue too.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from utskrivning.domain.payment.notes import Note, NoteCode

Gettext = Callable[[str], str]


def gettext_noop(msgid: str) -> str:
    """Marks a msgid for makemessages, as Django's does, without Django's settings."""
    return msgid


# The msgid for each code; RULEBOOK and TEXT are the rulebook's own sentence, a msgid itself.
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
# Values that are sentences of a rulebook (msgids), not figures or names.
_SENTENCES = ("description", "text")
# The run's own figures get a decimal comma in Swedish; a parameter's value stays as the
# rulebook and `--set` write it ("threshold = 3.0"), the name of what a reader may set.
_FIGURES = (NoteCode.DAY_RATE_SET, NoteCode.COUNTY_AVERAGE)
_DECIMAL = re.compile(r"^-?[0-9]+\.[0-9]+$")


def note_text(
    note: Note, gettext: Gettext, *, decimal_comma: bool, with_field: bool = False
) -> str:
    """`note` through `gettext`. `with_field`: a rulebook's note keeps the field it is about
    ("cutoff: …"), which the command line's reader may edit; a page's reader gets the sentence.
    """
    values = dict(note.values)
    if note.code in (NoteCode.RULEBOOK, NoteCode.TEXT):
        text = gettext(values["text"])
        return f"{values['field']}: {text}" if with_field and "field" in values else text
    for name, value in values.items():
        if name in _SENTENCES:
            values[name] = gettext(value)
        elif decimal_comma and note.code in _FIGURES and _DECIMAL.fullmatch(value):
            values[name] = value.replace(".", ",")
    return gettext(MSGIDS[note.code]) % values
