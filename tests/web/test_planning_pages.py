"""The episode page's planning record and notes between the parties, through the views."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from utskrivning.domain.process import Party
from utskrivning.episodes.models import Episode, Message
from utskrivning.episodes.notes import NOTES_PAGE, note_send

from .test_episode_actions import confirmation
from .test_pages import episode, post_event  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def test_a_note_from_the_ward_is_read_by_the_municipality_and_the_ward_sees_the_receipt(
    client,
    login,
    physician,
    officer_a,
    episode,  # noqa: F811 (the fixture)
):
    login(physician)
    sent = client.post(
        f"/episodes/{episode}/notes/",
        {"text": "Dottern vill vara med på SIP.", "parties": ["municipality"]},
        headers={"HX-Request": "true"},
    )
    assert "Meddelandet har skickats." in sent.text
    assert "Ännu inte läst av" in sent.text
    client.logout()

    login(officer_a)
    page = client.get(f"/episodes/{episode}/").text
    assert "Dottern vill vara med på SIP." in page and "Markera som läst" in page
    note = page.split('id="note-')[1].split('"')[0]
    read = client.post(f"/episodes/{episode}/notes/{note}/read/")
    assert read.status_code == 302
    assert "Markera som läst" not in client.get(f"/episodes/{episode}/").text
    client.logout()

    login(physician)
    page = client.get(f"/episodes/{episode}/").text
    assert f"Läst av {officer_a.user.get_full_name() or officer_a.user.username}" in page


def test_a_note_without_recipient_is_refused_in_swedish(
    client,
    login,
    physician,
    episode,  # noqa: F811 (the fixture)
):
    login(physician)
    refused = client.post(f"/episodes/{episode}/notes/", {"text": "Hej"})
    assert refused.status_code == 422
    assert "Meddelandet skickades inte." in refused.text


def test_the_planning_record_shows_patient_estimate_history_contact_sip_and_notice(
    client,
    login,
    physician,
    nurse,
    head_of_unit,
    care_contact,
    officer_a,
    episode,  # noqa: F811
):
    """Every party reads the same record: the patient, who moved the date and how often, the
    care contact as a person, the SIP's time and place, the planned discharge."""
    login(nurse)
    moved = (timezone.localdate() + timedelta(days=5)).isoformat()
    post_event(client, episode, "estimated_discharge_changed", estimated_discharge=moved)
    client.logout()
    login(head_of_unit)
    refused = post_event(client, episode, "named_contact_appointed", contact_name="Karin Lind")
    assert "Ange den fasta vårdkontakten" in refused.text or "telefonnummer" in refused.text
    bad_phone = post_event(
        client, episode, "named_contact_appointed", contact_name="Karin Lind", contact_phone="٠٢٣"
    )
    assert "siffrorna 0–9" in bad_phone.text
    post_event(
        client, episode, "named_contact_appointed", contact_name="Karin Lind",
        contact_title="Distriktssköterska", contact_phone="023-49 00 00",
        contact_unit="Vårdcentral Britsarvet",
    )  # fmt: skip
    post_event(client, episode, "consent_recorded")
    post_event(client, episode, "sip_need_assessed", sip_needed="yes")
    client.logout()
    login(care_contact)
    meeting = (timezone.localtime() + timedelta(days=2)).replace(hour=13, minute=0)
    summoned = post_event(
        client, episode, "sip_summoned", parties=["municipality", "inpatient_care"],
        sip_starts_at=meeting.strftime("%Y-%m-%dT%H:%M"), sip_place="Vårdcentralen, rum 3",
    )  # fmt: skip
    assert confirmation(summoned.text), summoned.text
    client.logout()

    login(officer_a)
    page = client.get(f"/episodes/{episode}/").text
    record = page.split('id="planning"')[1].split("</section>")[0]
    assert "19121212-1212" in record and "Falun" in record
    assert moved in record and "flyttat 1 gång" in record
    assert f"av {nurse.user.get_full_name()} (Medicinavdelning 12)" in record  # who moved it
    assert "Karin Lind" in record and "023-49 00 00" in record and "Distriktssköterska" in record
    assert meeting.strftime("%Y-%m-%d 13:00") in record and "Vårdcentralen, rum 3" in record
    assert "Inte skickat" in record  # no discharge notice yet


def test_the_admission_takes_an_estimated_date_and_refuses_one_before_it(
    client, login, nurse, falun, vardcentral
):
    login(nurse)
    admission = {
        "personal_number": "19121212-1212",
        "name": "Tolvan Tolvansson",
        "home_municipality": "2080",
        "care_type": "somatic",
        "primary_care_unit": vardcentral.pk,
        "support_needed": "on",
    }
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    refused = client.post("/episodes/new/", admission | {"estimated_discharge": yesterday})
    assert refused.status_code == 200
    assert "kan inte vara före inskrivningen" in refused.text
    estimate = (timezone.localdate() + timedelta(days=4)).isoformat()
    admitted = client.post("/episodes/new/", admission | {"estimated_discharge": estimate})
    assert admitted.status_code == 302, admitted.text
    record = client.get(admitted.url).text.split('id="planning"')[1].split("</section>")[0]
    assert f"<strong>{estimate}</strong>" in record


def test_an_acknowledgement_in_the_timeline_names_the_notice_it_answers(
    client,
    login,
    officer_a,
    episode,  # noqa: F811
):
    login(officer_a)
    acknowledged = post_event(client, episode, "acknowledged", message="admission_notice")
    assert confirmation(acknowledged.text), acknowledged.text
    timeline = client.get(f"/episodes/{episode}/").text.split('class="timeline"')[1]
    notice = Message.objects.get(episode_id=episode, kind="admission_notice", party="municipality")
    sent = f"{timezone.localtime(notice.sent_at):%Y-%m-%d %H:%M}"
    assert f"Kvittens: Inskrivningsmeddelande (skickat {sent})" in timeline


def test_the_notes_are_paged_from_the_latest_and_each_stays_on_the_timeline(
    client,
    login,
    physician,
    episode,  # noqa: F811 (the fixture)
):
    stay = Episode.objects.get(pk=episode)
    for n in range(NOTES_PAGE + 3):
        note_send(
            episode=stay, membership=physician, text=f"Nummer {n}.", parties=[Party.MUNICIPALITY]
        )
    login(physician)
    page = client.get(f"/episodes/{episode}/").text
    notes = page.split('id="notes"')[1].split("</details>")[0]
    assert notes.count('class="note"') == NOTES_PAGE
    assert "Nummer 3." in notes and "Nummer 2." not in notes
    # Every note's event on the timeline's page says what it said, those of older pages too.
    assert page.split('class="timeline"')[1].count("Meddelande: till") == NOTES_PAGE + 3
    older = notes.split('href="?notes_before=')[1].split("#")[0]
    earlier = client.get(f"/episodes/{episode}/?notes_before={older}").text
    shown = earlier.split('id="notes"')[1].split("</details>")[0]
    assert [f"Nummer {n}." in shown for n in range(4)] == [True, True, True, False]
    assert 'id="notes" open' in earlier  # asked for, so not folded
    assert "notes_before" not in shown
    assert client.get(f"/episodes/{episode}/?notes_before=x").status_code == 400
