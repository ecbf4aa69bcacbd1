"""The ward's morning worklist in a browser, at 1280 and 390 px, on the demo seeded relative to
now: the counters say what the database counts, a counter and a filter narrow the list, a
search finds a patient, and other parties' deadlines appear only behind the toggle.
Screenshots go to build/screenshots/worklist-<width>-<step>.png, to be looked at.

The demo is seeded once and only read (the filters are the address's), so each width is a subtest
of one test rather than a test seeding it again."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from utskrivning.episodes.demo import seed_demo_episodes
from utskrivning.episodes.worklist import worklist_summary
from utskrivning.organisations.models import Membership
from utskrivning.service.commands import seed_demo

from .test_process import (
    PASSWORD,
    as_user,  # noqa: F401  (the fixture: a logged-in page per user)
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("build/screenshots")


@pytest.fixture
def ward():
    """The demo's ward, whose nurse logs in."""
    seed_demo()
    seed_demo_episodes(count=90, now=timezone.now())
    nurse = Membership.objects.get(user__username="sjukskoterska")
    nurse.user.set_password(PASSWORD)  # the fixture's, not the demo's
    nurse.user.save()
    return nurse.organisation


def test_the_ward_s_morning_worklist(ward, as_user, subtests):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        with subtests.test(width=width):
            morning = worklist_summary(organisation=ward, now=timezone.now())
            _walk_the_morning(morning, as_user("sjukskoterska"), width)


def _walk_the_morning(morning, page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/")

    def shot(step: str) -> None:
        page.screenshot(path=SHOTS / f"worklist-{width}-{step}.png", full_page=True)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{step}: {scroll} px wide at {width}"

    counters = page.get_by_role("list", name=re.compile(r"^i ?dag$", re.IGNORECASE))
    expect(counters).to_contain_text(f"{morning.overdue} försenade")
    expect(counters).to_contain_text(f"{morning.due_today} förfaller i dag")
    expect(counters).to_contain_text(f"{morning.needs_action} väntar på oss")
    rows = page.locator("table.worklist > tbody > tr")
    expect(rows).to_have_count(morning.total)
    shot("morning")

    counters.get_by_role("link", name="väntar på oss").click()
    expect(rows).to_have_count(morning.needs_action)

    page.get_by_label("Status").select_option("notified")
    page.get_by_role("button", name="Visa").click()
    for state in rows.locator("td:nth-child(3)").all_inner_texts():
        assert state.strip() == "Inskrivningsmeddelande skickat"
    shot("filtered")

    page.get_by_role("link", name="Rensa filtren").click()
    name = rows.first.locator("td").first.locator("a").inner_text()
    page.get_by_label("Namn eller personnummer").fill(name.split()[0])
    page.get_by_role("button", name="Visa").click()
    expect(rows.first).to_contain_text(name.split()[0])
    assert all(name.split()[0] in text for text in rows.locator("td:first-child").all_inner_texts())
    shot("search")

    page.get_by_role("link", name="Rensa filtren").click()
    expect(page.locator("li.other")).to_have_count(0)
    page.get_by_label("Visa andra parters tidsfrister").check()
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_label("Visa andra parters tidsfrister")).to_be_checked()
    assert page.locator("li.other").count() > 0
    shot("others")
