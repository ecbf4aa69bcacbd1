"""The worklist, the episode page and its htmx actions, through the views, as the cast."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

pytest.importorskip("utskrivning.episodes.services", reason="the episodes app has not landed")

pytestmark = pytest.mark.django_db

TOLVAN = "19121212-1212"


def post_event(client, pk, event, htmx=True, **data):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/episodes/{pk}/events/", {"event": event, **data}, headers=headers)


@pytest.fixture
def episode(client, login, physician, officer_a, officer_b, vardcentral):
    """Admitted by the ward's physician, the notice sent to Falun and the vårdcentral."""
    login(physician)
    response = client.post(
        "/episodes/new/",
        {
            "personal_number": TOLVAN,
            "name": "Tolvan Tolvansson",
            "home_municipality": "2080",
            "care_type": "somatic",
            "primary_care_unit": vardcentral.pk,
            "support_needed": "on",
        },
    )
    assert response.status_code == 302, response.content
    pk = int(response.url.strip("/").split("/")[-1])
    estimated = (timezone.localdate() + timedelta(days=3)).isoformat()
    notice = post_event(
        client, pk, "admission_notice_sent", parties=["municipality", "primary_care"],
        estimated_discharge=estimated,
    )  # fmt: skip
    assert "Inskrivningsmeddelande skickat" in notice.text, notice.text
    client.logout()
    return pk


def test_the_ward_s_worklist_shows_the_patient_and_what_is_owed(client, login, physician, episode):
    login(physician)
    page = client.get("/")
    assert page.status_code == 200
    assert "Tolvan Tolvansson" in page.text
    assert "Inskrivningsmeddelande skickat" in page.text
    assert "Meddela utskrivningsklar" in page.text
    assert TOLVAN not in page.text  # the personnummer is never shown in lists


def test_the_worklist_is_english_after_switching(client, login, physician, episode):
    login(physician)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/")
    assert "Worklist" in page.text
    assert "Admission notice sent" in page.text


def test_municipality_b_sees_nothing_of_a_s(client, login, officer_a, officer_b, episode):
    login(officer_a)
    assert "Tolvan Tolvansson" in client.get("/").text
    assert client.get(f"/episodes/{episode}/").status_code == 200
    client.logout()
    login(officer_b)
    assert "Tolvan Tolvansson" not in client.get("/").text
    assert client.get(f"/episodes/{episode}/").status_code == 404
    refused = post_event(client, episode, "acknowledged", message="admission_notice")
    assert refused.status_code == 404


def test_each_role_is_offered_its_own_steps(client, login, physician, officer_a, episode):
    login(physician)
    page = client.get(f"/episodes/{episode}/").text
    assert 'data-event="ready_declared"' in page
    assert 'data-event="acknowledged"' not in page
    assert "Inskrivningsmeddelande inom 24 timmar" in page  # the deadline, met
    client.logout()
    login(officer_a)
    page = client.get(f"/episodes/{episode}/").text
    assert 'data-event="acknowledged"' in page
    assert 'data-event="ready_declared"' not in page


def test_an_htmx_step_records_the_event_and_answers_the_page(client, login, physician, episode):
    login(physician)
    response = post_event(client, episode, "ready_declared")
    assert response.status_code == 200
    assert "Meddelande om utskrivningsklar skickat" in response.text
    assert "Utskrivningsklar" in response.text


def test_a_refused_step_says_why_in_swedish_and_stores_nothing(client, login, physician, episode):
    login(physician)
    before = client.get(f"/episodes/{episode}/").text.count("<time")
    response = post_event(client, episode, "closed", htmx=False)
    assert response.status_code == 422
    assert "Bara ett utskrivet vårdtillfälle kan avslutas." in response.text
    assert client.get(f"/episodes/{episode}/").text.count("<time") == before


def test_a_role_may_not_take_another_s_step(client, login, nurse, episode):
    login(nurse)
    response = post_event(client, episode, "ready_declared", htmx=False)
    assert response.status_code in (403, 422)


def test_a_plain_form_post_redirects_back_to_the_episode(client, login, physician, episode):
    login(physician)
    response = post_event(client, episode, "ready_declared", htmx=False)
    assert response.status_code == 302
    assert response.url == f"/episodes/{episode}/"


def test_a_wrong_personnummer_is_refused_at_the_door(client, login, physician):
    login(physician)
    response = client.post(
        "/episodes/new/",
        {"personal_number": "19121212-1213", "name": "X", "home_municipality": "2080",
         "care_type": "somatic"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "errorlist" in response.text


def test_a_missed_deadline_is_red_on_the_worklist(client, login, physician, falun):
    login(physician)
    two_days_ago = timezone.now() - timedelta(days=2)
    with time_machine.travel(two_days_ago, tick=False):
        client.post(
            "/episodes/new/",
            {"personal_number": TOLVAN, "name": "Tolvan Tolvansson", "home_municipality": "2080",
             "care_type": "somatic", "support_needed": "on"},
        )  # fmt: skip
    login(physician)
    page = client.get("/").text
    missed = '<span class="ds-tag" data-color="danger">missad</span> Inskrivningsmeddelande inom 24'
    assert f'<li class="missed">{missed}' in page  # a badge with text, not colour alone


def test_the_municipality_s_worklist_shows_ready_days_and_liability(
    client, login, physician, officer_a, episode
):
    login(physician)
    post_event(client, episode, "ready_declared")
    client.logout()
    login(officer_a)
    page = client.get("/").text
    assert "Utskrivningsklara dagar" in page
    assert "Betalningsansvar (kr)" in page
    assert "Utskrivningsklar" in page
