"""Every demo role lands on its own start page after logging in and at "/": the parties' staff on
their worklist, finance on the invoice basis, the analyst on the follow-up, the administrator on
its administration (API keys) — never on a 403 nor on an empty worklist (a region has none).
The identity provider's sign-in lands the same way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from utskrivning.organisations.demo import DEMO_PASSWORD
from utskrivning.organisations.models import Membership, StaffIdentity
from utskrivning.service.commands import seed_demo, seed_episodes

from .test_oidc import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORKLIST = (r"^/$", "Arbetslista")
# Where each role begins its day, and the heading it reads there.
STARTS = {
    "sjukskoterska": WORKLIST,
    "lakare": WORKLIST,
    "verksamhetschef": WORKLIST,
    "vardkontakt": WORKLIST,
    "handlaggare": WORKLIST,
    "ekonom": (r"^/invoices/", "Fakturaunderlag"),
    "kommunekonom": (r"^/invoices/2080/[0-9]{4}-[0-9]{2}/$", "Fakturaunderlag"),
    "analytiker": (r"^/followup/$", "Uppföljning"),
    "administrator": (r"^/accounts/api-keys/$", "API-nycklar"),
}


def _path(page) -> str:
    return page.evaluate("location.pathname")


def _landed_on(page, username: str, status: int) -> None:
    pattern, heading = STARTS[username]
    assert status == 200, (username, _path(page), status)
    assert re.search(pattern, _path(page)), (username, _path(page))
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    # Not an empty worklist: the parties' lists have rows in the demo, other starts their content.
    if (pattern, heading) == WORKLIST:
        expect(page.locator("table.worklist tbody tr").first).to_be_visible()


def test_each_role_lands_on_its_own_start_page_after_login_and_at_the_root(browser, live_server):
    seed_demo()
    seed_episodes(count=30)
    for username in STARTS:
        context = browser.new_context(base_url=live_server.url, locale="sv-SE")
        page = context.new_page()
        page.set_default_timeout(30_000)  # the first page of a loaded machine can be slow
        _log_in_and_go_home(page, username)
        context.close()


def _log_in_and_go_home(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    with page.expect_navigation() as landing:
        page.get_by_role("button", name="Logga in").click()
    _landed_on(page, username, landing.value.status)
    root = page.goto("/")
    assert root is not None
    own = STARTS[username] == WORKLIST or username == "kommunekonom"  # a municipality's list
    if own:
        assert _path(page) == "/" and root.status == 200, (username, root.status)
        expect(page.locator("table.worklist tbody tr").first).to_be_visible()
    else:
        _landed_on(page, username, root.status)
    offered = page.locator("nav.site-nav a").evaluate_all("as => as.map(a => a.pathname)")
    assert ("/" in offered) == own, (username, offered)


def test_the_administrator_signing_in_through_the_provider_lands_on_its_start_page(
    page, oidc_settings
):
    seed_demo()
    page.set_default_timeout(30_000)
    administrator = Membership.objects.get(user__username="administrator").user
    StaffIdentity.objects.create(user=administrator, hsa_id="SE2321000032-ADM001")
    with page.expect_navigation(url=re.compile(r"/accounts/api-keys/$")) as landing:
        sign_in(page, oidc_settings, "SE2321000032-ADM001", name="Adam Administratör")
    _landed_on(page, "administrator", landing.value.status)
