"""Every page of the service, as each demo role sees it, at 1280 px and at 390 px: axe-core finds no
serious or critical violation, and on a phone nothing scrolls sideways (the page is no wider than
the screen; a table too wide to stack scrolls inside its own box).

The pages are the demo's (`utskrivning demo`: its region, logins and a few dozen episodes in every
state) with a dispute and an API key added. Each role's pages are its navigation's links (they
follow its permissions) and what they lead to: an episode from the worklist, the admission form,
an invoice basis with lines. UTSKRIVNING_SCREENSHOTS=DIR keeps a screenshot of each, to look at.

The demo is seeded once for the module (seeding takes longer than a role's walk) and the walks only
read it, so each role and the pages around them are subtests of one test, each reported on its own;
each page is loaded once and checked at both widths by resizing (the pages' layout is CSS alone).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.urls import path
from django.utils import timezone

from service.factories import PASSWORD, MembershipFactory
from utskrivning.episodes.models import Episode
from utskrivning.organisations.api_keys import api_key_issue
from utskrivning.organisations.demo import DEMO_PASSWORD
from utskrivning.organisations.models import Kind, Membership, Organisation
from utskrivning.organisations.permissions import Data
from utskrivning.payment.services import dispute_open
from utskrivning.service import routes
from utskrivning.service.commands import seed_demo, seed_episodes, worker_pass
from utskrivning.service.urls import urlpatterns as service_urls

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
WIDTHS = (1280, 390)
SHOTS = os.environ.get("UTSKRIVNING_SCREENSHOTS")


def crash(request):
    raise RuntimeError("a fault, to show the 500 page")


# The service's routes and one that fails, for the 500 page.
urlpatterns = [path("krasch/", crash), *service_urls]
handler403 = "utskrivning.service.errors.permission_denied"
handler404 = "utskrivning.service.errors.page_not_found"
handler500 = "utskrivning.service.errors.server_error"


@pytest.fixture
def demo(settings, monkeypatch) -> str:
    """The demo region; returns the month of Falun's invoice basis that has lines."""
    settings.ROOT_URLCONF = __name__
    monkeypatch.setitem(routes.ROUTE_DATA, "krasch/", Data.NONE)
    seed_demo()
    seed_episodes(count=40)
    worker_pass()
    falun = Organisation.objects.get(kind=Kind.MUNICIPALITY, municipality_code="2080")
    discharged = (
        Episode.objects.filter(home_municipality=falun, discharged_at__isnull=False)
        .order_by("-discharged_at")
        .first()
    )
    assert discharged is not None
    month = timezone.localtime(discharged.discharged_at).strftime("%Y-%m")
    finance = Membership.objects.get(user__username="kommunekonom")
    dispute_open(membership=finance, month=month, text="Stämmer antalet dagar i november?")
    administrator = Membership.objects.get(user__username="administrator")
    api_key_issue(membership=administrator, name="Journalsystemet", issued_by=administrator)
    # One user in two organisations chooses which to act for.
    twice = MembershipFactory(user__username="tvahattar", organisation=falun)
    MembershipFactory(user=twice.user, organisation=administrator.organisation)
    return month


class Walk:
    """A browser at one width, logged in as one user, checking each page it opens."""

    def __init__(self, browser, base_url: str, width: int, name: str) -> None:
        self.context = browser.new_context(
            base_url=base_url, locale="sv-SE", viewport={"width": width, "height": 900}
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.width, self.name = width, name
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.seen: list[str] = []

    def log_in(self, username: str, password: str = DEMO_PASSWORD) -> None:
        self.page.goto("/accounts/login/")
        self.page.get_by_label("Användarnamn").fill(username)
        self.page.get_by_label("Lösenord").fill(password)
        self.page.get_by_role("button", name="Logga in").click()
        self.page.wait_for_load_state()

    def visit(self, url: str, status: int = 200) -> None:
        response = self.page.goto(url)
        assert response is not None and response.status == status, (url, response)
        self.check_widths(url)

    def check_widths(self, url: str) -> None:
        """The page as loaded, checked at each width in turn, then back at the walk's own."""
        own = self.width
        for width in WIDTHS:
            self.width = width
            self.page.set_viewport_size({"width": width, "height": 900})
            self.check(url)
        self.width = own
        self.page.set_viewport_size({"width": own, "height": 900})

    def check(self, url: str) -> None:
        page = self.page
        page.wait_for_load_state("networkidle")
        title = page.title()
        assert title.endswith(" – Samverkan vid utskrivning"), (url, title)
        page.evaluate(AXE)
        found = page.evaluate(
            """() => axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations
                .filter(v => v.impact === "serious" || v.impact === "critical")
                .map(v => [v.id, v.impact, v.nodes.slice(0, 3).map(n => n.target.join(" "))]))"""
        )
        assert found == [], (url, self.width, found)
        if self.width < 600:
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= self.width, (url, f"{wide} px wide at {self.width} px")
        self.seen.append(url)
        if SHOTS:
            slug = re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "start"
            page.screenshot(path=f"{SHOTS}/{self.name}-{slug}-{self.width}.png", full_page=True)

    def nav_links(self) -> list[str]:
        """The header's links: the navigation, what is new, the notification settings."""
        self.page.goto("/accounts/organisation/")  # every role may open it; "/" is the worklist
        links = self.page.locator("nav.site-nav a, header .account a").evaluate_all(
            "as => as.map(a => a.pathname)"
        )
        return [link for link in dict.fromkeys(links) if not link.startswith("/admin/")]

    def close(self) -> None:
        self.context.close()
        # The error pages' own statuses reach the console as failed loads; nothing else may.
        unexpected = [e for e in self.errors if "the server responded with a status of" not in e]
        assert unexpected == [], unexpected


ROLES = [
    "sjukskoterska",
    "lakare",
    "verksamhetschef",
    "vardkontakt",
    "handlaggare",
    "ekonom",
    "kommunekonom",
    "analytiker",
    "administrator",
]


def test_every_page_passes_axe_and_fits_the_screen(browser, live_server, demo, subtests):
    for username in ROLES:
        with subtests.test(role=username):
            _walk_the_role(browser, live_server.url, demo, username)
    with subtests.test("the pages around the roles: login, choosing, the error pages"):
        _walk_around_the_roles(browser, live_server.url)


def _walk_the_role(browser, base_url: str, month: str, username: str) -> None:
    walk = Walk(browser, base_url, WIDTHS[0], username)
    walk.log_in(username)
    for link in walk.nav_links():
        walk.visit(link)
        if link == "/":
            episode = walk.page.locator("main a[href^='/episodes/']:not([href$='/new/'])")
            if episode.count():
                walk.visit(episode.first.get_attribute("href"))
            walk.visit("/")
            if walk.page.locator("main a[href='/episodes/new/']").count():
                walk.visit("/episodes/new/")
        if link == "/invoices/":
            walk.visit(f"/invoices/2080/{month}/")
            assert walk.page.locator("tr.episode-line").count() > 0
    walk.visit("/accounts/organisation/")
    walk.close()
    assert len(walk.seen) >= 3 * len(WIDTHS), walk.seen


def _walk_around_the_roles(browser, base_url: str) -> None:
    """Login, choosing an organisation, and the Swedish error pages."""
    walk = Walk(browser, base_url, WIDTHS[0], "ovriga")
    walk.visit("/accounts/login/")
    walk.visit("/finns-inte/", status=404)
    walk.visit("/krasch/", status=500)
    walk.log_in("tvahattar", PASSWORD)
    walk.check_widths("/accounts/organisation/ (chooser)")
    assert walk.page.get_by_role("heading", level=1).inner_text() == "Välj organisation"
    walk.log_in("sjukskoterska")
    walk.visit("/invoices/", status=403)
    walk.close()
