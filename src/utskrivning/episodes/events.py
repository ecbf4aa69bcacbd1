"""The Event as stored: its JSON payload and back; an episode's facts from the projection and,
for a rebuild, folded again from its events."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from utskrivning.domain.process import (
    EpisodeFacts,
    Event,
    EventType,
    HomeCriterion,
    MessageKind,
    Party,
    replay,
)
from utskrivning.domain.process.details import (
    CareContact,
    Signature,
    SipMeeting,
    from_plain,
    to_plain,
)
from utskrivning.domain.process.snapshot import record_from_json, record_to_json
from utskrivning.episodes.models import Episode, EpisodeEvent
from utskrivning.episodes.projected import whole_facts


def _same(value: Any) -> Any:
    return value


# How each of the Event's fields is stored in the payload, as (to JSON, from JSON); a field not
# named here is stored as it is. A field at its default is left out, so payloads stay small and
# a field added to the Event reads back as its default from every payload stored before it.
STORED: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "party": (lambda party: party.value, Party),
    "parties": (
        lambda parties: sorted(p.value for p in parties),
        lambda v: frozenset(map(Party, v)),
    ),
    "message": (lambda kind: kind.value, MessageKind),
    "criterion": (lambda criterion: criterion.value, HomeCriterion),
    "estimated_discharge": (date.isoformat, date.fromisoformat),
    "record": (record_to_json, record_from_json),
    "contact": (to_plain, lambda v: from_plain(CareContact, v)),
    "meeting": (to_plain, lambda v: from_plain(SipMeeting, v)),
    "planned_discharge": (datetime.isoformat, datetime.fromisoformat),
    "by": (to_plain, lambda v: from_plain(Signature, v)),
}
EVENT_FIELDS = tuple(f for f in fields(Event) if f.name != "type")
# The fields a caller gives (the API's `EventIn`); the import writes `record`, an administrator's
# compensating event `voids`, the service `by`.
CALLER_FIELDS = tuple(f.name for f in EVENT_FIELDS if f.name not in {"record", "voids", "by"})


def event_to_payload(event: Event) -> dict[str, Any]:
    payload: dict[str, Any] = {}
    for field in EVENT_FIELDS:
        value = getattr(event, field.name)
        if value != field.default:
            payload[field.name] = STORED.get(field.name, (_same, _same))[0](value)
    return payload


def store_administrative_event(
    *, episode: Episode, event: Event, membership: Any, extra: dict[str, Any]
) -> EpisodeEvent:
    """An event outside the process's steps (a correction of the patient's details, a void): its
    time is the service's, recorded and claimed at once, and `extra` keeps what it changed."""
    now = timezone.now()
    return EpisodeEvent.objects.create(
        episode=episode,
        type=event.type.value,
        at=now,
        created=now,
        actor=membership.user,
        organisation=membership.organisation,
        membership=membership,
        payload=event_to_payload(event) | extra,
    )


def event_from_payload(type_: str, payload: dict[str, Any]) -> Event:
    values = {
        field.name: STORED.get(field.name, (_same, _same))[1](payload[field.name])
        for field in EVENT_FIELDS
        if payload.get(field.name) not in (None, "")
    }
    return Event(type=EventType(type_), **values)


def episode_facts_of(episode: Episode) -> EpisodeFacts:
    """The episode's facts whole, from the projection: its row and the rows of its messages and
    estimates (`episodes.projected`), no events read. A write reads the row alone."""
    return whole_facts([episode])[0]


def episode_history_facts(episode: Episode) -> EpisodeFacts:
    """The facts folded from the stored events in the order they were recorded, leaving out the
    voided ones: what the row must hold. Never judged again (see `domain.process.replay`).

    Not by `at`: a receipt may be recorded with an earlier time than a step stored before it,
    and the process judged it against the facts as they stood then.
    """
    events = list(episode.events.order_by("pk").only("pk", "type", "at", "payload"))
    voided = {e.payload.get("voids") for e in events if e.type == EventType.EVENT_VOIDED}
    return replay(
        (event_from_payload(e.type, e.payload), e.at) for e in events if e.pk not in voided
    )
