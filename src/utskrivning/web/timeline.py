"""The episode page's timeline: each stored event with the details it carries (read from its own
payload, never by folding the history again), for a note the note itself, and for a receipt the
messages it answered.

Each entry is written out here as the words the page shows: a page of 50 events through a
template's filters and an include per entry cost more than the rest of the page together.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from utskrivning.domain.process import Event
from utskrivning.episodes.events import event_from_payload
from utskrivning.episodes.models import EpisodeEvent, Message, Note
from utskrivning.web.labels import label


def minute(at: datetime) -> str:
    """A stored time as the page writes it, local: "2026-12-03 13:07"."""
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class Entry:
    at: str  # the claimed time, ISO 8601 local, for <time datetime>
    when: str  # the claimed time to the minute
    text: str  # what happened, with its details
    recorded: str | None  # when it was recorded, if another minute than it claims
    by: str  # who, in which organisation ("" when the service itself)


def _details(event: EpisodeEvent) -> Event | None:
    """None: a payload this version cannot read (shown without details)."""
    try:
        return event_from_payload(event.type, event.payload)
    except (ValueError, TypeError, KeyError):
        return None


def _names(items: Iterable[object]) -> str:
    return ", ".join(str(label(item)) for item in items)


def _note(note: Note) -> str:
    to = _names(r.organisation.name for r in note.recipients.all())
    return f": {pgettext('note', 'to')} {to} – “{Truncator(note.text).chars(80)}”"


def _told(details: Event, answers: tuple[Message, ...]) -> str:
    text = ""
    if details.message:
        text += f": {label(details.message)}"
        if answers:
            text += f" ({_('sent')} {', '.join(minute(m.sent_at) for m in answers)})"
    if details.criterion:
        text += f": {label(details.criterion)}"
    if contact := details.contact:
        title = f", {contact.title}" if contact.title else ""
        text += f": {contact.name}{title}, {_('phone')} {contact.phone}"
    if meeting := details.meeting:
        text += f": {minute(meeting.starts_at)}"
        text += f", {meeting.place}" if meeting.place else ""
        text += f", {_('video link')}" if meeting.video_link else ""
    if details.planned_discharge:
        text += f": {_('planned discharge')} {minute(details.planned_discharge)}"
    if details.estimated_discharge:
        text += f": {details.estimated_discharge:%Y-%m-%d}"
    if details.parties and not details.message:
        text += f" ({_names(sorted(details.parties))})"
    elif details.party and not details.message:
        text += f" ({label(details.party)})"
    return text


def _entry(event: EpisodeEvent, note: Note | None, answers: tuple[Message, ...]) -> Entry:
    details = _details(event)
    text = str(label(event.type, "event"))
    if note is not None:
        text += _note(note)
    elif details is not None:
        text += _told(details, answers)
    when, recorded = minute(event.at), minute(event.created)
    by = ""
    if event.actor:
        by = f" – {event.actor.get_full_name() or event.actor}"
    if event.organisation:
        by += f" ({event.organisation})"
    return Entry(
        at=timezone.localtime(event.at).isoformat(),
        when=when,
        text=text,
        recorded=recorded if recorded != when else None,
        by=by,
    )


def timeline(
    events: Iterable[EpisodeEvent], notes: Iterable[Note], answers: dict[int, list[Message]]
) -> list[Entry]:
    by_event = {note.event_id: note for note in notes}
    return [_entry(e, by_event.get(e.pk), tuple(answers.get(e.pk, ()))) for e in events]
