"""Signing in through the identity provider: a real OpenID Connect provider on loopback
(tests/loopback_oidc), real redirects in chromium, never a mock of the protocol."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from service.factories import MembershipFactory, MunicipalityFactory
from utskrivning.audit.models import AuditAction, AuditEntry
from utskrivning.organisations.models import ProviderSession, Role, StaffIdentity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFICER_HSA_ID = "SE2120000829-K001"


@pytest.fixture
def officer():
    falun = MunicipalityFactory(municipality_code="2080")
    membership = MembershipFactory(
        user__username="handlaggare", organisation=falun, role=Role.CASE_OFFICER
    )
    StaffIdentity.objects.create(user=membership.user, hsa_id=OFFICER_HSA_ID)
    return membership.user


def sign_in(page, provider, hsa_id: str, name: str = "Kim Kommunsson") -> None:
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Logga in med SITHS eID").click()
    provider.sign_in(page, hsa_id=hsa_id, name=name)


def test_a_case_officer_signs_in_to_the_worklist_and_the_providers_logout_ends_it(
    page, oidc_settings, officer
):
    sign_in(page, oidc_settings, OFFICER_HSA_ID)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Arbetslista")
    header = page.locator("header")
    expect(header).to_contain_text("Falun")
    expect(header).to_contain_text("Kim Kommunsson")
    login = AuditEntry.objects.get(action=AuditAction.LOGIN)
    session = ProviderSession.objects.get()
    assert login.user == officer
    assert f"sub {session.sub}" in login.purpose and session.sub.startswith("konto-")
    assert session.sid

    oidc_settings.log_out_at_provider(page)
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    assert not ProviderSession.objects.exists()
    logout = AuditEntry.objects.get(action=AuditAction.LOGOUT)
    assert logout.user == officer
    assert "back-channel logout" in logout.purpose and session.sub in logout.purpose


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_unknown_hsa_id_gets_a_swedish_page_and_no_account(page, oidc_settings, officer):
    users = get_user_model().objects.count()
    page.set_viewport_size({"width": 390, "height": 800})  # a phone: no sideways scrolling
    page.goto("/accounts/login/")
    assert fits(page)
    sign_in(page, oidc_settings, "SE2321000032-OKAND1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Du kunde inte loggas in")
    assert fits(page)
    expect(page.locator("main")).to_contain_text("SE2321000032-OKAND1")
    expect(page.locator("main")).to_contain_text("Inget konto skapas")
    assert get_user_model().objects.count() == users
    failed = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert (failed.obj_type, failed.obj_id) == ("hsa_id", "SE2321000032-OKAND1")
    assert "unknown_hsa_id, sub konto-" in failed.purpose


def test_logging_out_here_ends_the_sign_in_at_the_provider_too(page, oidc_settings, officer):
    sign_in(page, oidc_settings, OFFICER_HSA_ID)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Arbetslista")
    page.get_by_role("button", name="Logga ut").click()
    page.get_by_role("button", name="Ja, logga ut").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")
    page.get_by_role("link", name="Logga in med SITHS eID").click()
    expect(page.get_by_label("HSA-id")).to_be_visible()  # asked again: the provider's session ended
