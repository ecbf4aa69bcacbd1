"""Sign-in through the identity provider without a browser: `requests` follows the real redirects
between the live server and the loopback provider (tests/loopback_oidc). The provider's
back-channel logout token is checked in full: tokens signed with its own key but wrong in one
claim are refused, as is one signed by another key."""

from __future__ import annotations

import time
import uuid

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session

from service.factories import MembershipFactory, MunicipalityFactory, WardFactory
from utskrivning.audit.models import AuditAction, AuditEntry
from utskrivning.organisations.models import ProviderSession, Role, StaffIdentity
from utskrivning.organisations.oidc.backend import BACKCHANNEL_LOGOUT_EVENT

pytestmark = pytest.mark.django_db(transaction=True)

HSA_ID = "SE2120000829-K001"


@pytest.fixture
def officer():
    falun = MunicipalityFactory(municipality_code="2080")
    membership = MembershipFactory(
        user__username="handlaggare", organisation=falun, role=Role.CASE_OFFICER
    )
    StaffIdentity.objects.create(user=membership.user, hsa_id=HSA_ID)
    return membership.user


def sign_in(live_server, hsa_id: str, name: str = "Kim Kommunsson"):
    """A browser's walk: our login link, the provider's page, its form, back to us."""
    browser = requests.Session()
    at_provider = browser.get(f"{live_server.url}/accounts/oidc/login/", timeout=10)
    assert "Logga in med SITHS eID (test)" in at_provider.text
    landed = browser.post(at_provider.url, data={"login": hsa_id, "name": name}, timeout=10)
    return browser, landed


def logout_token(provider, **claims):
    now = int(time.time())
    base = {
        "iss": provider.issuer,
        "aud": provider.client_id,
        "iat": now,
        "exp": now + 120,
        "jti": str(uuid.uuid4()),
        "events": {BACKCHANNEL_LOGOUT_EVENT: {}},
    }
    return {key: value for key, value in {**base, **claims}.items() if value is not None}


def post_logout(live_server, token: str):
    return requests.post(
        f"{live_server.url}/accounts/oidc/backchannel-logout/",
        data={"logout_token": token},
        timeout=10,
    )


def test_a_known_hsa_id_lands_on_the_worklist_with_the_name_the_provider_gives(
    live_server, oidc_settings, officer
):
    browser, landed = sign_in(live_server, HSA_ID.lower(), name="Kim Kommunsson")
    assert landed.url == f"{live_server.url}/"
    assert "Arbetslista" in landed.text
    officer.refresh_from_db()
    assert officer.get_full_name() == "Kim Kommunsson"
    session = ProviderSession.objects.get(user=officer)
    assert session.session_key == browser.cookies["sessionid"]


def test_a_person_in_two_organisations_chooses_one_first(live_server, oidc_settings, officer):
    MembershipFactory(user=officer, organisation=WardFactory(), role=Role.ADMINISTRATOR)
    _, landed = sign_in(live_server, HSA_ID)
    assert "/accounts/organisation/" in landed.url
    assert "Välj organisation" in landed.text


def test_no_hsa_id_claim_gets_a_swedish_page_and_the_sub_in_the_audit_log(
    live_server, oidc_settings, officer
):
    _, landed = sign_in(live_server, "utan-hsa-id")
    assert "SITHS eID lämnade inget HSA-id för dig" in landed.text
    failed = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert failed.obj_type == "oidc_sub" and failed.obj_id.startswith("konto-")
    assert "no_hsa_id" in failed.purpose


def test_a_deactivated_user_is_refused(live_server, oidc_settings, officer):
    get_user_model().objects.filter(pk=officer.pk).update(is_active=False)
    _, landed = sign_in(live_server, HSA_ID)
    assert f"Användaren med HSA-id {HSA_ID} är avstängd" in landed.text
    assert not ProviderSession.objects.exists()


def test_a_provider_whose_discovery_names_another_issuer_is_not_trusted(
    live_server, oidc_settings, settings
):
    settings.OIDC_ISSUER = oidc_settings.issuer + "/other"
    response = requests.get(f"{live_server.url}/accounts/oidc/login/", timeout=10)
    assert response.status_code == 503
    assert "SITHS eID svarar inte just nu" in response.text
    assert "unavailable" in AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED).purpose


def test_every_page_lets_the_logout_form_go_on_to_the_provider(live_server, oidc_settings):
    response = requests.get(f"{live_server.url}/accounts/login/", timeout=10)
    policy = response.headers["Content-Security-Policy"]
    assert f"form-action 'self' {oidc_settings.issuer};" in policy


def test_a_logout_naming_the_session_ends_that_one_alone(live_server, oidc_settings, officer):
    first, _ = sign_in(live_server, HSA_ID)
    second, _ = sign_in(live_server, HSA_ID)
    ended, kept = ProviderSession.objects.order_by("id")
    assert ended.sid != kept.sid and ended.sub == kept.sub
    token = oidc_settings.sign(logout_token(oidc_settings, sub=ended.sub, sid=ended.sid))
    assert post_logout(live_server, token).status_code == 200
    assert not Session.objects.filter(session_key=ended.session_key).exists()
    assert Session.objects.filter(session_key=kept.session_key).exists()
    assert "Arbetslista" not in first.get(f"{live_server.url}/", timeout=10).text
    assert "Arbetslista" in second.get(f"{live_server.url}/", timeout=10).text
    entry = AuditEntry.objects.get(action=AuditAction.LOGOUT)
    assert entry.user == officer and ended.sid in entry.purpose


def test_a_logout_naming_the_subject_alone_ends_all_its_sessions(
    live_server, oidc_settings, officer
):
    sign_in(live_server, HSA_ID)
    sign_in(live_server, HSA_ID)
    sub = ProviderSession.objects.first().sub
    token = oidc_settings.sign(logout_token(oidc_settings, sub=sub))
    assert post_logout(live_server, token).status_code == 200
    assert not ProviderSession.objects.exists()
    assert AuditEntry.objects.filter(action=AuditAction.LOGOUT).count() == 2


@pytest.mark.parametrize(
    ("wrong", "reason"),
    [
        ({"aud": "another-client"}, "audience"),
        ({"iss": "http://127.0.0.1:1"}, "issuer"),
        ({"events": None}, "events"),
        ({"events": {"http://schemas.openid.net/event/other": {}}}, "back-channel logout event"),
        ({"nonce": "n"}, "nonce"),
        ({"sub": None, "sid": None}, "neither sid nor sub"),
        ({"jti": None}, "jti"),
        ({"exp": int(time.time()) - 3600}, "expired"),
        ({"iat": int(time.time()) - 900}, "too long ago"),
        ({"aud": ["utskrivning-test", "other"]}, "azp not ours"),
    ],
)
def test_a_logout_token_wrong_in_one_claim_is_refused(
    live_server, oidc_settings, officer, wrong, reason
):
    sign_in(live_server, HSA_ID)
    session = ProviderSession.objects.get()
    claims = logout_token(oidc_settings, sub=session.sub, sid=session.sid) | wrong
    token = oidc_settings.sign({k: v for k, v in claims.items() if v is not None})
    response = post_logout(live_server, token)
    assert response.status_code == 400
    assert reason in response.json()["error_description"].lower()
    assert ProviderSession.objects.filter(pk=session.pk).exists()
    denied = AuditEntry.objects.get(action=AuditAction.DENIED)
    assert denied.obj_type == "logout_token" and reason in denied.purpose.lower()


def test_a_logout_token_replayed_is_refused(live_server, oidc_settings, officer):
    sign_in(live_server, HSA_ID)
    session = ProviderSession.objects.get()
    token = oidc_settings.sign(logout_token(oidc_settings, sub=session.sub, sid=session.sid))
    assert post_logout(live_server, token).status_code == 200
    sign_in(live_server, HSA_ID)  # a new session, whose sid the replay cannot name, by its sub
    again = oidc_settings.sign(logout_token(oidc_settings, sub=session.sub))
    assert post_logout(live_server, again).status_code == 200
    sign_in(live_server, HSA_ID)
    replayed = post_logout(live_server, again)
    assert replayed.status_code == 400
    assert "replayed" in replayed.json()["error_description"]
    assert ProviderSession.objects.exists()


def test_a_logout_token_signed_by_another_key_or_none_is_refused(
    live_server, oidc_settings, officer
):
    sign_in(live_server, HSA_ID)
    session = ProviderSession.objects.get()
    claims = logout_token(oidc_settings, sub=session.sub, sid=session.sid)
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    for token in (oidc_settings.sign(claims, key=stranger), "not-a-token", ""):
        assert post_logout(live_server, token).status_code == 400
    assert ProviderSession.objects.filter(pk=session.pk).exists()


def test_a_session_that_ended_by_itself_leaves_no_row_for_the_provider(
    live_server, oidc_settings, officer
):
    sign_in(live_server, HSA_ID)
    Session.objects.all().delete()  # as `clearsessions` does once they expire
    sign_in(live_server, HSA_ID)
    assert ProviderSession.objects.count() == 1
