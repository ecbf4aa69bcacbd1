"""Hostile and malformed input at the API's edge: each is refused with a JSON error naming the
field, or neutralised, and nothing is stored on the way."""

from __future__ import annotations

import pytest
import time_machine
from django.conf import settings

from utskrivning.episodes.models import Episode, EpisodeEvent, Patient

from .conftest import ADMITTED, admit_json, auth

JSON = "application/json"


def _admit(client, cast, **change):
    return client.post(
        "/api/episodes/", admit_json(cast) | change, content_type=JSON, **auth(cast.nurse)
    )


def _assert_refused(response, field: str, status: int = 422) -> None:
    """The JSON refusal every case here expects: its status, and the field it names."""
    assert response.status_code == status, response.content[:200]
    assert response.json()["field"] == field


@pytest.mark.parametrize(
    "number",
    [
        "19121212-1213",  # wrong check digit
        "19121312-1212",  # month 13
        "19120230-1212",  # 30 February
        "2112121212",  # ten digits, in the future for the century rule... or not a date
        "19121212+1212x",
        "1912121212121212",
        "' OR 1=1 --",
        "١٩١٢١٢١٢١٢١٢",  # Arabic-Indic digits: str.isdigit() says yes
        "",
    ],
)
def test_a_malformed_personnummer_is_refused_and_names_the_field(client, cast, number):
    response = _admit(client, cast, personal_number=number)
    _assert_refused(response, "personal_number")
    assert not Patient.objects.exists()


@pytest.mark.parametrize("code", ["9999", "208", "20800", "２０８０", "2080 ", "0000", "abcd", ""])
def test_a_malformed_kommunkod_is_refused_and_names_the_field(client, cast, code):
    response = _admit(client, cast, home_municipality=code)
    _assert_refused(response, "home_municipality")
    assert not Episode.objects.exists()


@pytest.mark.parametrize(
    "at",
    [
        "2026-03-29T02:30:00",  # in the spring-forward gap, and without an offset
        "2026-10-25T02:30:00",  # twice on the autumn night: which one?
        "2026-10-05 09:00",
        "2026-02-30T10:00:00+01:00",
        "10000-01-01T00:00:00Z",
        "2026-10-05T09:00:00+25:00",
    ],
)
def test_a_time_without_offset_or_impossible_is_refused_naming_at(client, cast, at):
    response = _admit(client, cast, at=at)
    _assert_refused(response, "at")
    assert not Episode.objects.exists()


@time_machine.travel("2026-10-25T03:00:00+01:00", tick=False)
def test_a_time_with_an_offset_in_the_autumn_hour_is_taken_as_given(client, cast):
    response = _admit(client, cast, at="2026-10-25T02:30:00+01:00")
    assert response.status_code == 201, response.content
    assert Episode.objects.get().admitted_at.isoformat() == "2026-10-25T01:30:00+00:00"


def test_a_step_dated_before_the_admission_is_refused_naming_at(client, cast, notified):
    before = ADMITTED.replace(hour=8).isoformat()
    response = client.post(
        f"/api/episodes/{notified.pk}/events",
        {"type": "ready_declared", "at": before},
        content_type=JSON,
        **auth(cast.physician),
    )
    _assert_refused(response, "at")
    assert EpisodeEvent.objects.filter(episode=notified).count() == 2


def test_an_oversized_json_body_answers_413_json(client, cast):
    padding = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = _admit(client, cast, address=padding)
    _assert_refused(response, "body", 413)
    assert not Episode.objects.exists()


def test_the_request_body_limit_is_set_explicitly():
    """Django's default would do, but the limit is a decision: a JSON message is a few kB."""
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS <= 1000
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440  # larger uploads go to disk


def test_an_oversized_file_answers_413_naming_the_file(client, cast, monkeypatch):
    from utskrivning.api import uploads

    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 1024)
    upload = _file(b"episode_id;patient_id\n" + b"E;19121212-1212\n" * 200)
    response = client.post("/api/episodes/import", {"file": upload}, **auth(cast.finance_region))
    _assert_refused(response, "file", 413)


@pytest.mark.parametrize("line_end", [b"\n", b"\r"])
def test_a_file_too_long_for_one_request_is_sent_to_the_import_jobs(client, cast, line_end):
    """A national file inside a web request would hold a thread (and SQLite's lock) for a minute."""
    from utskrivning.imports.api import MAX_DIRECT_IMPORT_LINES

    header = b"episode_id,patient_id,municipality,care_type,unit,admitted_at" + line_end
    row = b"E,19121212-1212,2080,somatic,Avdelning 12,2026-10-01 10:00" + line_end
    upload = _file(header + row * MAX_DIRECT_IMPORT_LINES)
    response = client.post("/api/episodes/import", {"file": upload}, **auth(cast.finance_region))
    _assert_refused(response, "file", 413)
    assert "/api/import-jobs/" in response.json()["detail"]
    assert not Episode.objects.exists()


def _file(content: bytes, name: str = "episodes.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")


HEADER = "episode_id;patient_id;municipality;care_type;unit;admitted_at;discharged_at;status\n"
ROW = "E1;19121212-1212;2080;somatic;Avdelning 12;2026-10-01 10:00;2026-10-09 12:00;UTFÖRD\n"
ÅÄÖ = "Ö1;19121212-1212;2080;somatic;Avdelning 12;2026-10-01 10:00;2026-10-09 12:00;UTFÖRD\n"


@pytest.mark.parametrize(
    "content",
    [
        (HEADER + ÅÄÖ).encode("latin-1"),
        (HEADER + ÅÄÖ).encode("cp1252"),
        (HEADER + ROW).encode("utf-16"),
        (HEADER + ROW).encode("utf-16-le"),
        (HEADER + ROW).encode("utf-32"),
        b"\xff\xfe\x00\x00garbage",
        b"",
        b"\x00" * 64,
    ],
    ids=[
        "latin-1",
        "cp1252",
        "utf-16",
        "utf-16-le-no-bom",
        "utf-32",
        "bom-garbage",
        "empty",
        "nul",
    ],
)
def test_a_file_in_another_encoding_is_refused_with_its_line_and_nothing_stored(
    client, cast, content
):
    upload = _file(content)
    response = client.post("/api/episodes/import", {"file": upload}, **auth(cast.finance_region))
    assert response.status_code == 422, response.content
    assert response.json()["field"]
    assert response.json()["errors"][0]["line"] >= 1
    assert not Episode.objects.exists()


def _import_with(client, cast, column: str, value: str):
    row = ROW.split(";")
    row[HEADER.split(";").index(column)] = value
    upload = _file((HEADER + ";".join(row)).encode())
    return client.post("/api/episodes/import", {"file": upload}, **auth(cast.finance_region))


@pytest.mark.parametrize(("column", "value"), [("episode_id", "E" * 65), ("patient_id", "P" * 13)])
def test_an_overlong_value_is_refused_not_a_server_error(client, cast, column, value):
    response = _import_with(client, cast, column, value)
    _assert_refused(response, column)
    assert not Episode.objects.exists()


def test_an_unknown_unit_is_refused_not_given_to_some_ward(client, cast):
    response = _import_with(client, cast, "unit", "Avdelning 99")
    _assert_refused(response, "unit")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/episodes/{pk}", {}),
        ("post", "/api/episodes/{pk}/events", {"type": "closed"}),
        ("post", "/api/episodes/{pk}/acknowledgements", {"message": "admission_notice"}),
        ("post", "/api/episodes/{pk}/deviations", {"category": "other"}),
        ("post", "/api/payment/disputes/{pk}/answer", {"answer": "x", "outcome": "rejected"}),
    ],
)
@pytest.mark.parametrize("pk", [0, 2**63, 10**30])
def test_an_id_the_database_cannot_hold_is_a_json_4xx(client, cast, method, path, body, pk):
    """A valid body, so the id reaches the query: beyond 64 bits it must not overflow there."""
    response = getattr(client, method)(
        path.format(pk=pk), body, content_type=JSON, **auth(cast.finance_region)
    )
    assert 400 <= response.status_code < 500, response.content
    assert response.json()["detail"]
