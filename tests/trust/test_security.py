"""Security at the edge: every read of a patient's data is in the audit log, history cannot be
rewritten, logins are limited, and production sends HSTS behind its TLS proxy with frame denial
and the CSP on every kind of answer (pages, JSON, files, errors)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from process_histories import CONTACT
from service.factories import PASSWORD
from utskrivning.audit.models import AuditAction
from utskrivning.audit.services import entries_naming
from utskrivning.domain.identity import PersonalNumber
from utskrivning.episodes.models import EpisodeEvent

from .conftest import auth

READS = [
    ("nurse", "/episodes/{pk}/", False),
    ("nurse", "/", False),
    ("officer_a", "/api/episodes/{pk}", True),
    ("officer_a", "/api/episodes/worklist", True),
    ("finance_a", "/invoices/2080/2026-10/episodes.csv", False),
    ("finance_a", "/api/payment/invoice-basis/2080/2026-10", True),
]


def _discharged(cast, notified):
    """The patient on municipality A's October invoice basis, so the money pages show them."""
    from utskrivning.domain.process import Event, EventType
    from utskrivning.episodes.services import episode_record_event

    at = notified.admitted_at.replace(day=9)
    for membership, event in [
        (cast.physician, Event(EventType.READY_DECLARED)),
        (cast.head, Event(EventType.NAMED_CONTACT_APPOINTED, contact=CONTACT)),
        (cast.nurse, Event(EventType.DISCHARGED)),
    ]:
        at = at.replace(hour=at.hour + 1)
        episode_record_event(
            episode=notified, event=event, at=at, recorded_at=at, membership=membership
        )


@pytest.mark.parametrize(("who", "path", "api"), READS, ids=[path for _, path, _ in READS])
def test_every_read_of_a_patient_is_in_the_audit_log(client, cast, notified, who, path, api):
    _discharged(cast, notified)
    membership = getattr(cast, who)
    if not api:
        client.force_login(membership.user)
    headers = auth(membership) if api else {}
    response = client.get(path.format(pk=notified.pk), **headers)
    assert response.status_code == 200, response.content[:300]
    number = PersonalNumber(notified.patient.personal_number)
    assert (
        entries_naming(number)
        .filter(
            user=membership.user,
            organisation=membership.organisation,
            action__in=[AuditAction.READ, AuditAction.EXPORT],
            path=path.format(pk=notified.pk),
        )
        .exists()
    ), path


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a trigger of PostgreSQL's")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE {t} SET type = 'closed'",
        "UPDATE {t} SET at = at + interval '1 hour', processed = NOT processed",
        "UPDATE {t} SET membership_id = membership_id + 1000",
        "DELETE FROM {t}",
    ],
)
def test_postgresql_refuses_rewriting_the_episodes_history(notified, sql):
    with transaction.atomic():  # rolled back whatever happens: a DELETE that went through
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql.format(t=EpisodeEvent._meta.db_table))
        transaction.set_rollback(True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a trigger of PostgreSQL's")
def test_postgresql_lets_the_outbox_and_a_membership_s_removal_through(cast, notified):
    """What the model itself changes after the fact: the outbox flag, and SET_NULL."""
    assert EpisodeEvent.objects.filter(episode=notified).update(processed=True) == 2
    nurse = cast.nurse.pk
    assert EpisodeEvent.objects.filter(membership=nurse).exists()
    cast.nurse.delete()
    assert not EpisodeEvent.objects.filter(membership=nurse).exists()
    assert EpisodeEvent.objects.filter(episode=notified, processed=True).count() == 2


def test_the_login_limit_also_stops_a_guesser_that_rotates_forwarded_addresses(cast):
    """Without the proxy setting, X-Forwarded-For is the client's word and must not count."""
    client = Client()
    username = cast.nurse.user.username
    for n in range(6):
        client.post(
            "/accounts/login/",
            {"username": username, "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    response = client.post(
        "/accounts/login/",
        {"username": username, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert response.status_code == 429


@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/api/episodes/worklist", "/api/nothing", "/no-such-page/"]
)
def test_every_kind_of_answer_carries_frame_denial_and_the_csp(client, db, path):
    response = client.get(path)
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


PRODUCTION = {
    "UTSKRIVNING_DEBUG": "false",
    "SECRET_KEY": "k" * 60,
    "UTSKRIVNING_BEHIND_PROXY": "true",
    "UTSKRIVNING_ALLOWED_HOSTS": "utskrivning.example.se",
}
_PROBE = """
import json, django
django.setup()
from django.conf import settings as s
from django.test import Client
response = Client().get("/accounts/login/", HTTP_HOST="utskrivning.example.se",
                        HTTP_X_FORWARDED_PROTO="https")
plain = Client().get("/accounts/login/", HTTP_HOST="utskrivning.example.se")
print(json.dumps({"hsts": response.get("Strict-Transport-Security"), "plain": plain.status_code,
    "location": plain.get("Location"), "proxy": s.SECURE_PROXY_SSL_HEADER,
    "cookies": [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY]}))
"""


def test_in_production_behind_the_tls_proxy_hsts_is_sent_and_plain_http_redirected(tmp_path):
    base = {k: v for k, v in os.environ.items() if not k.startswith("UTSKRIVNING_")}
    base.pop("SECRET_KEY", None)
    env = base | PRODUCTION | {"DJANGO_SETTINGS_MODULE": "utskrivning.service.settings"}
    if "DATABASE_URL" not in env:
        env["UTSKRIVNING_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", _PROBE], env=env, cwd=tmp_path, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["hsts"].startswith("max-age=31536000")
    assert found["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert found["plain"] == 301 and found["location"].startswith("https://")
    assert found["cookies"] == [True, True, True]
