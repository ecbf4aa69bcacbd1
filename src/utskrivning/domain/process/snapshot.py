"""The episode's facts as JSON and back: the projection the service keeps in one row.

A write reads this row instead of replaying the history, so the round trip must be exact; the
property tests check `facts_from_json(facts_to_json(f)) == f` over random histories.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime
from typing import Any, get_type_hints

from utskrivning.domain.process.details import from_plain, to_plain
from utskrivning.domain.process.facts import EpisodeFacts, FileRecord, Message
from utskrivning.domain.process.states import EpisodeState, HomeCriterion, MessageKind, Party

_SETS: dict[str, type[Party] | type[HomeCriterion]] = {
    "recipients": Party,
    "consents": Party,
    "sip_participants": Party,
    "sip_invited": Party,
    "home_criteria": HomeCriterion,
}
# The planning record's details (`details.py`): nested values, by their annotations.
_NESTED = frozenset(
    {"estimates", "care_contact", "sip_meeting", "sip_summoned_by", "criteria_checks"}
)
_HINTS = get_type_hints(EpisodeFacts)
_TIMES = frozenset(f.name for f in fields(EpisodeFacts) if f.type in ("datetime | None", datetime))


def facts_to_json(facts: EpisodeFacts) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(EpisodeFacts):
        value = getattr(facts, f.name)
        if f.name in _SETS:
            value = sorted(member.value for member in value)
        elif f.name == "messages":
            value = [_message_to_json(m) for m in value]
        elif f.name in _NESTED:
            value = to_plain(value)
        elif isinstance(value, datetime | date):
            value = value.isoformat()
        elif isinstance(value, EpisodeState):
            value = value.value
        out[f.name] = value
    return out


def facts_from_json(data: dict[str, Any]) -> EpisodeFacts:
    """Facts from `facts_to_json`'s answer; a key it lacks keeps the dataclass's default."""
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


def _message_to_json(m: Message) -> dict[str, Any]:
    return {
        "kind": m.kind.value,
        "sent_at": m.sent_at.isoformat(),
        "recipients": sorted(p.value for p in m.recipients),
        "acknowledgements": [[p.value, at.isoformat()] for p, at in m.acknowledgements],
    }


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
