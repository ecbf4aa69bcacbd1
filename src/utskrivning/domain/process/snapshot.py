"""The episode's facts as JSON and back: the projection the service keeps in one row.

A write reads this row instead of replaying the history, so the round trip must be exact; the
property tests check `facts_from_json(facts_to_json(f)) == row_facts(f)` over random histories.
The row leaves out what grows with the history (`OWN_ROWS`): the service keeps those as rows of
their own, so a write costs the same at the 10th event and the 200th.
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date, datetime
from typing import Any, get_type_hints

from utskrivning.domain.process.details import from_plain, to_plain
from utskrivning.domain.process.facts import EpisodeFacts, FileRecord, Message
from utskrivning.domain.process.states import EpisodeState, HomeCriterion, MessageKind, Party
from utskrivning.domain.process.transitions import awaiting_of

_SETS: dict[str, type[Party] | type[HomeCriterion]] = {
    "recipients": Party,
    "consents": Party,
    "sip_participants": Party,
    "sip_invited": Party,
    "home_criteria": HomeCriterion,
}
# The planning record's details (`details.py`): nested values, by their annotations.
_NESTED = frozenset(
    {"estimates", "care_contact", "sip_meeting", "sip_summoned_by", "criteria_checks", "awaiting"}
)
OWN_ROWS = frozenset({"messages", "estimates"})
_HINTS = get_type_hints(EpisodeFacts)
_TIMES = frozenset(f.name for f in fields(EpisodeFacts) if f.type in ("datetime | None", datetime))


def row_facts(facts: EpisodeFacts) -> EpisodeFacts:
    """The facts as the episode's row keeps them: without `OWN_ROWS`."""
    return replace(facts, messages=(), estimates=())


def facts_to_json(facts: EpisodeFacts) -> dict[str, Any]:
    """The row's facts (`row_facts`) as JSON."""
    out: dict[str, Any] = {}
    for f in fields(EpisodeFacts):
        if f.name in OWN_ROWS:
            continue
        value = getattr(facts, f.name)
        if f.name in _SETS:
            value = sorted(member.value for member in value)
        elif f.name in _NESTED:
            value = to_plain(value)
        elif isinstance(value, datetime | date):
            value = value.isoformat()
        elif isinstance(value, EpisodeState):
            value = value.value
        out[f.name] = value
    return out


def facts_from_json(data: dict[str, Any]) -> EpisodeFacts:
    """Facts from `facts_to_json`'s answer; a key it lacks keeps the dataclass's default.

    A row written before the messages had rows of their own holds them all: read whole, with
    what the row now keeps of them worked out (the migration that moves them out reads it so).
    """
    if "messages" in data and "awaiting" not in data:
        messages = tuple(_message_from_json(m) for m in data["messages"])
        data = data | {"messages_sent": len(messages), "awaiting": to_plain(awaiting_of(messages))}
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name in _SETS:
            values[name] = frozenset(_SETS[name](v) for v in value)
        elif name == "messages":
            values[name] = tuple(_message_from_json(m) for m in value)
        elif name in _NESTED:
            values[name] = from_plain(_HINTS[name], value)
        elif value is None:
            values[name] = None
        elif name in _TIMES:
            values[name] = datetime.fromisoformat(value)
        elif name == "estimated_discharge":
            values[name] = date.fromisoformat(value)
        elif name == "state":
            values[name] = EpisodeState(value)
        else:
            values[name] = value
    return EpisodeFacts(**values)


def _message_from_json(data: dict[str, Any]) -> Message:
    return Message(
        MessageKind(data["kind"]),
        datetime.fromisoformat(data["sent_at"]),
        frozenset(Party(p) for p in data["recipients"]),
        tuple((Party(p), datetime.fromisoformat(at)) for p, at in data["acknowledgements"]),
    )


def record_to_json(record: FileRecord) -> dict[str, Any]:
    """An imported row's facts for the event's payload: times as ISO text, parties as a list."""
    out: dict[str, Any] = {}
    for f in fields(FileRecord):
        value = getattr(record, f.name)
        if f.name == "recipients":
            value = sorted(p.value for p in value)
        elif isinstance(value, datetime):
            value = value.isoformat()
        out[f.name] = value
    return out


def record_from_json(data: dict[str, Any]) -> FileRecord:
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name == "recipients":
            value = frozenset(Party(p) for p in value)
        elif name.endswith("_at") and value is not None:
            value = datetime.fromisoformat(value)
        values[name] = value
    return FileRecord(**values)
