"""Closed months through the UI (issue 16): the region's finance approves Falun's March; a late
file changes what March comes to; March still shows what was approved and April carries the
difference as a correction line. The basis page fits a 390 px screen without sideways scrolling.

The amounts are the hand-worked case of tests/payment/test_closed_months.py (Dalarna §11).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from payment.test_closed_months import FILE, LATE  # the hand-worked case
from service.factories import (
    HospitalFactory,
    MembershipFactory,
    MunicipalityFactory,
    RegionFactory,
    WardFactory,
)
from utskrivning.imports.services import import_episode_file
from utskrivning.organisations.models import Role

from .test_process import as_user  # noqa: F401  (the fixture: a logged-in page per user)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARCH, APRIL = "/invoices/2080/2020-03/", "/invoices/2080/2020-04/"


@pytest.fixture
def region():
    region = RegionFactory(name="Region Dalarna")
    WardFactory(name="Avdelning 12", parent=HospitalFactory(parent=region))
    falun = MunicipalityFactory(municipality_code="2080", name="Falun", parent=region)
    MembershipFactory(user__username="ekonom-falun", organisation=falun, role=Role.FINANCE)
    MembershipFactory(user__username="ekonom-regionen", organisation=region, role=Role.FINANCE)
    import_episode_file(data=FILE.encode(), region=region, actor=None)
    return region


def test_an_approved_month_stands_and_the_next_open_month_carries_the_difference(
    region,
    as_user,  # noqa: F811
    tmp_path,
):
    finance = as_user("ekonom-regionen")
    finance.goto(MARCH)
    expect(finance.locator(".total-amount")).to_have_text("90 200 kr")
    expect(finance.locator("tr.average-line")).to_contain_text("Genomsnittsdel")
    finance.get_by_role("button", name="Fastställ underlaget (90 200 kr)").click()
    expect(finance.locator("#approval")).to_contain_text("Fastställt")
    finance.screenshot(path=tmp_path / "march-approved.png", full_page=True)

    import_episode_file(data=LATE.encode(), region=region, actor=None)
    finance.goto(MARCH)
    expect(finance.locator(".total-amount")).to_have_text("90 200 kr")
    expect(finance.locator(".changed-since-approval")).to_contain_text("16 400 kr")

    municipality = as_user("ekonom-falun")
    municipality.goto(APRIL)
    correction = municipality.locator('tr.correction-line[data-month="2020-03"]')
    expect(correction).to_contain_text("16 400 kr")
    expect(municipality.locator(".total-amount")).to_have_text("16 400 kr")
    expect(municipality.get_by_role("button", name="Öppna månaden igen")).to_have_count(0)
    municipality.screenshot(path=tmp_path / "april-correction.png", full_page=True)

    municipality.set_viewport_size({"width": 390, "height": 844})
    municipality.goto(MARCH)
    wide = municipality.evaluate(
        """[...document.querySelectorAll('body *')]
             .filter(e => e.getBoundingClientRect().right > 392 && !e.closest('.table-scroll'))
             .map(e => e.tagName + '.' + e.className).slice(0, 15)"""
    )
    assert municipality.evaluate("document.documentElement.scrollWidth") <= 390, (
        wide
    )  # what sticks out
    municipality.screenshot(path=tmp_path / "march-390.png", full_page=True)


def test_the_lines_fit_the_page_at_1280_and_390(region, as_user):  # noqa: F811
    """The lines table was 1 422 px wide in a 1 280 px window, its reason and disputes out of
    sight behind a scroll bar. Folded into eight columns it fits its column of the page; on a
    phone each line is a card. Neither the page nor the table scrolls sideways."""
    municipality = as_user("ekonom-falun")
    for width in (1280, 390):
        municipality.set_viewport_size({"width": width, "height": 900})
        municipality.goto(MARCH)
        table = municipality.locator("table.invoice-lines")
        sizes = table.evaluate(
            "t => [t.getBoundingClientRect().width, t.parentElement.clientWidth,"
            " t.parentElement.scrollWidth, document.documentElement.scrollWidth]"
        )
        table_width, room, scrolled, page_width = sizes
        assert table_width <= room and scrolled <= room, (width, sizes)
        assert page_width <= width, (width, sizes)
        expect(table.locator("caption")).to_contain_text("Fakturaunderlagets rader, Falun 2020-03")
        # Nothing of a line is folded away: the personnummer and the three dates are there.
        line = municipality.locator("tr.episode-line").first
        expect(line.locator(".pnr")).to_have_text(re.compile(r"^[0-9]{8}-[0-9]{4}$"))
        expect(line.locator(".line-dates dt")).to_have_text(
            ["Inskriven", "Utskrivningsklar", "Utskriven"]
        )


def test_a_month_is_typed_as_a_swede_writes_it_whatever_the_browser(region, as_user):  # noqa: F811
    """Chromium draws a month or date input in its own language, not the page's: a Swedish
    page showed "mm/dd/yyyy" and "--------- ----". The field is text with ÅÅÅÅ-MM beside it."""
    finance = as_user("ekonom-regionen")
    finance.goto(MARCH)
    month = finance.get_by_label("Månad", exact=True)
    expect(month).to_have_attribute("type", "text")
    expect(month).to_have_value("2020-03")
    expect(month).to_have_accessible_description("ÅÅÅÅ-MM")
    expect(
        finance.locator("input[type=month], input[type=date], input[type=datetime-local]")
    ).to_have_count(0)
    month.fill("2020-04")
    finance.get_by_role("button", name="Visa").click()
    expect(finance).to_have_url(re.compile(r"/invoices/2080/2020-04/$"))
