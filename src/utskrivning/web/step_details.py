"""The planning record's details a step's form gives (issue 11 item 1): the named care contact,
the SIP's time and place, the planned discharge. Read from the posted fields into the event's
values; the service checks their text, the process their presence and their times."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from utskrivning.domain.process import CareContact, EventType, SipMeeting
from utskrivning.lib.digits import local_minute

BAD_TIME = "Give the time as YYYY-MM-DD HH:MM."


def _local_time(text: str, field: str) -> datetime | None:
    """A browser's datetime-local, on the service's clock (Stockholm); None when not given."""
    if not text:
        return None
    minute = local_minute(text)
    if minute is None:
        raise ValidationError({field: BAD_TIME})
    return timezone.make_aware(minute)


def step_details(post: Mapping[str, Any], event: EventType) -> dict[str, Any]:
    """The `Event` fields the form of `event` gives; {} where it gives none (the process then
    refuses the step, naming what is missing)."""

    def text(name: str) -> str:
        return str(post.get(name) or "").strip()

    if event is EventType.NAMED_CONTACT_APPOINTED:
        name, phone = text("contact_name"), text("contact_phone")
        if not (name or phone):
            return {}
        title, unit = text("contact_title"), text("contact_unit")
        return {"contact": CareContact(name, phone, title, unit)}
    if event is EventType.SIP_SUMMONED:
        starts_at = _local_time(text("sip_starts_at"), "meeting.starts_at")
        if starts_at is None:
            return {}
        return {"meeting": SipMeeting(starts_at, text("sip_place"), text("sip_video_link"))}
    if event is EventType.DISCHARGE_NOTICE_SENT:
        planned = _local_time(text("planned_discharge"), "planned_discharge")
        return {} if planned is None else {"planned_discharge": planned}
    return {}
