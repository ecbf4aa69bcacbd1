"""Issue 14 classes 2 and 11: every time a caller gives is bounded by one rule, what is already
stored cannot break reads, the worker or the demo, and a step cannot be backdated."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from typer.testing import CliRunner

from process_histories import CONTACT_JSON
from service.factories import MembershipFactory
from utskrivning.cli import app
from utskrivning.episodes.models import Episode, EpisodeEvent
from utskrivning.episodes.projection import episode_rebuild
from utskrivning.organisations.models import Role
from utskrivning.service.commands import worker_pass

from .conftest import ADMITTED, auth

JSON = "application/json"
NOW = ADMITTED + timedelta(days=3)  # the cast's notice was sent at 10:00 on admission day


def _post(client, episode, who, body, path="events"):
    return client.post(f"/api/episodes/{episode.pk}/{path}", body, content_type=JSON, **auth(who))


def _refused(response, field: str) -> None:
    assert response.status_code == 422, response.content[:300]
    assert response.json()["field"] == field


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


# --- class 2: one rule bounds every given time


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": "discharged", "at": "9999-12-31T23:59:00+00:00"}, "at"),
        ({"type": "discharged", "at": "1999-12-31T23:00:00+00:00"}, "at"),
        ({"type": "discharged", "at": (NOW + timedelta(hours=1)).isoformat()}, "at"),
        (
            {"type": "named_contact_appointed", "at": "9999-01-01T00:00:00+00:00"} | CONTACT_JSON,
            "at",
        ),
        (
            {"type": "estimated_discharge_changed", "estimated_discharge": "9999-12-31"},
            "estimated_discharge",
        ),
        (
            {"type": "estimated_discharge_changed", "estimated_discharge": "1999-01-01"},
            "estimated_discharge",
        ),
    ],
)
def test_a_step_outside_the_bounds_is_refused_naming_the_field(
    client, cast, notified, clock, body, field
):
    before = EpisodeEvent.objects.count()
    who = cast.head if body["type"] == "named_contact_appointed" else cast.nurse
    _refused(_post(client, notified, who, body), field)
    assert EpisodeEvent.objects.count() == before


def test_a_deviation_and_an_admission_dated_9999_are_refused(client, cast, notified, clock):
    far = "9999-12-31T23:59:00+00:00"
    _refused(
        _post(client, notified, cast.nurse, {"category": "other", "at": far}, "deviations"), "at"
    )
    admission = client.post(
        "/api/episodes/",
        {"personal_number": "200001010008", "name": "X", "home_municipality": "2080",
         "care_type": "somatic", "ward_id": cast.ward.pk, "at": far},
        content_type=JSON, **auth(cast.nurse),
    )  # fmt: skip
    _refused(admission, "at")


# --- class 2, defence in depth: what is already stored


def _poison(episode: Episode) -> EpisodeEvent:
    """A step dated 9999 as one stored before the rule (or by hand): appended, row rebuilt."""
    bad = EpisodeEvent.objects.create(
        episode=episode, type="ready_declared", at=datetime(9999, 12, 31, 23, 0, tzinfo=UTC)
    )
    assert episode_rebuild(episode=episode)
    return bad


def test_a_stored_9999_step_breaks_no_read_nor_the_worker_and_is_voided(
    client, cast, notified, clock, caplog
):
    healthy = cast.admit(personal_number="200001010008", at=NOW, recorded_at=NOW)
    cast.notify(healthy, NOW)
    bad = _poison(notified)
    for who in (cast.nurse, cast.officer_a):
        rows = client.get("/api/episodes/worklist", **auth(who))
        assert rows.status_code == 200
        assert [r["id"] for r in rows.json()] == [healthy.pk]
    client.force_login(cast.officer_a.user)
    assert client.get("/").status_code == 200
    page = client.get(f"/episodes/{notified.pk}/")
    assert page.status_code == 200
    assert f"event {bad.pk}" in page.content.decode()
    detail = client.get(f"/api/episodes/{notified.pk}", **auth(cast.nurse))
    assert detail.status_code == 200 and detail.json()["deadlines"] == []
    assert f"event {bad.pk}" in detail.json()["faults"]
    assert "processed" in worker_pass()
    assert notified.external_id in caplog.text
    admin = MembershipFactory(organisation=cast.region, role=Role.ADMINISTRATOR)
    voided = CliRunner().invoke(
        app, ["void-event", str(bad.pk), "--username", admin.user.username, "--reason", "år 9999"]
    )
    assert voided.exit_code == 0, voided.output
    rows = client.get("/api/episodes/worklist", **auth(cast.nurse)).json()
    assert sorted(r["id"] for r in rows) == sorted([healthy.pk, notified.pk])
    assert EpisodeEvent.objects.filter(pk=bad.pk).exists()  # the history keeps it


@pytest.mark.parametrize("column", ["ready_at", "admitted_at", "ready_declarations"])
def test_a_stored_value_the_reader_refuses_leaves_the_invoice_and_followup_standing(
    client, cast, notified, caplog, column
):
    """The engine's input is the episode file read back: one row it refuses must not take the
    municipality's invoice basis, its files and the region's follow-up down with it."""
    bad = {
        "ready_at": datetime(9999, 12, 31, 12, tzinfo=UTC),
        "admitted_at": datetime(1999, 12, 31, 12, tzinfo=UTC),
        "ready_declarations": 10**6,
    }[column]
    Episode.objects.filter(pk=notified.pk).update(
        discharged_at=datetime(2026, 10, 20, 12, tzinfo=UTC), **{column: bad}
    )
    api = client.get("/api/payment/invoice-basis/2080/2026-10", **auth(cast.finance_a))
    assert api.status_code == 200 and api.json()["lines"] == []
    client.force_login(cast.finance_a.user)
    for page in ("", "basis.pdf", "basis.xlsx", "episodes.csv"):
        assert client.get(f"/invoices/2080/2026-10/{page}").status_code == 200, page
    client.force_login(cast.finance_region.user)
    assert client.get("/followup/?from=2026-01&to=2026-11").status_code == 200
    assert f"{notified.external_id} left out of the engine's input" in caplog.text
    assert column in caplog.text


def test_the_demo_seeds_and_works_beside_a_stored_9999_step(cast, notified):
    from utskrivning.organisations.demo import seed_demo_organisations
    from utskrivning.service.commands import seed_episodes

    _poison(notified)
    seed_demo_organisations()
    assert seed_episodes(count=9) == 9
    assert "processed" in worker_pass()


# --- class 11: backdating


def test_readiness_cannot_claim_ten_days_ago(client, cast, notified, clock):
    """The example: readiness recorded today as of ten days ago showed ten ready days at once."""
    body = {"type": "ready_declared", "at": (NOW - timedelta(days=10)).isoformat()}
    _refused(_post(client, notified, cast.physician, body), "at")


def test_an_acknowledgement_five_days_late_cannot_claim_to_be_on_time(
    client, cast, notified, clock
):
    body = {"message": "admission_notice", "at": (ADMITTED + timedelta(hours=11)).isoformat()}
    _refused(_post(client, notified, cast.officer_a, body, "acknowledgements"), "at")
    taken = _post(
        client, notified, cast.officer_a, {"message": "admission_notice"}, "acknowledgements"
    )
    assert taken.status_code == 201
    stored = EpisodeEvent.objects.get(pk=taken.json()["id"])
    assert stored.at == stored.created == NOW


def test_a_discharge_may_claim_a_few_hours_back_and_keeps_both_times(client, cast, notified, clock):
    _post(client, notified, cast.physician, {"type": "ready_declared"})
    before_readiness = (NOW - timedelta(hours=1)).isoformat()
    refused = _post(client, notified, cast.nurse, {"type": "discharged", "at": before_readiness})
    assert refused.status_code == 409  # within the window, but a step out of turn
    with time_machine.travel(NOW + timedelta(hours=20), tick=False):
        earlier = NOW + timedelta(hours=2)
        taken = _post(
            client, notified, cast.nurse, {"type": "discharged", "at": earlier.isoformat()}
        )
        assert taken.status_code == 201, taken.content
    stored = EpisodeEvent.objects.get(pk=taken.json()["id"])
    assert (stored.at, stored.created) == (earlier, NOW + timedelta(hours=20))
    answer = {k: datetime.fromisoformat(taken.json()[k]) for k in ("at", "recorded_at")}
    assert answer == {"at": earlier, "recorded_at": NOW + timedelta(hours=20)}
    assert Episode.objects.get(pk=notified.pk).discharged_at == earlier


def test_a_discharge_cannot_claim_more_than_24_hours_back(client, cast, notified):
    with time_machine.travel(NOW + timedelta(days=2), tick=False):
        body = {"type": "discharged", "at": (NOW + timedelta(hours=1)).isoformat()}
        _refused(_post(client, notified, cast.nurse, body), "at")


def test_the_timeline_shows_when_a_backdated_step_was_recorded(client, cast, notified):
    with time_machine.travel(NOW + timedelta(hours=20), tick=False):
        at = NOW + timedelta(hours=2)
        body = {"type": "named_contact_appointed", "at": at.isoformat()} | CONTACT_JSON
        assert _post(client, notified, cast.head, body).status_code == 201
        client.force_login(cast.nurse.user)
        page = client.get(f"/episodes/{notified.pk}/").content.decode()
    assert "(registrerad 2026-10-09 05:00)" in page  # 20 h after NOW, local time
