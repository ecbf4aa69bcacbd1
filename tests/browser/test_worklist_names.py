"""The worklist's "Our steps" tell a screen reader which message each "Kvittera" acknowledges and
for which patient, without widening the table: at 1280 px it stays inside the window."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from utskrivning.organisations.demo import DEMO_PASSWORD
from utskrivning.service.commands import seed_demo, seed_episodes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_each_acknowledgement_on_the_worklist_names_its_message_and_patient(browser, live_server):
    seed_demo()
    seed_episodes(count=40)
    context = browser.new_context(
        base_url=live_server.url, locale="sv-SE", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto("/accounts/login/")
    page.get_by_label("Användarnamn").fill("handlaggare")
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.locator("table.worklist")).to_be_visible()
    steps = page.locator("table.worklist tbody tr").evaluate_all(
        """rows => {
            // What the eye sees: the text outside elements clipped to a pixel (visually hidden).
            const shown = li => [...li.childNodes].filter(n => n.nodeType === Node.TEXT_NODE
                || n.getBoundingClientRect().width > 1).map(n => n.textContent).join("").trim();
            return rows.flatMap(row => [...row.querySelectorAll("td:nth-child(4) li")].map(li =>
            [row.querySelector("td a").textContent.trim(), shown(li),
             li.textContent.replace(/\\s+/g, " ").trim()]));
        }"""
    )
    acknowledgements = [(patient, said) for patient, shown, said in steps if shown == "Kvittera"]
    assert acknowledgements, steps
    for patient, said in acknowledgements:
        assert said.startswith("Kvittera ") and said.endswith(f"för {patient}"), said
        message = said.removeprefix("Kvittera ").removesuffix(f"för {patient}").strip()
        assert message, said  # the message acknowledged, named between the step and the patient
    # What is read out differs row by row (two messages of one patient differ by their kind).
    assert len({said for _, said in acknowledgements}) == len(acknowledgements), acknowledgements
    widths = page.evaluate(
        """() => [document.querySelector("table.worklist").getBoundingClientRect().right,
                  document.documentElement.scrollWidth, document.documentElement.clientWidth]"""
    )
    right, scroll_width, client_width = widths
    assert right <= client_width and scroll_width <= client_width, widths
    context.close()
