"""Django's messages in daily use: shown once, where the user looks, in a live region a screen
reader announces. An htmx action after a plain one takes the previous message off the screen;
none comes back on the next page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .test_process import TOLVAN, as_user, cast, step  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admission_message_leaves_with_the_next_action_and_does_not_come_back(
    cast,  # noqa: F811
    as_user,  # noqa: F811
):
    ward = as_user("lakare")
    region = ward.locator("#messages")
    expect(region).to_have_attribute("role", "status")
    expect(region).to_have_attribute("aria-live", "polite")
    expect(region.locator(".message")).to_have_count(0)

    ward.get_by_role("link", name="Skriv in en patient").click()
    ward.get_by_label("Personnummer").fill(TOLVAN)
    ward.get_by_label("Namn").fill("Tolvan Tolvansson")
    ward.get_by_label("Hemkommun").select_option("2080")
    ward.get_by_label("Vårdcentral").select_option(str(cast["vardcentral"].pk))
    ward.get_by_role("button", name="Skriv in").click()
    expect(region.locator(".message")).to_have_text(["Patienten är inskriven."])

    estimated = (timezone.localdate() + timedelta(days=3)).isoformat()
    step(ward, "admission_notice_sent", estimated_discharge=estimated)
    # The action's own receipt is where the focus went; the admission's message is gone.
    expect(ward.locator("#result .met")).to_be_visible()
    expect(region).to_be_attached()
    expect(region.locator(".message")).to_have_count(0)

    ward.reload()
    expect(ward.locator("#messages .message")).to_have_count(0)
    ward.goto("/")
    expect(ward.get_by_role("heading", level=1)).to_contain_text("Arbetslista")
    expect(ward.locator("#messages .message")).to_have_count(0)
