"""Closed months through the UI (issue 16): the region's finance approves Falun's March; a late
file changes what March comes to; March still shows what was approved and April carries the
difference as a correction line. The basis page fits a 390 px screen without sideways scrolling.

The amounts are the hand-worked case of tests/payment/test_closed_months.py (Dalarna §11).
"""

from __future__ import annotations

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
