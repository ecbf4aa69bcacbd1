"""Each role's day through the UI, one walk on the demo (issue 11, "Done means"): the ward's morning
worklist, an admission with an estimated date, a note to the municipality, the case officer reading
it and acknowledging the admission notice, readiness, the named care contact, the SIP summoned and
held, the discharge confirmed with its time; then the region's finance approving a month, the
municipality's finance questioning it and the region answering.

Every page visited is checked at 1280 and 390 px by the accessibility walk's checks (axe-core,
no sideways scroll on a phone), holds no English a Swedish reader would see (tests/web's net),
and names in its title the patient, municipality or month it is about.
Screenshots of each go to build/screenshots/day-<nn>-<role>-<page>-<width>.png, to be looked at.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from utskrivning.episodes.models import Episode
from utskrivning.organisations.models import Kind, Membership, Organisation
from utskrivning.service.commands import seed_demo, seed_episodes
from web.untranslated import untranslated

from .test_process import step

# The accessibility walk's checks (axe-core, no sideways scroll, the title's suffix) are reused.
accessibility = pytest.importorskip("browser.test_accessibility", reason="not landed yet")
Walk, WIDTHS = accessibility.Walk, accessibility.WIDTHS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("build/screenshots")
PATIENT, PERSONNUMMER = "Tolvan Tolvansson", "19121212-1212"


@pytest.fixture
def demo() -> tuple[str, str]:
    """The demo region with a few dozen episodes: the last month Falun had a discharge in, and
    the demo's vårdcentral (its head's and its care contact's)."""
    seed_demo()
    seed_episodes(count=30)
    falun = Organisation.objects.get(kind=Kind.MUNICIPALITY, municipality_code="2080")
    last = (
        Episode.objects.filter(home_municipality=falun, discharged_at__lt=_month_start())
        .order_by("-discharged_at")
        .first()
    )
    assert last is not None
    unit = Membership.objects.get(user__username="verksamhetschef").organisation
    return timezone.localtime(last.discharged_at).strftime("%Y-%m"), str(unit.pk)


def _month_start():
    return timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)


class Day:
    """The walkers, one per login, and the pages they have looked at, numbered."""

    def __init__(self, browser, base_url: str) -> None:
        self.browser, self.base_url = browser, base_url
        self.walks: dict[str, Walk] = {}
        self.looked = 0
        SHOTS.mkdir(parents=True, exist_ok=True)

    def as_(self, username: str):
        if username not in self.walks:
            walk = Walk(self.browser, self.base_url, WIDTHS[0], username)
            walk.log_in(username)
            self.walks[username] = walk
        return self.walks[username].page

    def look(self, username: str, name: str, *, title: str = "") -> None:
        """The page as it is now, at each width: the walk's checks, Swedish, its title."""
        walk = self.walks[username]
        self.looked += 1
        for width in WIDTHS:
            walk.width = width
            walk.page.set_viewport_size({"width": width, "height": 900})
            walk.check(f"{username}: {name} ({walk.page.url})")
            assert untranslated(walk.page.content()) == [], (username, name)
            assert title in walk.page.title(), (username, name, walk.page.title())
            shot = SHOTS / f"day-{self.looked:02d}-{username}-{name}-{width}.png"
            walk.page.screenshot(path=shot, full_page=True)
        walk.width = WIDTHS[0]
        walk.page.set_viewport_size({"width": WIDTHS[0], "height": 900})

    def close(self) -> None:
        for walk in self.walks.values():
            # A request still served while the test's data is flushed would write into the flush.
            walk.page.wait_for_load_state("networkidle")
            walk.close()


@pytest.fixture
def day(browser, live_server):
    day = Day(browser, live_server.url)
    yield day
    day.close()


def test_each_role_s_day(demo, day):
    month, unit = demo
    today = timezone.localdate()
    first, moved = today + timedelta(days=4), today + timedelta(days=6)
    sip = (timezone.localtime() + timedelta(days=1)).replace(hour=13, minute=30)

    # The ward's morning: the worklist, then an admission with an estimated date.
    nurse = day.as_("sjukskoterska")
    expect(nurse.get_by_role("heading", name="Arbetslista")).to_be_visible()
    day.look("sjukskoterska", "worklist")
    nurse.get_by_role("link", name="Skriv in en patient").click()
    day.look("sjukskoterska", "admit")
    nurse.get_by_label("Personnummer").fill(PERSONNUMMER)
    nurse.get_by_label("Namn").fill(PATIENT)
    nurse.get_by_label("Hemkommun").select_option("2080")
    nurse.get_by_label("Vårdcentral").select_option(unit)
    nurse.get_by_label("Beräknat utskrivningsdatum").fill(first.isoformat())
    nurse.get_by_role("button", name="Skriv in").click()
    expect(nurse.locator("#planning")).to_contain_text(first.isoformat())
    episode = nurse.url
    step(nurse, "admission_notice_sent", estimated_discharge=first.isoformat())
    step(nurse, "estimated_discharge_changed", estimated_discharge=moved.isoformat())
    notes = nurse.locator("#notes")
    notes.get_by_text("Meddelanden mellan parterna").click()  # folded: none awaits a receipt
    notes.get_by_label("Kommun").check()
    notes.get_by_label("Meddelande").fill("Dottern vill vara med på SIP, ring henne först.")
    notes.get_by_role("button", name="Skicka meddelandet").click()
    expect(nurse.locator("#notes .receipt.unread")).to_contain_text("Ännu inte läst av")
    day.look("sjukskoterska", "episode-admitted", title=PATIENT)

    # The municipality's case officer: the worklist, the note read, the notice acknowledged.
    officer = day.as_("handlaggare")
    expect(officer.get_by_role("link", name=PATIENT).first).to_be_visible()
    day.look("handlaggare", "worklist")
    officer.get_by_role("link", name=PATIENT).first.click()
    note = officer.locator("#notes .note").first
    expect(note).to_contain_text("Dottern vill vara med på SIP")
    note.get_by_role("button", name="Markera som läst").click()
    expect(officer.locator(".messages")).to_contain_text("Meddelandet är markerat som läst.")
    step(officer, "acknowledged")
    record = officer.locator("#planning")
    expect(record).to_contain_text(moved.isoformat())
    expect(record).to_contain_text("flyttat 1 gång")
    record.get_by_text("Datumets historik").click()
    expect(record.locator(".estimates li")).to_have_count(2)
    day.look("handlaggare", "episode-acknowledged", title=PATIENT)

    # The physician declares the patient ready; primary care names the contact and the SIP.
    physician = day.as_("lakare")
    physician.goto(episode)
    expect(physician.locator("#notes .receipt.read")).to_contain_text("Läst av")
    step(physician, "ready_declared")
    day.look("lakare", "episode-ready", title=PATIENT)
    head = day.as_("verksamhetschef")
    head.goto(episode)
    step(
        head, "named_contact_appointed", contact_name="Karin Lind",
        contact_title="Distriktssköterska", contact_phone="023-49 00 00",
    )  # fmt: skip
    day.look("verksamhetschef", "episode-contact", title=PATIENT)
    contact = day.as_("vardkontakt")
    day.look("vardkontakt", "worklist")
    contact.goto(episode)
    step(contact, "consent_recorded")
    step(
        contact, "sip_summoned", sip_starts_at=sip.strftime("%Y-%m-%dT%H:%M"),
        sip_place="Vårdcentralen, rum 3",
    )  # fmt: skip
    expect(contact.locator("#planning .sip")).to_contain_text("13:30, Vårdcentralen, rum 3")
    day.look("vardkontakt", "episode-sip-summoned", title=PATIENT)
    step(contact, "sip_held")

    # The ward discharges: the notice with its planned time, then the discharge confirmed.
    nurse.goto(episode)
    step(nurse, "discharge_notice_sent", planned_discharge=sip.strftime("%Y-%m-%dT%H:%M"))
    form = nurse.locator('form[data-event="discharged"]')
    expect(form.get_by_label(f"Ja, skriv ut {PATIENT}")).to_be_visible()
    expect(form.get_by_label("Tidpunkt", exact=True)).to_have_value(
        re.compile(rf"^{timezone.localdate().isoformat()} [0-9]{{2}}:[0-9]{{2}}$")
    )
    day.look("sjukskoterska", "episode-discharge-form", title=PATIENT)
    step(nurse, "discharged")
    expect(nurse.locator(".state")).to_have_text("Utskriven")
    day.look("sjukskoterska", "episode-discharged", title=PATIENT)

    # Finance: the region approves Falun's month; Falun questions it; the region answers.
    basis = f"/invoices/2080/{month}/"
    region = day.as_("ekonom")
    region.get_by_role("link", name="Fakturaunderlag").click()
    day.look("ekonom", "invoices")
    region.goto(basis)
    day.look("ekonom", "basis", title=f"Falun {month}")
    region.get_by_role("button", name="Fastställ underlaget").click()
    expect(region.locator("#approval")).to_contain_text("Fastställt")
    day.look("ekonom", "basis-approved", title=month)

    municipality = day.as_("kommunekonom")
    municipality.goto(basis)
    line = municipality.locator("tr.episode-line").first
    line.get_by_text("Ifrågasätt raden").click()
    line.get_by_label("Vad som ifrågasätts").fill("Stämmer antalet dagar?")
    line.get_by_role("button", name="Fråga").click()
    expect(municipality.locator("#result")).to_contain_text("Frågan är skickad till regionen")
    day.look("kommunekonom", "basis-disputed", title=month)

    region.get_by_role("link", name="Ifrågasättanden").click()
    day.look("ekonom", "disputes")
    answer = region.locator("form.answer").first
    answer.get_by_label("Svar").fill("Dagarna stämmer med journalen.")
    answer.get_by_label("Avslaget", exact=True).check()
    answer.get_by_role("button", name="Skicka svaret").click()
    expect(region.locator("#result")).to_contain_text("Svaret är registrerat")
    day.look("ekonom", "disputes-answered")
    municipality.goto(basis)
    expect(municipality.locator("article.dispute")).to_contain_text("Dagarna stämmer")
    day.look("kommunekonom", "basis-answered", title=month)
