"""The planning record through the API (issue 11 item 1): an admission with its estimated date,
the care contact, the SIP's time and place and the planned discharge in the steps' bodies,
refused naming the field; the episode's `planning` says what the page says."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine

from utskrivning.episodes.models import Episode, EpisodeEvent

from .conftest import ADMITTED
from .test_api import admit_json, auth

NOW = ADMITTED + timedelta(hours=4)
CONTACT = {"name": "Karin Lind", "phone": "023-49 00 00", "title": "Distriktssköterska"}
MEETING = {"starts_at": (ADMITTED + timedelta(days=2)).isoformat(), "place": "Vårdcentral C"}


def _step(client, pk, who, body):
    return client.post(
        f"/api/episodes/{pk}/events", body, content_type="application/json", **auth(who)
    )


@pytest.fixture
def notified(client, cast):
    """Admitted over the API with an estimated date, the notice sent without repeating it."""
    with time_machine.travel(ADMITTED, tick=False):
        body = admit_json(cast) | {"estimated_discharge": "2026-10-09"}
        admitted = client.post(
            "/api/episodes/", body, content_type="application/json", **auth(cast.nurse)
        )
        assert admitted.status_code == 201, admitted.content
    pk = admitted.json()["episode_id"]
    with time_machine.travel(ADMITTED + timedelta(hours=1), tick=False):
        notice = {"type": "admission_notice_sent", "parties": ["municipality", "primary_care"]}
        assert _step(client, pk, cast.nurse, notice).status_code == 201
    return pk


@time_machine.travel(NOW, tick=False)
def test_the_steps_details_reach_every_party_s_planning_record(client, cast, notified):
    pk = notified
    moved = {"type": "estimated_discharge_changed", "estimated_discharge": "2026-10-12"}
    assert _step(client, pk, cast.physician, moved).status_code == 201
    appoint = {"type": "named_contact_appointed", "contact": CONTACT}
    assert _step(client, pk, cast.head, appoint).status_code == 201
    consent = {"type": "consent_recorded", "party": "primary_care"}
    assert _step(client, pk, cast.care_contact, consent).status_code == 201
    summons = {"type": "sip_summoned", "parties": ["municipality"], "meeting": MEETING}
    assert _step(client, pk, cast.care_contact, summons).status_code == 201

    planning = client.get(f"/api/episodes/{pk}", **auth(cast.officer_a)).json()["planning"]
    assert planning["patient"]["personal_number"] == "19121212-1212"
    assert planning["home_municipality"] == cast.municipality_a.name
    assert planning["estimated_discharge"] == "2026-10-12"
    assert planning["estimated_discharge_changes"] == 1
    who = cast.physician.user.get_full_name()
    assert [(e["estimate"], e["by"]) for e in planning["estimates"]] == [
        ("2026-10-09", {"name": cast.nurse.user.get_full_name(), "organisation": "Avdelning 12"}),
        ("2026-10-12", {"name": who, "organisation": "Avdelning 12"}),
    ]
    contact = planning["care_contact"]
    assert contact["contact"] == CONTACT | {"unit": ""}
    assert contact["by"]["organisation"] == "Vårdcentral C"
    meeting = planning["sip_meeting"]
    assert datetime.fromisoformat(meeting["starts_at"]) == ADMITTED + timedelta(days=2)
    assert (meeting["place"], planning["sip_invited"]) == ("Vårdcentral C", ["municipality"])
    stored = EpisodeEvent.objects.get(episode_id=pk, type="named_contact_appointed")
    assert stored.payload["contact"]["phone"] == "023-49 00 00"  # kept with the event


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": "named_contact_appointed"}, "contact"),
        ({"type": "named_contact_appointed", "contact": CONTACT | {"phone": "٠٢٣-٤٩"}},
         "contact.phone"),
        ({"type": "named_contact_appointed", "contact": CONTACT | {"name": " "}}, "contact.name"),
        ({"type": "named_contact_appointed", "contact": CONTACT | {"name": "x" * 201}},
         "contact.name"),
        ({"type": "named_contact_appointed", "contact": CONTACT | {"title": "a\x00b"}},
         "contact.title"),
    ],
)  # fmt: skip
def test_a_care_contact_is_refused_naming_the_field(client, cast, notified, body, field):
    before = EpisodeEvent.objects.count()
    refused = _step(client, notified, cast.head, body)
    assert (refused.status_code, refused.json()["field"]) == (422, field), refused.content
    assert EpisodeEvent.objects.count() == before


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("meeting", "field"),
    [
        (None, "meeting"),
        ({"starts_at": MEETING["starts_at"]}, "meeting"),  # neither place nor link
        (MEETING | {"starts_at": "2026-10-07T13:00:00"}, "meeting.starts_at"),  # no offset
        (MEETING | {"starts_at": "2028-10-07T13:00:00+02:00"}, "meeting.starts_at"),
        (MEETING | {"video_link": "javascript:alert(1)"}, "meeting.video_link"),
    ],
)
def test_a_sip_summons_is_refused_naming_the_field(client, cast, notified, meeting, field):
    appoint = {"type": "named_contact_appointed", "contact": CONTACT}
    assert _step(client, notified, cast.head, appoint).status_code == 201
    consent = {"type": "consent_recorded", "party": "primary_care"}
    assert _step(client, notified, cast.care_contact, consent).status_code == 201
    body = {"type": "sip_summoned", "parties": ["municipality"]}
    refused = _step(client, notified, cast.care_contact, body | {"meeting": meeting})
    assert (refused.status_code, refused.json()["field"]) == (422, field), refused.content
    assert not Episode.objects.get(pk=notified).sip_summoned_at


@time_machine.travel(NOW, tick=False)
def test_the_discharge_notice_carries_its_planned_time(client, cast, notified):
    assert _step(client, notified, cast.physician, {"type": "ready_declared"}).status_code == 201
    notice = {"type": "discharge_notice_sent"}
    refused = _step(client, notified, cast.nurse, notice)
    assert (refused.status_code, refused.json()["field"]) == (422, "planned_discharge")
    planned = (NOW + timedelta(hours=20)).isoformat()
    sent = _step(client, notified, cast.nurse, notice | {"planned_discharge": planned})
    assert sent.status_code == 201, sent.content
    planning = client.get(f"/api/episodes/{notified}", **auth(cast.officer_a)).json()["planning"]
    assert datetime.fromisoformat(planning["planned_discharge"]) == NOW + timedelta(hours=20)
