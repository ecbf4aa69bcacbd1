"""Login: Swedish, audited, rate-limited per username and address; choosing an organisation."""

from __future__ import annotations

import pytest
import time_machine

from service.factories import PASSWORD, MembershipFactory, WardFactory
from utskrivning.audit.models import AuditAction, AuditEntry
from utskrivning.organisations.ratelimit import FAILURE_LIMIT
from utskrivning.organisations.sessions import MEMBERSHIP_SESSION_KEY

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _login(client, username, password=PASSWORD, address="192.0.2.1", **data):
    return client.post(
        LOGIN, {"username": username, "password": password, **data}, REMOTE_ADDR=address
    )


def _actions():
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


def test_the_login_page_is_swedish(client):
    response = client.get(LOGIN)
    assert "Logga in" in response.text
    assert "Användarnamn" in response.text


def test_a_login_is_audited_and_lands_on_the_start_page(client, ward_nurse):
    response = _login(client, "sjukskoterska")
    assert response.status_code == 302
    assert response.url == "/start/"  # the role's own start page (web.start): the ward's worklist
    assert client.get(response.url).url == "/"
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.user, entry.ip) == (AuditAction.LOGIN, ward_nurse.user, "192.0.2.1")


def test_a_wrong_password_is_audited_without_the_password(client, ward_nurse):
    response = _login(client, "sjukskoterska", password="fel-lösenord")
    assert response.status_code == 200
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.obj_id, entry.user) == (
        AuditAction.LOGIN_FAILED,
        "sjukskoterska",
        None,
    )
    assert "fel-lösenord" not in entry.purpose


def test_after_five_failures_even_the_right_password_gets_429(client, ward_nurse):
    for _ in range(FAILURE_LIMIT):
        assert _login(client, "sjukskoterska", password="fel").status_code == 200
    response = _login(client, "sjukskoterska")
    assert response.status_code == 429
    assert "För många misslyckade försök" in response.text
    assert _actions()[-1] == AuditAction.LOGIN_BLOCKED
    assert "_auth_user_id" not in client.session


def test_the_limit_counts_per_address_and_username(client, ward_nurse):
    for _ in range(FAILURE_LIMIT):
        _login(client, "sjukskoterska", password="fel")
    assert _login(client, "SJUKSKOTERSKA").status_code == 429
    assert _login(client, "sjukskoterska", address="192.0.2.2").status_code == 302


def test_the_limit_lifts_after_fifteen_minutes(client, ward_nurse):
    with time_machine.travel("2025-06-01 10:00 +0200", tick=False) as traveller:
        for _ in range(FAILURE_LIMIT):
            _login(client, "sjukskoterska", password="fel")
        traveller.shift(14 * 60)
        assert _login(client, "sjukskoterska").status_code == 429
        traveller.shift(61)
        assert _login(client, "sjukskoterska").status_code == 302


def test_a_successful_login_clears_the_count(client, ward_nurse):
    for _ in range(FAILURE_LIMIT - 1):
        _login(client, "sjukskoterska", password="fel")
    assert _login(client, "sjukskoterska").status_code == 302
    client.logout()
    for _ in range(FAILURE_LIMIT - 1):
        _login(client, "sjukskoterska", password="fel")
    assert _login(client, "sjukskoterska").status_code == 302


def test_the_admin_login_is_the_same_rate_limited_page(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next=/admin/"


def test_logout_is_audited(client, ward_nurse):
    _login(client, "sjukskoterska")
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert _actions() == [AuditAction.LOGIN, AuditAction.LOGOUT]


def test_a_user_with_several_memberships_chooses_one(client, ward_nurse):
    other = MembershipFactory(user=ward_nurse.user, organisation=WardFactory(name="Avdelning 5"))
    response = _login(client, "sjukskoterska", next="/worklist/")
    assert response.status_code == 302
    assert response.url == "/accounts/organisation/?next=%2Fworklist%2F"
    page = client.get(response.url)
    assert "Avdelning 5" in page.text
    response = client.post(response.url, {"membership": other.pk, "next": "/worklist/"})
    assert response.url == "/worklist/"
    assert client.session[MEMBERSHIP_SESSION_KEY] == other.pk


def test_choosing_refuses_another_users_membership(client, ward_nurse, case_officer_falun):
    MembershipFactory(user=ward_nurse.user, organisation=WardFactory())
    _login(client, "sjukskoterska")
    response = client.post("/accounts/organisation/", {"membership": case_officer_falun.pk})
    assert response.status_code == 200
    assert MEMBERSHIP_SESSION_KEY not in client.session


def test_choosing_never_redirects_off_site(client, ward_nurse):
    _login(client, "sjukskoterska")
    response = client.post(
        "/accounts/organisation/", {"membership": ward_nurse.pk, "next": "https://evil.example/"}
    )
    assert response.url == "/start/"


def test_a_logged_in_user_sent_back_to_login_is_told_why(client, ward_nurse):
    _login(client, "sjukskoterska")
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == f"{LOGIN}?next=%2Fadmin%2F"
    assert "Du är inloggad som sjukskoterska men får inte öppna den sidan" in response.text
