"""Text that turns the page around: a bidirectional override or isolate (U+202A–U+202E,
U+2066–U+2069) in a note made the rest of its line on every party's screen read backwards (a
"Trojan Source" of the timeline: "ring ‮0202 retfe" shows as another text than it is). They
are control characters as free text goes, refused naming the field like any other, in Swedish on
the page; letters of right-to-left scripts need none of them and stay welcome."""

from __future__ import annotations

import json

import pytest
import time_machine

from episodes.test_planning_api import NOW, notified
from utskrivning.episodes.models import Note

from .conftest import admit_json, auth

__all__ = ["notified"]

CONTROLS = [
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
]


def _note(client, pk, membership, text):
    body = json.dumps({"text": text, "parties": ["inpatient_care"]})
    return client.post(
        f"/api/episodes/{pk}/notes", body, content_type="application/json", **auth(membership)
    )


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("control", CONTROLS)
def test_a_note_with_a_direction_control_is_refused(client, cast, notified, control):
    refused = _note(client, notified, cast.officer_a, f"Ring {control}0202 retfe")
    assert (refused.status_code, refused.json()["field"]) == (422, "text"), refused.content
    assert f"U+{ord(control):04X}" in refused.json()["detail"]
    assert not Note.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_right_to_left_letters_are_text(client, cast, notified):
    assert _note(client, notified, cast.officer_a, "مرحبا שלום, ring dottern").status_code == 201


@time_machine.travel(NOW, tick=False)
def test_on_the_page_the_refusal_is_swedish(client, cast, notified):
    client.force_login(cast.officer_a.user)
    page = client.post(
        f"/episodes/{notified}/notes/", {"text": "Ring \u202e0202", "parties": "inpatient_care"}
    )
    assert page.status_code == 422
    assert "innehåller ett styrtecken (U+202E)" in page.content.decode()
    assert not Note.objects.exists()


def test_a_patient_name_with_a_direction_control_is_refused(client, cast):
    body = admit_json(cast) | {"name": "Tolvan \u202enossnavloT"}
    refused = client.post(
        "/api/episodes/", body, content_type="application/json", **auth(cast.nurse)
    )
    assert (refused.status_code, refused.json()["field"]) == (422, "name"), refused.content
