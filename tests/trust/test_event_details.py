"""A step's details are free text from outside like any other: a SIP summons' video link with a
NUL, a control character, a lone surrogate or a character outside printable ASCII is refused
naming `meeting.video_link` (PostgreSQL's jsonb refuses NUL with a 500; a surrogate cannot be
written as UTF-8; an RTL override would make the link read as another address)."""

from __future__ import annotations

import pytest
import time_machine

from episodes.test_planning_api import CONTACT, MEETING, NOW, _step, notified
from utskrivning.episodes.models import Episode

__all__ = ["notified"]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    "link",
    [
        "https://meet.example/\x00",
        "https://meet.example/a\x1bb",
        "https://meet.example/\x7f",
        "https://meet.example/\ud800",
        "https://meet.example/\u202egnp.exe",
        "https://meet.exämple/",
        "https://meet.example/\u00a0x",
    ],
)
def test_a_video_link_outside_printable_ascii_is_refused(client, cast, notified, link):
    appoint = {"type": "named_contact_appointed", "contact": CONTACT}
    assert _step(client, notified, cast.head, appoint).status_code == 201
    consent = {"type": "consent_recorded", "party": "primary_care"}
    assert _step(client, notified, cast.care_contact, consent).status_code == 201
    body = {"type": "sip_summoned", "parties": ["municipality"]}
    refused = _step(
        client, notified, cast.care_contact, body | {"meeting": MEETING | {"video_link": link}}
    )
    assert (refused.status_code, refused.json()["field"]) == (422, "meeting.video_link")
    assert not Episode.objects.get(pk=notified).sip_summoned_at
