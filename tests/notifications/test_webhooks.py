"""Webhooks against a real HTTP receiver on loopback that checks each signature: registered over
the API by the organisation's administrator, each notice posted signed, retried with growing
pauses while the receiver is down, and then delivered once per event id; patient data only when
chosen and over HTTPS; addresses bounded; a delivery log on the screen and in the API."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from episodes.test_api import auth
from service.factories import MembershipFactory
from utskrivning.audit.models import AuditAction, AuditEntry
from utskrivning.notifications.models import Notice, Webhook, WebhookDelivery
from utskrivning.notifications.webhooks import backoff, deliveries_send, payload, sign
from utskrivning.organisations.models import Role

from .conftest import ADMITTED, H, declare_ready, drain

EXAMPLE = "589d3f1d50c31ea2e0c7292695ad0f72c8618edd691a49ae1035ff62fb20397f"


def register(client, membership, url, **body):
    answer = client.post(
        "/api/webhooks/",
        json.dumps({"url": url, **body}),
        content_type="application/json",
        **auth(membership),
    )
    return answer


def two_notices(cast):
    """Falun hears of an admission and a readiness."""
    episode = cast.admit()
    cast.notify(episode, ADMITTED + H)
    declare_ready(cast, episode)
    drain(ADMITTED + 3 * H)
    return episode


def test_each_notice_is_posted_signed_and_verified_by_the_receiver(
    cast, client, administrator, receiver
):
    answer = register(client, administrator, receiver.url)
    assert answer.status_code == 201, answer.content
    receiver.secret = answer.json()["secret"]
    episode = two_notices(cast)
    assert deliveries_send() == (2, 0)
    assert receiver.refused == 0 and receiver.duplicates == 0
    events = sorted(receiver.events.values(), key=lambda e: e["type"])
    assert [(e["type"], e["event"], e["episode"]) for e in events] == [
        ("admission", "admission_notice_sent", episode.pk),
        ("readiness", "ready_declared", episode.pk),
    ]
    assert all(e["organisation"] == "Falun" and e["at"] for e in events)
    assert "patient" not in json.dumps(events) and "Tolvan" not in json.dumps(events)
    assert deliveries_send() == (0, 0)  # each once
    log = client.get(f"/api/webhooks/{answer.json()['id']}/deliveries", **auth(administrator))
    assert [(d["attempts"], d["last_status"]) for d in log.json()] == [(1, 200), (1, 200)]


def test_a_receiver_that_is_down_gets_everything_later_once_per_event_id(
    cast, client, administrator, receiver
):
    receiver.secret = register(client, administrator, receiver.url).json()["secret"]
    receiver.stop()
    two_notices(cast)
    now = timezone.now()
    assert deliveries_send(now=now) == (0, 2)
    waiting = WebhookDelivery.objects.all()
    assert {(d.attempts, d.next_attempt) for d in waiting} == {(1, now + timedelta(seconds=30))}
    assert all("Error" in d.last_error for d in waiting)
    assert deliveries_send(now=now + timedelta(seconds=10)) == (0, 0)  # not before the pause
    assert deliveries_send(now=now + timedelta(seconds=31)) == (0, 2)  # still down
    receiver.start()  # back, on the same port
    assert deliveries_send(now=now + timedelta(minutes=2)) == (2, 0)
    assert deliveries_send(now=now + timedelta(hours=1)) == (0, 0)
    assert len(receiver.events) == 2 and receiver.duplicates == 0
    assert {d.attempts for d in WebhookDelivery.objects.all()} == {3}


def test_a_lost_answer_is_posted_again_with_the_same_event_id(
    cast, client, administrator, receiver
):
    """The receiver got it but the service did not hear 2xx: the retry carries the same id,
    which the receiver drops (nothing is delivered twice without the same event id)."""
    receiver.secret = register(client, administrator, receiver.url).json()["secret"]
    two_notices(cast)
    deliveries_send()
    WebhookDelivery.objects.update(delivered=None, next_attempt=timezone.now())
    deliveries_send()
    assert receiver.duplicates == 2 and len(receiver.events) == 2


def test_a_wrong_secret_is_refused_by_the_receiver_and_retried(
    cast, client, administrator, receiver
):
    register(client, administrator, receiver.url)
    receiver.secret = "not the secret"
    two_notices(cast)
    assert deliveries_send() == (0, 2)
    assert receiver.refused == 2 and not receiver.events
    assert {d.last_status for d in WebhookDelivery.objects.all()} == {401}


def test_the_pauses_grow_and_end(cast):
    assert [backoff(n) for n in (1, 2, 3)] == [timedelta(seconds=s) for s in (30, 60, 120)]
    assert backoff(12) == timedelta(hours=6)


def test_patient_data_only_when_chosen_and_over_https(cast, administrator):
    episode = two_notices(cast)
    notice = Notice.objects.filter(organisation=cast.municipality_a).first()
    plain = Webhook(organisation=cast.municipality_a, url="http://x.example/", patient_data=True)
    chosen = Webhook(organisation=cast.municipality_a, url="https://x.example/", patient_data=True)
    assert not plain.sends_patient_data and chosen.sends_patient_data
    body = payload(notice, patient_data=chosen.sends_patient_data)
    assert body["patient"] == {"personal_number": "191212121212", "name": "Tolvan Tolvansson"}
    assert "patient" not in payload(notice, patient_data=plain.sends_patient_data)
    assert body["episode"] == episode.pk


def test_the_signature_is_the_worked_example_of_the_operations_guide():
    # docs/operations.md, *Webhooks*: computed there with `openssl dgst -sha256 -hmac hemlig`.
    assert sign("hemlig", "1765000000", b'{"id":"1"}') == f"v1={EXAMPLE}"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://x.example/", "javascript:alert(1)", "https://", "https://user:pw@x.example/",
        "https://x.example/" + "a" * 500, "https://exämple.se/", "https://x.example:99999/",
        "http://x.example/ a",
    ],
)  # fmt: skip
def test_addresses_are_bounded_and_refused_naming_the_field(client, administrator, url):
    answer = register(client, administrator, url)
    assert answer.status_code == 422, answer.content
    assert answer.json()["field"] in ("url", "body.url", "body")
    assert not Webhook.objects.exists()


def test_private_addresses_are_refused_at_delivery_unless_allowed(
    cast, client, administrator, receiver, settings
):
    receiver.secret = register(client, administrator, receiver.url).json()["secret"]
    settings.WEBHOOK_PRIVATE_ADDRESSES = False  # registered while allowed, then no longer
    two_notices(cast)
    assert deliveries_send() == (0, 2)
    assert not receiver.events
    assert all("private" in d.last_error for d in WebhookDelivery.objects.all())


def test_only_the_administrator_manages_webhooks(cast, client, administrator, receiver):
    assert register(client, cast.officer_a, receiver.url).status_code == 403
    assert client.get("/api/webhooks/", **auth(cast.officer_a)).status_code == 403
    hook = register(client, administrator, receiver.url).json()
    admin_b = MembershipFactory(organisation=cast.municipality_b, role=Role.ADMINISTRATOR)
    assert client.get(f"/api/webhooks/{hook['id']}/deliveries", **auth(admin_b)).status_code == 404
    assert client.delete(f"/api/webhooks/{hook['id']}", **auth(admin_b)).status_code == 404
    assert client.delete(f"/api/webhooks/{hook['id']}", **auth(administrator)).status_code == 204
    assert not Webhook.objects.get().active
    assert (
        AuditEntry.objects.filter(action=AuditAction.ADMIN_CHANGE, obj_type="webhook").count() == 2
    )
