"""Notes between the parties (issue 11 item 2): addressed to parties that see the episode, in the
timeline, one receipt per recipient organisation, unread counts per organisation, audited; the
same through the API, whose writes take an Idempotency-Key."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from service.factories import MembershipFactory
from utskrivning.audit.models import AuditEntry
from utskrivning.domain.process import Party
from utskrivning.episodes.models import EpisodeEvent, Note, NoteReceipt
from utskrivning.episodes.notes import note_mark_read, note_send, unread_notes
from utskrivning.lib.errors import NotVisibleError
from utskrivning.organisations.models import Role

from .conftest import ADMITTED
from .test_api import auth

MUN, PC, WARD = Party.MUNICIPALITY, Party.PRIMARY_CARE, Party.INPATIENT_CARE
NOW = ADMITTED + timedelta(hours=2)


@pytest.fixture
def notified(cast):
    episode = cast.admit()
    cast.notify(episode, ADMITTED + timedelta(hours=1))
    return episode


@time_machine.travel(NOW, tick=False)
def test_a_note_from_the_ward_is_in_the_timeline_and_unread_until_acknowledged(cast, notified):
    note = note_send(
        episode=notified, membership=cast.nurse, text="Ring dottern före hemgång.", parties={MUN}
    )
    event = EpisodeEvent.objects.get(pk=note.event_id)
    assert (event.type, event.payload) == (
        "note_sent",
        {"party": "inpatient_care", "parties": ["municipality"]},
    )
    assert [r.organisation for r in note.recipients.all()] == [cast.municipality_a]
    assert unread_notes(organisation=cast.municipality_a) == {notified.pk: 1}
    assert unread_notes(organisation=cast.primary_care) == {}  # not addressed to it
    assert unread_notes(organisation=cast.ward) == {}  # its own note

    receipt = note_mark_read(note=note, membership=cast.officer_a)
    assert (receipt.user, receipt.organisation, receipt.at) == (
        cast.officer_a.user,
        cast.municipality_a,
        NOW,
    )
    assert unread_notes(organisation=cast.municipality_a) == {}
    again = note_mark_read(note=note, membership=cast.officer_a)  # the first receipt stands
    assert again.pk == receipt.pk and NoteReceipt.objects.count() == 1
    purposes = list(AuditEntry.objects.values_list("purpose", flat=True))
    assert "note sent" in purposes and purposes.count("note read") == 1


@time_machine.travel(NOW, tick=False)
def test_unread_counts_per_episode_for_a_hospital_and_one_page(cast, notified):
    for text in ("Första", "Andra"):
        note_send(episode=notified, membership=cast.officer_a, text=text, parties={WARD, PC})
    hospital_nurse = MembershipFactory(organisation=cast.hospital, role=Role.WARD_NURSE)
    assert unread_notes(organisation=cast.ward) == {notified.pk: 2}
    assert unread_notes(organisation=cast.hospital) == {notified.pk: 2}  # its ward's
    assert unread_notes(organisation=cast.primary_care, episodes=[notified.pk]) == {notified.pk: 2}
    assert unread_notes(organisation=cast.ward, episodes=[notified.pk + 1]) == {}
    note_mark_read(note=Note.objects.first(), membership=hospital_nurse)  # for its ward
    assert unread_notes(organisation=cast.ward) == {notified.pk: 1}
    assert unread_notes(organisation=cast.primary_care) == {notified.pk: 2}


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("who", "text", "parties", "field"),
    [
        ("nurse", "", {MUN}, "text"),
        ("nurse", "   ", {MUN}, "text"),
        ("nurse", "x" * 4001, {MUN}, "text"),
        ("nurse", "a\x00b", {MUN}, "text"),
        ("nurse", "Hej", set(), "parties"),
        ("nurse", "Hej", {WARD, MUN}, "parties"),  # not to itself
    ],
)
def test_a_note_is_refused_naming_the_field(cast, notified, who, text, parties, field):
    with pytest.raises(ValidationError) as refused:
        note_send(episode=notified, membership=getattr(cast, who), text=text, parties=parties)
    assert field in refused.value.message_dict
    assert not Note.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_note_never_reaches_a_party_that_does_not_see_the_episode(cast):
    episode = cast.admit()  # no admission notice yet: only the ward sees it
    with pytest.raises(ValidationError) as refused:
        note_send(episode=episode, membership=cast.nurse, text="Hej", parties={MUN})
    assert "notified" in refused.value.message_dict["parties"][0]
    with pytest.raises(NotVisibleError):
        note_send(episode=episode, membership=cast.officer_a, text="Hej", parties={WARD})


@time_machine.travel(NOW, tick=False)
def test_only_the_addressed_organisation_acknowledges(cast, notified):
    note = note_send(episode=notified, membership=cast.nurse, text="Hej", parties={PC})
    with pytest.raises(ValidationError):
        note_mark_read(note=note, membership=cast.officer_a)  # sees it, not addressed
    with pytest.raises(NotVisibleError):
        note_mark_read(note=note, membership=cast.officer_b)  # another municipality
    with pytest.raises(PermissionDenied):
        note_mark_read(note=note, membership=cast.finance_a)
    assert unread_notes(organisation=cast.municipality_b) == {}


# --- the API -----------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_notes_over_the_api(client, cast, notified):
    url = f"/api/episodes/{notified.pk}/notes"
    body = {"text": "Behöver hemtjänst morgon och kväll.", "parties": ["municipality"]}
    ward = auth(cast.nurse)
    sent = client.post(
        url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="n-1", **ward
    )
    assert sent.status_code == 201, sent.content
    again = client.post(
        url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="n-1", **ward
    )
    assert again.json() == sent.json() and Note.objects.count() == 1
    note = sent.json()
    assert note["recipients"] == [
        {
            "party": "municipality",
            "organisation": cast.municipality_a.name,
            "read_at": None,
            "read_by": None,
            "read_by_organisation": None,
        }
    ]
    officer = auth(cast.officer_a)
    assert client.get("/api/episodes/notes/unread", **officer).json() == [
        {"episode_id": notified.pk, "unread": 1}
    ]
    read = client.post(f"{url}/{note['id']}/receipt", **officer)
    assert read.status_code == 201, read.content
    receipt = read.json()["recipients"][0]
    assert receipt["read_by_organisation"] == cast.municipality_a.name
    assert datetime.fromisoformat(receipt["read_at"]) == NOW
    listed = client.get(url, **ward).json()
    assert listed[0]["recipients"][0]["read_by"] == receipt["read_by"]
    assert client.get("/api/episodes/notes/unread", **officer).json() == []


@time_machine.travel(NOW, tick=False)
def test_the_api_refuses_notes_naming_the_field_and_hides_other_episodes(client, cast, notified):
    url = f"/api/episodes/{notified.pk}/notes"
    empty = client.post(
        url, {"text": "", "parties": ["municipality"]}, content_type="application/json",
        **auth(cast.nurse),
    )  # fmt: skip
    assert (empty.status_code, empty.json()["field"]) == (422, "text")
    unknown = client.post(
        url, {"text": "Hej", "parties": ["region"]}, content_type="application/json",
        **auth(cast.nurse),
    )  # fmt: skip
    assert unknown.status_code == 422 and unknown.json()["field"].startswith("parties")
    assert client.get(url, **auth(cast.officer_b)).status_code == 404
    assert client.get(url, **auth(cast.other_nurse)).status_code == 404
