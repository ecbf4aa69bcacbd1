"""The planning record and the notes between the parties through the UI (issue 11 items 1-2).

The ward admits with an estimated date and moves it (the record says who, when, how often); the
vårdcentral's head appoints the named care contact as a person; the contact summons the SIP with
its time and place; the ward writes to the municipality, which reads it, and the ward sees the
receipt. Each party's page is photographed at 1280 and 390 px, and never scrolls sideways.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .test_process import TOLVAN, as_user, cast, step  # noqa: F401 (the fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def photograph(page, path, name: str) -> None:
    """The page at a desktop's width and a phone's, for a person to look at; the record and the
    notes fit the screen (the whole page's width is the design's walk, tests/browser)."""
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=path / f"{name}-{width}.png", full_page=True)
        for section in ("#planning", "#notes"):
            right = page.evaluate(
                f"document.querySelector('{section}').getBoundingClientRect().right"
            )
            wide = page.evaluate(f"document.querySelector('{section}').scrollWidth")
            assert right <= width and wide <= width, (name, section, width, right, wide)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_planning_record_and_a_note_read_by_the_municipality(cast, as_user, tmp_path):  # noqa: F811
    today = timezone.localdate()
    first, moved = today + timedelta(days=3), today + timedelta(days=6)
    sip = (timezone.localtime() + timedelta(days=2)).replace(hour=13, minute=30)

    ward = as_user("lakare")
    ward.get_by_role("link", name="Skriv in en patient").click()
    ward.get_by_label("Personnummer").fill(TOLVAN)
    ward.get_by_label("Namn").fill("Tolvan Tolvansson")
    ward.get_by_label("Hemkommun").select_option("2080")
    ward.get_by_label("Vårdcentral").select_option(str(cast["vardcentral"].pk))
    ward.get_by_label("Beräknat utskrivningsdatum").fill(first.isoformat())
    ward.get_by_role("button", name="Skriv in").click()
    record = ward.locator("#planning")
    expect(record).to_contain_text("19121212-1212")
    expect(record).to_contain_text(first.isoformat())
    episode_url = ward.url
    step(ward, "admission_notice_sent", estimated_discharge=first.isoformat())
    step(ward, "estimated_discharge_changed", estimated_discharge=moved.isoformat())
    expect(record).to_contain_text("flyttat 1 gång")
    record.get_by_text("Datumets historik").click()
    history = record.locator(".estimates li")
    expect(history).to_have_count(2)
    expect(history.nth(1)).to_contain_text(f"{moved.isoformat()} – angivet")
    expect(history.nth(1)).to_contain_text("(Medicinavdelning 12)")
    photograph(ward, tmp_path, "1-ward-estimate-moved")

    head = as_user("verksamhetschef")
    head.goto(episode_url)
    step(
        head, "named_contact_appointed", contact_name="Karin Lind",
        contact_title="Distriktssköterska", contact_phone="023-49 00 00",
    )  # fmt: skip
    expect(head.locator("#planning .care-contact")).to_contain_text(
        "Karin Lind, Distriktssköterska, Vårdcentral Britsarvet"
    )

    contact = as_user("vardkontakt")
    contact.goto(episode_url)
    step(contact, "consent_recorded")
    step(
        contact, "sip_summoned", sip_starts_at=sip.strftime("%Y-%m-%dT%H:%M"),
        sip_place="Vårdcentral Britsarvet, rum 3",
    )  # fmt: skip
    expect(contact.locator("#planning .sip")).to_contain_text(
        f"{sip:%Y-%m-%d} 13:30, Vårdcentral Britsarvet, rum 3"
    )

    ward.goto(episode_url)
    notes = ward.locator("#notes")
    notes.get_by_text("Meddelanden mellan parterna").click()  # folded: none awaits a receipt
    notes.get_by_label("Kommun").check()
    notes.get_by_label("Meddelande").fill("Dottern vill vara med på SIP, ring henne först.")
    notes.get_by_role("button", name="Skicka meddelandet").click()
    expect(ward.locator(".messages")).to_contain_text("Meddelandet har skickats.")
    expect(ward.locator("#notes .receipt.unread")).to_contain_text("Ännu inte läst av")

    municipality = as_user("handlaggare")
    municipality.goto(episode_url)
    note = municipality.locator("#notes .note").first
    expect(note).to_contain_text("Dottern vill vara med på SIP")
    expect(municipality.locator("#planning")).to_contain_text("Karin Lind")  # every party reads it
    photograph(municipality, tmp_path, "2-municipality-unread")
    note.get_by_role("button", name="Markera som läst").click()
    expect(municipality.locator(".messages")).to_contain_text("Meddelandet är markerat som läst.")

    ward.reload()
    expect(ward.locator("#notes .receipt.read")).to_contain_text("Läst av")
    expect(ward.locator(".timeline")).to_contain_text("Meddelande: till")
    photograph(ward, tmp_path, "3-ward-receipt")
