"""Issue 14 class 5: the login limit counts the name as Django logs in with it, counts per address
over every name as well, and every lockout is in the audit log."""

from __future__ import annotations

import pytest

from service.factories import PASSWORD, MembershipFactory, WardFactory
from utskrivning.audit.models import AuditAction, AuditEntry
from utskrivning.organisations.ratelimit import LIMITS, Counter

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _login(client, username, password=PASSWORD, address="192.0.2.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def analyst():
    return MembershipFactory(user__username="analytiker", organisation=WardFactory())


@pytest.mark.parametrize(
    "spelling",
    [" analytiker", "analytiker ", "ａｎａｌｙｔｉｋｅｒ", "ANALYTIKER", "\tanalytiker\n"],
)
def test_a_locked_name_stays_locked_however_it_is_spelt(client, analyst, spelling):
    """Before: each spelling got fresh attempts, and " analytiker" logged in while the plain
    name was locked (Django strips and NFKC-normalises the name before looking the user up)."""
    for _ in range(LIMITS[Counter.NAME_AND_ADDRESS]):
        assert _login(client, "analytiker", password="fel").status_code == 200
    response = _login(client, spelling)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_spellings_share_one_count(client, analyst):
    spellings = [" analytiker", "analytiker ", "ａｎａｌｙｔｉｋｅｒ", "Analytiker", "analytiker"]
    for spelling in spellings[: LIMITS[Counter.NAME_AND_ADDRESS]]:
        _login(client, spelling, password="fel")
    assert _login(client, "analytiker").status_code == 429


def test_one_address_trying_many_names_is_stopped(client, analyst):
    for n in range(LIMITS[Counter.ADDRESS]):
        _login(client, f"gissning{n}", password="fel")
    assert _login(client, "analytiker").status_code == 429
    assert _login(client, "analytiker", address="192.0.2.99").status_code == 302


def test_many_addresses_guessing_one_name_are_stopped(client, analyst):
    for n in range(LIMITS[Counter.NAME]):
        _login(client, "analytiker", password="fel", address=f"198.51.100.{n + 1}")
    assert _login(client, "analytiker", address="203.0.113.7").status_code == 429


def test_a_lockout_is_audited_once_with_the_address_and_the_counter(client, analyst):
    for _ in range(LIMITS[Counter.NAME_AND_ADDRESS] + 2):
        _login(client, "analytiker", password="fel")
    lockouts = AuditEntry.objects.filter(action=AuditAction.LOCKED_OUT)
    assert [(e.obj_id, e.ip) for e in lockouts] == [("analytiker", "192.0.2.1")]
    assert Counter.NAME_AND_ADDRESS in lockouts.get().purpose
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_BLOCKED).count() == 2
