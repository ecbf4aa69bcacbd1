"""Issue 14 class 4: a personnummer is one patient. An admission never overwrites the name or
address; a correction is an event of its own in the timeline, by the ward's staff; a second open
stay is refused naming the open one."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from service.factories import MembershipFactory, RegionFactory, WardFactory
from utskrivning.episodes.models import EpisodeEvent, Patient
from utskrivning.organisations.models import Role

from .conftest import ADMITTED, admit_json, auth


def _discharge(cast, episode):
    from utskrivning.domain.process import Event, EventType
    from utskrivning.episodes.services import episode_record_event

    for membership, event in [
        (cast.physician, Event(EventType.READY_DECLARED)),
        (cast.nurse, Event(EventType.DISCHARGED)),
    ]:
        episode_record_event(episode=episode, event=event, membership=membership)


def test_a_ward_in_another_region_cannot_rename_the_patient(client, cast):
    """Before: its admission overwrote the Dalarna patient's name and address for everyone."""
    first = cast.admit()
    _discharge(cast, first)
    other = WardFactory(parent__parent=RegionFactory(name="Region Gävleborg"))
    nurse = MembershipFactory(organisation=other, role=Role.WARD_NURSE)
    body = {k: v for k, v in admit_json(cast).items() if k != "at"} | {
        "ward_id": other.pk, "name": "Fel Namn", "address": "Fel 1", "primary_care_id": None,
    }  # fmt: skip
    response = client.post("/api/episodes/", body, content_type="application/json", **auth(nurse))
    assert response.status_code == 201, response.content
    patient = Patient.objects.get()
    assert (patient.name, patient.address) == ("Tolvan Tolvansson", "Storgatan 1, Falun")


def test_a_second_open_stay_is_refused_naming_the_open_one(client, cast):
    """Before: the same personnummer was admitted twice while the first stay was open."""
    open_stay = cast.admit()
    response = client.post(
        "/api/episodes/",
        {k: v for k, v in admit_json(cast).items() if k != "at"} | {"ward_id": cast.other_ward.pk},
        content_type="application/json",
        **auth(cast.other_nurse),
    )
    assert response.status_code == 422, response.content
    answer = response.json()
    assert answer["field"] == "personal_number"
    assert open_stay.external_id in answer["detail"] and cast.ward.name in answer["detail"]
    with pytest.raises(ValidationError):
        cast.admit(at=ADMITTED.replace(hour=15))


def test_after_discharge_the_patient_is_admitted_again(cast):
    first = cast.admit()
    _discharge(cast, first)
    again = cast.admit(name="Annat Namn")
    assert again.patient_id == first.patient_id
    assert Patient.objects.get().name == "Tolvan Tolvansson"


def test_the_ward_corrects_the_details_as_an_event_in_the_timeline(client, cast):
    episode = cast.admit()
    response = client.post(
        f"/api/episodes/{episode.pk}/patient",
        {"name": "Tolvan Tolvasson", "address": "Nygatan 2, Falun"},
        content_type="application/json",
        **auth(cast.nurse),
    )
    assert response.status_code == 201, response.content
    assert (Patient.objects.get().name, Patient.objects.get().address) == (
        "Tolvan Tolvasson",
        "Nygatan 2, Falun",
    )
    event = EpisodeEvent.objects.get(type="patient_details_changed")
    assert event.payload["before"]["name"] == "Tolvan Tolvansson"
    detail = client.get(f"/api/episodes/{episode.pk}", **auth(cast.nurse)).json()
    assert "patient_details_changed" in [e["type"] for e in detail["timeline"]]
    client.force_login(cast.nurse.user)
    assert "Namn eller adress ändrad" in client.get(f"/episodes/{episode.pk}/").text


@pytest.mark.parametrize("who", ["officer_a", "head", "other_nurse"])
def test_only_the_ward_that_has_the_patient_changes_the_details(client, cast, notified, who):
    response = client.post(
        f"/api/episodes/{notified.pk}/patient",
        {"name": "Någon Annan"},
        content_type="application/json",
        **auth(getattr(cast, who)),
    )
    assert response.status_code in (403, 404), response.content
    assert Patient.objects.get().name == "Tolvan Tolvansson"
    assert not EpisodeEvent.objects.filter(type="patient_details_changed").exists()
