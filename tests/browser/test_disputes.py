"""A dispute through the UI (Dalarna §11): the municipality's finance questions an episode line of
its invoice basis, the region's finance answers `corrected` with a later readiness time, and the
municipality then sees the corrected amount beside the original one.

The amounts are the hand-worked case of tests/payment/test_corrections.py.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from payment.test_corrections import EPISODES  # the hand-worked case
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

BASIS = "/invoices/2080/2020-03/"


@pytest.fixture
def cast():
    region = RegionFactory(name="Region Dalarna")
    WardFactory(name="Medicinavdelning 12", parent=HospitalFactory(parent=region))
    falun = MunicipalityFactory(municipality_code="2080", parent=region)
    MembershipFactory(user__username="ekonom-falun", organisation=falun, role=Role.FINANCE)
    MembershipFactory(user__username="ekonom-regionen", organisation=region, role=Role.FINANCE)
    import_episode_file(data=EPISODES.encode(), region=region, actor=None)


def test_a_disputed_line_is_corrected_by_the_region(cast, as_user):  # noqa: F811
    municipality = as_user("ekonom-falun")
    municipality.goto(BASIS)
    line = municipality.locator('tr.episode-line[data-episode="E1"]')
    line.get_by_text("Ifrågasätt raden").click()
    line.get_by_label("Vad som ifrågasätts").fill("Patienten var utskrivningsklar först 10 mars.")
    line.get_by_role("button", name="Fråga").click()
    expect(municipality.locator("#result")).to_contain_text("Frågan är skickad till regionen")
    expect(municipality.locator("article.dispute")).to_contain_text("Öppet")

    region = as_user("ekonom-regionen")
    region.get_by_role("link", name="Ifrågasättanden").click()
    answer = region.locator("form.answer")
    answer.get_by_label("Svar").fill("Journalen visar utskrivningsklar 10 mars kl. 10.")
    answer.get_by_label("Korrigerat", exact=True).check()
    answer.get_by_label("Korrigering", exact=True).select_option("ready_at")
    answer.get_by_label("Korrigerad tidpunkt för utskrivningsklar").fill("2020-03-10T10:00")
    answer.get_by_role("button", name="Skicka svaret").click()
    expect(region.locator("#result")).to_contain_text("Svaret är registrerat")
    expect(region.locator("form.answer")).to_have_count(0)

    municipality.goto(BASIS)
    expect(municipality.locator(".original-amount")).to_have_text("114 800 kr")
    expect(municipality.locator(".corrected-amount")).to_have_text("57 400 kr")
    expect(municipality.locator("article.dispute .outcome")).to_have_text("Korrigerat")
    expect(municipality.locator("article.dispute .correction")).to_contain_text("2020-03-10 10:00")
