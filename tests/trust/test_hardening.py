"""Issue 14 class 9: free text bounded and storable the same on SQLite and PostgreSQL (refused with
4xx naming the field, never a 500), and no answer of the service kept in a cache."""

from __future__ import annotations

import pytest

from utskrivning.audit.models import AuditEntry
from utskrivning.episodes.models import Deviation, Patient
from utskrivning.lib.text import MAX_NAME, MAX_NOTE

from .conftest import admit_json, auth

HOSTILE = {
    "900 KB": "a" * 900_000,
    "one over the limit": "a" * (MAX_NOTE + 1),
    "NUL": "före\x00efter",
    "lone surrogate": "före\ud800efter",
    "escape": "före\x1b[31mefter",
}


def _post(client, path, body, headers):
    return client.post(path, body, content_type="application/json", **headers)


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_deviation_text_is_refused_naming_it(client, cast, notified, text):
    """Before: 900 KB was stored (201); NUL and a lone surrogate answered 500 on PostgreSQL."""
    response = _post(
        client,
        f"/api/episodes/{notified.pk}/deviations",
        {"category": "other", "text": text},
        auth(cast.nurse),
    )
    assert response.status_code == 422, response.content[:300]
    assert response.json()["field"] == "text"
    assert not Deviation.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "x" * (MAX_NAME + 1)), ("name", "Tolvan\x00"), ("address", "Gatan \ud83d 1")],
)
def test_a_hostile_name_or_address_on_admission_is_refused_naming_it(client, cast, field, value):
    response = _post(client, "/api/episodes/", admit_json(cast) | {field: value}, auth(cast.nurse))
    assert (response.status_code, response.json()["field"]) == (422, field), response.content
    assert not Patient.objects.exists()


@pytest.mark.parametrize("text", [HOSTILE["NUL"], HOSTILE["one over the limit"]])
def test_a_hostile_dispute_text_is_refused_naming_it(client, cast, text):
    response = _post(
        client, "/api/payment/disputes", {"month": "2026-10", "text": text}, auth(cast.finance_a)
    )
    assert (response.status_code, response.json()["field"]) == (422, "text"), response.content


def test_multi_line_text_keeps_its_line_breaks(client, cast, notified):
    response = _post(
        client,
        f"/api/episodes/{notified.pk}/deviations",
        {"category": "other", "text": "Rad ett\r\nRad två\tslut"},
        auth(cast.nurse),
    )
    assert response.status_code == 201
    assert Deviation.objects.get().text == "Rad ett\r\nRad två\tslut"


def test_a_too_long_deviation_on_the_page_is_a_form_error(client, cast, notified):
    client.force_login(cast.nurse.user)
    response = client.post(
        f"/episodes/{notified.pk}/deviations/", {"category": "other", "text": "a" * 900_000}
    )
    assert response.status_code in (200, 422)
    assert not Deviation.objects.exists()
    assert b"4000" in response.content or b"4 000" in response.content


@pytest.mark.parametrize(
    "path",
    ["/api/episodes/worklist", "/api/episodes/{pk}", "/episodes/{pk}/", "/",
     "/invoices/2080/2026-10/episodes.csv", "/api/episodes/999999"],
)  # fmt: skip
def test_no_answer_is_kept_in_a_cache(client, cast, notified, path):
    client.force_login(cast.nurse.user)
    response = client.get(path.format(pk=notified.pk), **auth(cast.nurse))
    assert "no-store" in response["Cache-Control"], (path, response.status_code)


@pytest.mark.parametrize(
    "path",
    [
        "/api/payment/invoice-basis/20%0080/2020-03",
        "/api/episodes/1%00",
        "/invoices/2080/2020-03%00/",
        "/api/import-jobs/%ED%A0%80",
    ],
)
def test_an_address_with_a_nul_or_a_broken_character_is_audited_not_a_500(
    client, cast, notified, path
):
    """Before: on PostgreSQL the request's audit entry kept the path as it came, and a NUL in it
    made every such request a 500 (found by `make fuzz`)."""
    client.force_login(cast.finance_a.user)
    assert client.get(path, **auth(cast.finance_a)).status_code < 500
    assert all("\x00" not in entry.path for entry in AuditEntry.objects.all())
