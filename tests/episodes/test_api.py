"""API round-trips with the test client: token auth, idempotency, JSON errors naming the field."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine

from utskrivning.episodes.models import Episode, EpisodeEvent
from utskrivning.organisations.api_keys import api_key_issue

from .conftest import ADMITTED


def token_for(membership) -> str:
    return api_key_issue(membership=membership, name="test system", issued_by=None)[1]


def auth(membership) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_for(membership)}"}


ADMISSION = {
    "personal_number": "19121212-1212",
    "name": "Tolvan Tolvansson",
    "address": "Storgatan 1",
    "home_municipality": "2080",
    "care_type": "somatic",
    "at": ADMITTED.isoformat(),
}


def admit_json(cast) -> dict:
    return ADMISSION | {"ward_id": cast.ward.pk, "primary_care_id": cast.primary_care.pk}


def test_without_credentials_the_api_answers_401(client, cast):
    response = client.get("/api/episodes/worklist")
    assert response.status_code == 401
    assert response.json()["detail"]


@time_machine.travel(ADMITTED + timedelta(hours=1), tick=False)  # the notice is sent now
def test_admit_notify_and_read_over_the_api(client, cast):
    headers = auth(cast.nurse)
    response = client.post(
        "/api/episodes/",
        admit_json(cast),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="a-1",
        **headers,
    )
    assert response.status_code == 201, response.content
    pk = response.json()["episode_id"]
    again = client.post(
        "/api/episodes/",
        admit_json(cast),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="a-1",
        **headers,
    )
    assert again.json()["id"] == response.json()["id"]
    assert Episode.objects.count() == 1
    notice = {
        "type": "admission_notice_sent",
        "parties": ["municipality", "primary_care"],
        "estimated_discharge": "2026-10-12",
        "at": "2026-10-05T10:00:00+02:00",
        "expected_version": 1,
    }
    response = client.post(
        f"/api/episodes/{pk}/events", notice, content_type="application/json", **headers
    )
    assert response.status_code == 201, response.content
    detail = client.get(f"/api/episodes/{pk}", **auth(cast.officer_a)).json()
    assert detail["state"] == "notified"
    assert [e["type"] for e in detail["timeline"]] == ["admitted", "admission_notice_sent"]
    assert "ready_declared" in detail["allowed_events"]
    rows = client.get("/api/episodes/worklist", **auth(cast.officer_a)).json()
    assert [row["id"] for row in rows] == [pk]
    assert client.get(f"/api/episodes/{pk}", **auth(cast.officer_b)).status_code == 404
    ack = client.post(
        f"/api/episodes/{pk}/acknowledgements",
        {"message": "admission_notice"},  # a receipt's time is when the service gets it
        content_type="application/json",
        **auth(cast.officer_a),
    )
    assert ack.status_code == 201, ack.content
    assert datetime.fromisoformat(ack.json()["at"]) == ADMITTED + timedelta(hours=1)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"personal_number": "19121212-1213"}, "personal_number"),
        ({"care_type": "dental"}, "care_type"),
        ({"home_municipality": "9999"}, "home_municipality"),
        ({"at": "not a time"}, "at"),
    ],
)
def test_an_invalid_admission_answers_422_naming_the_field(client, cast, change, field):
    response = client.post(
        "/api/episodes/",
        admit_json(cast) | change,
        content_type="application/json",
        **auth(cast.nurse),
    )
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert not Episode.objects.exists()


def test_a_refused_step_answers_409_with_the_reason(client, cast):
    episode = cast.admit()
    response = client.post(
        f"/api/episodes/{episode.pk}/events",
        {"type": "closed", "at": "2026-10-05T10:00:00+02:00"},
        content_type="application/json",
        **auth(cast.nurse),
    )
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Only a discharged episode can be closed.",
        "field": "type",
    }


def test_a_stale_version_answers_409(client, cast):
    episode = cast.admit()
    response = client.post(
        f"/api/episodes/{episode.pk}/events",
        {
            "type": "admission_notice_sent",
            "parties": ["municipality"],
            "estimated_discharge": "2026-10-12",
            "expected_version": 7,
        },
        content_type="application/json",
        **auth(cast.nurse),
    )
    assert response.status_code == 409
    assert response.json()["field"] == "expected_version"
    assert EpisodeEvent.objects.count() == 1


def test_a_role_that_may_not_answers_403_and_writes_nothing(client, cast):
    episode = cast.admit()
    response = client.post(
        f"/api/episodes/{episode.pk}/events",
        {"type": "ready_declared"},
        content_type="application/json",
        **auth(cast.nurse),
    )
    assert response.status_code == 403
    assert EpisodeEvent.objects.count() == 1


def test_openapi_docs_are_served(client, cast):
    assert client.get("/api/openapi.json").status_code == 200


def test_the_ui_session_is_accepted_with_its_membership(client, cast):
    episode = cast.admit()
    client.force_login(cast.nurse.user)
    response = client.get(f"/api/episodes/{episode.pk}")
    assert response.status_code == 200
    assert response.json()["state"] == "admitted"


def test_deviations_reported_and_listed(client, cast):
    episode = cast.admit()
    response = client.post(
        f"/api/episodes/{episode.pk}/deviations",
        {"category": "step_not_done", "text": "Ingen läkemedelslista"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="d-1",
        **auth(cast.nurse),
    )
    assert response.status_code == 201, response.content
    bad = client.post(
        f"/api/episodes/{episode.pk}/deviations",
        {"category": "gossip"},
        content_type="application/json",
        **auth(cast.nurse),
    )
    assert (bad.status_code, bad.json()["field"]) == (422, "category")
    listed = client.get("/api/episodes/deviations", **auth(cast.nurse)).json()
    assert [d["category"] for d in listed] == ["step_not_done"]
    assert client.get("/api/episodes/deviations", **auth(cast.officer_b)).json() == []


def test_import_over_the_api_is_all_or_nothing(client, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from service.factories import MembershipFactory
    from utskrivning.organisations.models import Role

    finance = MembershipFactory(organisation=cast.region, role=Role.FINANCE)
    header = "episode_id,patient_id,municipality,care_type,unit,admitted_at\n"
    good = header + "E1,19121212-1212,2080,somatic,Avdelning 12,2026-10-01 10:00\n"
    bad = good + "E2,19121212-1213,2080,somatic,Avdelning 12,2026-10-01 10:00\n"
    response = client.post(
        "/api/episodes/import",
        {"file": SimpleUploadedFile("e.csv", bad.encode())},
        **auth(finance),
    )
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "patient_id"
    assert body["errors"][0]["line"] == 3
    assert not Episode.objects.exists()
    response = client.post(
        "/api/episodes/import",
        {"file": SimpleUploadedFile("e.csv", good.encode())},
        **auth(finance),
    )
    assert response.json() == {"imported": 1, "already_stored": 0}
    denied = client.post(
        "/api/episodes/import",
        {"file": SimpleUploadedFile("e.csv", good.encode())},
        **auth(cast.nurse),
    )
    assert denied.status_code == 403


def test_a_key_issued_on_the_command_line_opens_the_api(client, cast):
    from typer.testing import CliRunner

    from utskrivning.cli import app

    result = CliRunner().invoke(
        app, ["api-token", "--username", cast.officer_a.user.username, "--name", "Lifecare"]
    )
    assert result.exit_code == 0, result.stderr
    key = result.stdout.strip()
    response = client.get("/api/episodes/worklist", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert client.get("/api/episodes/worklist", HTTP_AUTHORIZATION="Bearer nope").status_code == 401
