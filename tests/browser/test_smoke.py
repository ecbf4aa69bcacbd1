"""Logging in, the header and the language switch, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from service.factories import PASSWORD, MembershipFactory, MunicipalityFactory
from utskrivning.organisations.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username: str, next_url: str = "/") -> None:
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()


def test_a_case_officer_logs_in_to_the_worklist_and_switches_to_english(page):
    falun = MunicipalityFactory(municipality_code="2080")
    MembershipFactory(user__username="handlaggare", organisation=falun, role=Role.CASE_OFFICER)
    log_in(page, "handlaggare")
    header = page.locator("header")
    expect(header).to_contain_text("Falun")
    expect(header).to_contain_text("Ansvarig handläggare")
    expect(header.get_by_role("link", name="Arbetslista")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Arbetslista")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(header.get_by_role("link", name="Worklist")).to_be_visible()
    page.get_by_role("button", name="Svenska").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
