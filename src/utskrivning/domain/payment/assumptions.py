"""What an invoice rests on that no agreement states, as sentences the invoice lists.

payment-rules.md "Parameters and assumptions": nobody sends an invoice without seeing what was
guessed. Per (group, month) the sentences are the rulebook's and the stage's assumptions, each
parameter the stage takes that is an assumption or was set for the run (--set), the national day
rate when it is assumed, and a --day-rate override. The county-average threshold's own sentence
is added with the threshold (invoices.py).
"""

from __future__ import annotations

from decimal import Decimal

from utskrivning.domain.payment.notes import Note, NoteCode
from utskrivning.domain.payment.stages import MonthStage
from utskrivning.domain.rulebooks import Parameter, Rulebook


def _parameter_notes(name: str, parameter: Parameter | None) -> list[Note]:
    if parameter is None or parameter.value is None:
        return []
    if parameter.set_for_run or parameter.assumption:
        code, values = parameter.note(name)
        return [Note.of(NoteCode(code), **values)]
    return []


def month_assumptions(rulebook: Rulebook, ms: MonthStage, day_rate: Decimal | None) -> list[Note]:
    stage = ms.stage
    if stage is None:
        return []
    notes = [
        Note.of(NoteCode.RULEBOOK, field=field, text=text)
        for field, text in rulebook.assumptions.items()
    ]
    notes += [
        Note.of(NoteCode.RULEBOOK, field=field, text=text)
        for field, text in stage.assumptions.items()
        if field not in stage.parameters
    ]
    for name in stage.parameters.values():
        notes += _parameter_notes(name, rulebook.parameters.get(name))
    if day_rate is not None:
        notes.append(Note.of(NoteCode.DAY_RATE_SET, rate=day_rate))
    elif stage.day_rate == "national":
        name = f"day_rate_{ms.year}"
        notes += _parameter_notes(name, rulebook.parameters.get(name))
    return list(dict.fromkeys(notes))
