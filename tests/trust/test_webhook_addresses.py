"""A webhook's address is where the service posts on an administrator's word (SSRF): loopback,
private and link-local addresses are refused when registered, in every spelling the resolver
reads, and again at delivery for a name that resolves to one, on the address actually connected
to; allowing them is an explicit setting (the tests' receivers are on loopback), off by default."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

from notifications.conftest import ADMITTED, H, administrator, declare_ready, drain, receiver
from utskrivning.audit.models import AuditAction, AuditEntry
from utskrivning.notifications.models import Webhook, WebhookDelivery
from utskrivning.notifications.webhooks import deliveries_send

from .conftest import auth

__all__ = ["administrator", "receiver"]

INTERNAL = [
    "http://127.0.0.1:9/hook",
    "https://127.1/hook",
    "http://2130706433/",  # 127.0.0.1 as one decimal number
    "http://0x7f.0.0.1/",
    "http://0/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://169.254.169.254/latest/meta-data/",  # the cloud's metadata service
    "https://10.0.0.1/hook",
    "https://192.168.1.20/hook",
    "http://localhost:8000/",
    "http://LOCALHOST./",
    "http://api.localhost/",
]


def _register(client, membership, url):
    return client.post(
        "/api/webhooks/",
        json.dumps({"url": url, "patient_data": True}),
        content_type="application/json",
        **auth(membership),
    )


@pytest.mark.parametrize("url", INTERNAL)
def test_internal_addresses_are_refused_when_registered(client, administrator, settings, url):
    settings.WEBHOOK_PRIVATE_ADDRESSES = False
    answer = _register(client, administrator, url)
    assert answer.status_code == 422, answer.content
    assert answer.json()["field"] == "url"
    assert not Webhook.objects.exists()


def test_internal_addresses_are_refused_on_the_screen_in_swedish(client, administrator, settings):
    settings.WEBHOOK_PRIVATE_ADDRESSES = False
    client.force_login(administrator.user)
    page = client.post("/notifications/organisation/", {"url": "http://169.254.169.254/"})
    assert page.status_code == 200
    assert "privat" in page.content.decode()
    assert not Webhook.objects.exists()


def test_allowing_them_is_an_explicit_setting(client, administrator, settings):
    settings.WEBHOOK_PRIVATE_ADDRESSES = True
    assert _register(client, administrator, "http://127.0.0.1:9/hook").status_code == 201


def test_they_are_refused_by_default_even_in_debug():
    environment = {**os.environ, "UTSKRIVNING_DEBUG": "true"}
    environment.pop("UTSKRIVNING_WEBHOOK_PRIVATE_ADDRESSES", None)
    code = "from utskrivning.service import settings; print(settings.WEBHOOK_PRIVATE_ADDRESSES)"
    shown = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == "False"


def test_a_name_resolving_to_loopback_is_refused_at_delivery(
    cast, client, administrator, receiver, settings
):
    """A public-looking name passes registration; the address it resolves to when the worker
    connects is the one judged (the machine's own name resolves to loopback here)."""
    name = socket.gethostname()
    found = {info[4][0] for info in socket.getaddrinfo(name, None)}
    if not all(address.startswith("127.") or address == "::1" for address in found):
        pytest.skip(f"{name} does not resolve to loopback on this machine")
    settings.WEBHOOK_PRIVATE_ADDRESSES = False
    answer = _register(client, administrator, f"http://{name}:{receiver.port}/")
    assert answer.status_code == 201, answer.content
    episode = cast.admit()
    cast.notify(episode, ADMITTED + H)
    declare_ready(cast, episode)
    drain(ADMITTED + 3 * H)
    assert deliveries_send() == (0, 2)
    assert not receiver.events
    assert all("private" in d.last_error for d in WebhookDelivery.objects.all())


def test_patient_data_refused_at_delivery_is_not_audited_as_sent(cast, administrator, settings):
    """The audit says patient data went out only when the address was judged fit to send to."""
    name = socket.gethostname()
    settings.WEBHOOK_PRIVATE_ADDRESSES = False
    Webhook.objects.create(
        organisation=cast.municipality_a, url=f"https://{name}:9/", patient_data=True
    )
    episode = cast.admit()
    cast.notify(episode, ADMITTED + H)
    drain(ADMITTED + 3 * H)
    assert deliveries_send() == (0, 1)
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT, obj_type="webhook").exists()
