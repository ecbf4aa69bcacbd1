"""An assumption an invoice rests on, as a code and its values (payment-rules.md "Parameters and
assumptions").

The files other systems read carry the sentence, `str(note)`, in English (the JSON's
`assumptions`, the CSV's column: a contract). A page, a PDF or the command's table maps the code
to its own words (`lib.note_texts`), with the values as they are: no screen has to match an
English sentence back to its template.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class NoteCode(StrEnum):
    # A rulebook's or a stage's own note on a field: "cutoff: A notification at exactly …".
    RULEBOOK = "rulebook"
    # A parameter no agreement states, with the rulebook's reason.
    PARAMETER_ASSUMED = "parameter_assumed"
    # A parameter the run set with --set, over the rulebook's value or where it has none.
    PARAMETER_SET = "parameter_set"
    PARAMETER_ADDED = "parameter_added"
    # --day-rate for the whole run.
    DAY_RATE_SET = "day_rate_set"
    # Stockholm 2020 etapp 2: the county average computed from the file.
    COUNTY_AVERAGE = "county_average"
    # A sentence known only as its text (one no code matched in a document approved before them).
    TEXT = "text"


# The English sentences, as the files have always written them; %(name)s for each value.
TEMPLATES = {
    NoteCode.RULEBOOK: "%(field)s: %(text)s",
    NoteCode.PARAMETER_ASSUMED: "%(name)s = %(value)s (%(description)s) is an assumption: %(text)s",
    NoteCode.PARAMETER_SET: (
        "%(name)s = %(value)s was set for this run (--set; the rulebook's %(was)s): %(description)s"
    ),
    NoteCode.PARAMETER_ADDED: (
        "%(name)s = %(value)s was set for this run (--set; not in the rulebook): %(description)s"
    ),
    NoteCode.DAY_RATE_SET: "the day rate %(rate)s SEK was set for this run (--day-rate)",
    NoteCode.COUNTY_AVERAGE: (
        "the threshold %(days)s is the county average %(first)s – %(last)s computed from this "
        "file (%(count)s episodes in %(municipalities)s municipalities, %(mean)s days, cap "
        "%(cap)s), as %(name)s is not set"
    ),
    NoteCode.TEXT: "%(text)s",
}


@dataclass(frozen=True)
class Note:
    code: NoteCode
    values: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, code: NoteCode, **values: object) -> Note:
        return cls(code, tuple((name, str(value)) for name, value in values.items()))

    def __str__(self) -> str:
        return TEMPLATES[self.code] % dict(self.values)

    def as_dict(self) -> dict[str, object]:
        """As a stored document keeps it (payment.document)."""
        return {"code": str(self.code), "values": dict(self.values), "text": str(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Note:
        """A stored note (payment/migrations/0004 coded those approved before the codes)."""
        return cls(NoteCode(data["code"]), tuple(data["values"].items()))
