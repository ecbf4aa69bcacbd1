"""The episode page's planning record and notes between the parties, through the views."""

from __future__ import annotations

import pytest

from .test_pages import episode, post_event  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def test_a_note_from_the_ward_is_read_by_the_municipality_and_the_ward_sees_the_receipt(
    client,
    login,
    physician,
    officer_a,
    episode,  # noqa: F811 (the fixture)
):
    login(physician)
    sent = client.post(
        f"/episodes/{episode}/notes/",
        {"text": "Dottern vill vara med på SIP.", "parties": ["municipality"]},
        headers={"HX-Request": "true"},
    )
    assert "Meddelandet har skickats." in sent.text
    assert "Ännu inte läst av" in sent.text
    client.logout()

    login(officer_a)
    page = client.get(f"/episodes/{episode}/").text
    assert "Dottern vill vara med på SIP." in page and "Markera som läst" in page
    note = page.split('id="note-')[1].split('"')[0]
    read = client.post(f"/episodes/{episode}/notes/{note}/read/")
    assert read.status_code == 302
    assert "Markera som läst" not in client.get(f"/episodes/{episode}/").text
    client.logout()

    login(physician)
    page = client.get(f"/episodes/{episode}/").text
    assert f"Läst av {officer_a.user.get_full_name() or officer_a.user.username}" in page


def test_a_note_without_recipient_is_refused_in_swedish(
    client,
    login,
    physician,
    episode,  # noqa: F811 (the fixture)
):
    login(physician)
    refused = client.post(f"/episodes/{episode}/notes/", {"text": "Hej"})
    assert refused.status_code == 422
    assert "Meddelandet skickades inte." in refused.text
