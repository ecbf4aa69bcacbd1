"""The whole discharge process through the UI, as the three parties, ending on the invoice basis.

Ward physician: admits, sends the admission notice, declares ready; head of the vårdcentral:
appoints the named care contact; care contact: records consent and summons the SIP; the
municipality's case officer acknowledges; the ward sends the discharge notice, discharges and
closes; the municipality then finds the episode on its invoice basis for the month.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from service.factories import (
    PASSWORD,
    HospitalFactory,
    MembershipFactory,
    MunicipalityFactory,
    PrimaryCareFactory,
    RegionFactory,
    WardFactory,
)
from utskrivning.organisations.models import Role

pytest.importorskip("utskrivning.episodes.services", reason="the episodes app has not landed")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOLVAN = "19121212-1212"


@pytest.fixture
def cast():
    region = RegionFactory(name="Region Dalarna")
    ward = WardFactory(name="Medicinavdelning 12", parent=HospitalFactory(parent=region))
    vardcentral = PrimaryCareFactory(name="Vårdcentral Britsarvet", parent=region)
    falun = MunicipalityFactory(municipality_code="2080", parent=region)
    for username, organisation, role in [
        ("lakare", ward, Role.PHYSICIAN),
        ("verksamhetschef", vardcentral, Role.PRIMARY_CARE_HEAD),
        ("vardkontakt", vardcentral, Role.CARE_CONTACT),
        ("handlaggare", falun, Role.CASE_OFFICER),
        ("ekonom-falun", falun, Role.FINANCE),
    ]:
        MembershipFactory(user__username=username, organisation=organisation, role=role)
    return {"vardcentral": vardcentral}


@pytest.fixture
def as_user(browser, live_server):
    contexts = []
    errors: list[str] = []  # CSP violations and script errors reach the console

    def open_as(username: str):
        context = browser.new_context(base_url=live_server.url, locale="sv-SE")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto("/accounts/login/")
        page.get_by_label("Användarnamn").fill(username)
        page.get_by_label("Lösenord").fill(PASSWORD)
        page.get_by_role("button", name="Logga in").click()
        # Each role's own start page (web.start): the worklist, finance's invoice basis.
        expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
        return page

    yield open_as
    for context in contexts:
        context.close()
    assert errors == [], errors


def step(page, event: str, **fill: str) -> None:
    """Submit the episode page's action form for `event` (htmx) and wait for its receipt."""
    form = page.locator(f'form[data-event="{event}"]')
    for name, value in fill.items():
        form.locator(f'[name="{name}"]').fill(value)
    if form.locator('[name="confirm"]').count():
        form.locator('[name="confirm"]').check()
    form.get_by_role("button").click()
    # Focus moves to the swapped-in result (not <body>), so a screen reader reads it out.
    expect(page.locator("#result")).to_be_focused()
    expect(page.locator("#result .errors")).to_have_count(0)
    expect(page.locator("#result .met")).to_be_visible()


def test_the_whole_process_through_the_ui(cast, as_user):
    estimated = (timezone.localdate() + timedelta(days=3)).isoformat()
    soon = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")

    ward = as_user("lakare")
    ward.get_by_role("link", name="Skriv in en patient").click()
    ward.get_by_label("Personnummer").fill(TOLVAN)
    ward.get_by_label("Namn").fill("Tolvan Tolvansson")
    ward.get_by_label("Hemkommun").select_option("2080")
    ward.get_by_label("Vårdcentral").select_option(str(cast["vardcentral"].pk))
    ward.get_by_role("button", name="Skriv in").click()
    expect(ward.locator(".state")).to_have_text("Inskriven")
    episode_url = ward.url
    step(ward, "admission_notice_sent", estimated_discharge=estimated)
    expect(ward.locator(".state")).to_have_text("Inskrivningsmeddelande skickat")
    step(ward, "ready_declared")
    expect(ward.locator(".state")).to_have_text("Utskrivningsklar")

    head = as_user("verksamhetschef")
    expect(
        head.get_by_role("link", name="Tolvan Tolvansson").first
    ).to_be_visible()  # on the unit's worklist
    head.goto(episode_url)
    step(head, "named_contact_appointed", contact_name="Karin Lind", contact_phone="023-49 00 00")

    contact = as_user("vardkontakt")
    contact.goto(episode_url)
    step(contact, "consent_recorded")
    step(contact, "sip_summoned", sip_starts_at=soon, sip_place="Vårdcentralen, rum 3")

    municipality = as_user("handlaggare")
    expect(municipality.get_by_role("link", name="Tolvan Tolvansson").first).to_be_visible()
    municipality.goto(episode_url)
    step(municipality, "acknowledged")

    ward.goto(episode_url)
    step(ward, "discharge_notice_sent", planned_discharge=soon)
    step(ward, "discharged")
    step(ward, "closed")
    expect(ward.locator(".state")).to_have_text("Avslutad (UTFÖRD)")
    expect(ward.locator(".timeline li")).to_have_count(10)

    finance = as_user("ekonom-falun")  # the invoice basis is finance's, not the case officer's
    finance.get_by_role("link", name="Fakturaunderlag").click()
    expect(finance.get_by_role("heading", level=1)).to_contain_text("Fakturaunderlag")
    expect(finance.locator("tr.episode-line")).to_have_count(1)
