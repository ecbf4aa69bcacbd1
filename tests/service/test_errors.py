"""Error pages with DEBUG off: Swedish, no traceback, and a 500's reference is in the log."""

from __future__ import annotations

import json
import logging

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import DatabaseError, connection
from django.urls import path

from utskrivning.organisations.permissions import Data
from utskrivning.service import routes
from utskrivning.service.logs import JsonFormatter, RequestIdFilter
from utskrivning.service.urls import urlpatterns as service_urls

PATIENT = "191212121212"


def crash(request):
    raise RuntimeError(f"broken while showing {PATIENT}")


def forbidden(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("odd")


urlpatterns = [
    path("krasch/", crash),
    path("api/krasch/", crash),
    path("forbjuden/", forbidden),
    path("konstig/", suspicious),
    *service_urls,
]
handler400 = "utskrivning.service.errors.bad_request"
handler403 = "utskrivning.service.errors.permission_denied"
handler404 = "utskrivning.service.errors.page_not_found"
handler500 = "utskrivning.service.errors.server_error"


@pytest.fixture
def anonymous(client, settings, monkeypatch):
    settings.ROOT_URLCONF = __name__
    for route in ("krasch/", "api/krasch/", "forbjuden/", "konstig/"):  # they show no data
        monkeypatch.setitem(routes.ROUTE_DATA, route, Data.NONE)
    client.raise_request_exception = False
    return client


@pytest.fixture
def json_log(caplog):
    """What the stdout handler writes, captured: the records formatted as it formats them."""
    caplog.handler.addFilter(RequestIdFilter())
    caplog.handler.setFormatter(JsonFormatter())
    caplog.set_level(logging.INFO)
    return lambda: [json.loads(caplog.handler.format(r)) for r in caplog.records]


@pytest.mark.django_db
def test_a_500_is_a_swedish_page_whose_reference_leads_to_the_traceback(anonymous, json_log):
    response = anonymous.get("/krasch/")
    assert response.status_code == 500
    page = response.content.decode()
    reference = response["X-Request-ID"]
    assert "Något gick fel" in page
    assert reference in page
    assert "Traceback" not in page and PATIENT not in page and "RuntimeError" not in page
    errors = [line for line in json_log() if line["level"] == "ERROR"]
    assert [line["request_id"] for line in errors] == [reference]
    assert "RuntimeError" in errors[0]["exception"]


@pytest.mark.django_db
def test_an_api_500_answers_json_with_the_reference(anonymous):
    response = anonymous.get("/api/krasch/")
    assert response.status_code == 500
    assert response.json()["reference"] == response["X-Request-ID"]
    assert PATIENT not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [("/forbjuden/", 403, "Ingen behörighet"), ("/konstig/", 400, "Felaktig begäran")],
)
def test_refusals_are_swedish_pages(anonymous, url, status, heading):
    response = anonymous.get(url)
    assert response.status_code == status
    assert heading in response.content.decode()


@pytest.mark.django_db
def test_the_access_log_names_the_path_not_its_query(anonymous, json_log):
    anonymous.get("/ingen/", {"sok": PATIENT})
    lines = [line for line in json_log() if line["logger"] == "utskrivning.request"]
    assert [(line["path"], line["status"]) for line in lines] == [("/ingen/", 404)]
    assert PATIENT not in json.dumps(json_log())


@pytest.mark.django_db
def test_readiness_answers_503_while_the_database_fails(client, monkeypatch):
    assert client.get("/api/ready").json() == {"status": "ok", "database": "ok"}

    def unreachable():
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)
    response = client.get("/api/ready")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert client.get("/api/health").status_code == 200  # alive, only not ready


def crash_naming(request):
    raise RuntimeError(f"no row for {request.GET['n']}")


@pytest.mark.django_db
@pytest.mark.parametrize("number", [PATIENT, "19121212-1212", "121212-1212", "121212+1212"])
def test_a_500_logs_its_traceback_without_the_personnummer_it_names(
    anonymous, json_log, monkeypatch, number
):
    """An exception's text (a database's duplicate key, a parser quoting a cell) may hold a
    personnummer; the log keeps the birth date and the reference, never the whole number."""
    urlpatterns.append(path("krasch-med-nummer/", crash_naming))
    monkeypatch.setitem(routes.ROUTE_DATA, "krasch-med-nummer/", Data.NONE)
    try:
        response = anonymous.get("/krasch-med-nummer/", {"n": number})
        anonymous.get(f"/ingen/{number}/")
    finally:
        urlpatterns.pop()
    assert response.status_code == 500
    logged = json.dumps(json_log(), ensure_ascii=False)
    assert number not in logged and number.replace("-", "") not in logged
    errors = [line for line in json_log() if line["level"] == "ERROR"]
    assert errors and errors[0]["request_id"] == response["X-Request-ID"]
    assert "RuntimeError: no row for " in errors[0]["exception"]


@pytest.mark.parametrize(
    "text", ["02c346c63c7243989256f8abc543b0e8", "episode 1912121212121a", "x191212121212"]
)
def test_digits_inside_an_identifier_are_not_taken_for_a_personnummer(text):
    """A uuid's hex may hold ten digits in a row; masked, the id could no longer be searched for."""
    from utskrivning.service.logs import _masked

    assert _masked(text) == text
    assert _masked(f"{text} 19121212-1212") == f"{text} 19121212-****"
