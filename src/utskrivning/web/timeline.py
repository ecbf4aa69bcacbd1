"""The episode page's timeline: each stored event with the details it carries (read from its own
payload, never by folding the history again), for a note the note itself, and for a receipt the
messages it answered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from utskrivning.domain.process import Event
from utskrivning.episodes.events import event_from_payload
from utskrivning.episodes.models import EpisodeEvent, Message, Note


@dataclass(frozen=True)
class Entry:
    event: EpisodeEvent
    details: Event | None  # None: a payload this version cannot read (shown without details)
    note: Note | None = None
    answers: tuple[Message, ...] = ()


def _details(event: EpisodeEvent) -> Event | None:
    try:
        return event_from_payload(event.type, event.payload)
    except (ValueError, TypeError, KeyError):
        return None


def timeline(
    events: Iterable[EpisodeEvent], notes: Iterable[Note], answers: dict[int, list[Message]]
) -> list[Entry]:
    by_event = {note.event_id: note for note in notes}
    return [Entry(e, _details(e), by_event.get(e.pk), tuple(answers.get(e.pk, ()))) for e in events]
