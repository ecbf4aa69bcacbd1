"""Local passwords stay for the demo and small organisations; the operator turns them off for
everyone (`UTSKRIVNING_PASSWORD_LOGIN=false`), an administrator for an organisation's staff
(`Organisation.password_login`, in the admin), and then only the identity provider signs in."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate

from service.factories import PASSWORD, MembershipFactory, WardFactory
from utskrivning.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture
def passwords_off(settings):
    settings.OIDC_ISSUER = "http://127.0.0.1:9"  # the login page names it; nothing calls it
    settings.PASSWORD_LOGIN = False


def test_with_a_provider_the_login_page_offers_it_beside_the_password(client, settings):
    settings.OIDC_ISSUER = "http://127.0.0.1:9"
    page = client.get(f"{LOGIN}?next=/invoices/").text
    assert 'href="/accounts/oidc/login/?next=/invoices/"' in page
    assert "Logga in med SITHS eID" in page
    assert "Med användarnamn och lösenord" in page and 'name="password"' in page


def test_without_a_provider_the_login_page_is_the_password_form_alone(client):
    page = client.get(LOGIN).text
    assert "/accounts/oidc/login/" not in page and 'name="password"' in page


def test_with_passwords_off_the_page_offers_only_the_provider(client, passwords_off):
    page = client.get(LOGIN).text
    assert "Logga in med SITHS eID" in page
    assert 'name="password"' not in page
    assert "Inloggning med lösenord är avstängd här" in page


def test_with_passwords_off_the_right_password_is_refused_and_audited(
    client, passwords_off, ward_nurse
):
    response = client.post(LOGIN, {"username": "sjukskoterska", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert entry.obj_id == "sjukskoterska"
    assert entry.purpose == "passwords are off"


def test_with_passwords_off_no_form_can_use_one(passwords_off, ward_nurse):
    assert authenticate(username="sjukskoterska", password=PASSWORD) is None


def test_with_passwords_on_the_same_password_signs_in(client, settings, ward_nurse):
    settings.OIDC_ISSUER = "http://127.0.0.1:9"
    response = client.post(LOGIN, {"username": "sjukskoterska", "password": PASSWORD})
    assert response.status_code == 302
    assert authenticate(username="sjukskoterska", password=PASSWORD) == ward_nurse.user


def test_an_organisation_that_turned_passwords_off_has_its_staff_use_the_card(client, ward_nurse):
    ward_nurse.organisation.password_login = False
    ward_nurse.organisation.save()
    # Another membership where passwords are on does not open the way round.
    MembershipFactory(user=ward_nurse.user, organisation=WardFactory(name="Avdelning 7"))
    response = client.post(LOGIN, {"username": "sjukskoterska", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert (
        f"Inloggning med lösenord är avstängd för {ward_nurse.organisation.name}: logga in med "
        "ditt e-tjänstekort." in response.text
    )
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert entry.purpose == "passwords are off for the user's organisation"


def test_a_wrong_password_in_such_an_organisation_says_nothing_of_it(client, ward_nurse):
    ward_nurse.organisation.password_login = False
    ward_nurse.organisation.save()
    response = client.post(LOGIN, {"username": "sjukskoterska", "password": "fel"})
    assert "avstängd" not in response.text
