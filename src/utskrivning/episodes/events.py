"""The Event as stored: its JSON payload and back; an episode's facts from its row (the projection)
and, for a rebuild, folded again from its events."""

from __future__ import annotations

from datetime import date
from typing import Any

from utskrivning.domain.process import (
    EpisodeFacts,
    Event,
    EventType,
    HomeCriterion,
    MessageKind,
    Party,
    facts_from_json,
    replay,
)
from utskrivning.domain.process.snapshot import record_from_json, record_to_json
from utskrivning.episodes.models import Episode


def event_to_payload(event: Event) -> dict[str, Any]:
    payload: dict[str, Any] = {}
    if event.party is not None:
        payload["party"] = event.party.value
    if event.parties:
        payload["parties"] = sorted(p.value for p in event.parties)
    if event.message is not None:
        payload["message"] = event.message.value
    if event.criterion is not None:
        payload["criterion"] = event.criterion.value
    if event.estimated_discharge is not None:
        payload["estimated_discharge"] = event.estimated_discharge.isoformat()
    if not event.support_needed:
        payload["support_needed"] = False
    if event.municipal_health_care:
        payload["municipal_health_care"] = True
    if event.sip_needed is not None:
        payload["sip_needed"] = event.sip_needed
    if event.court_granted is not None:
        payload["court_granted"] = event.court_granted
    if event.record is not None:
        payload["record"] = record_to_json(event.record)
    if event.voids is not None:
        payload["voids"] = event.voids
    return payload


def event_from_payload(type_: str, payload: dict[str, Any]) -> Event:
    estimate = payload.get("estimated_discharge")
    return Event(
        type=EventType(type_),
        party=Party(payload["party"]) if payload.get("party") else None,
        parties=frozenset(Party(p) for p in payload.get("parties", ())),
        message=MessageKind(payload["message"]) if payload.get("message") else None,
        criterion=HomeCriterion(payload["criterion"]) if payload.get("criterion") else None,
        estimated_discharge=date.fromisoformat(estimate) if estimate else None,
        support_needed=payload.get("support_needed", True),
        municipal_health_care=payload.get("municipal_health_care", False),
        sip_needed=payload.get("sip_needed"),
        court_granted=payload.get("court_granted"),
        record=record_from_json(payload["record"]) if "record" in payload else None,
        voids=payload.get("voids"),
    )


def episode_facts_of(episode: Episode) -> EpisodeFacts:
    """The episode's facts from its row: the projection, no events read."""
    return facts_from_json(episode.facts)


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
