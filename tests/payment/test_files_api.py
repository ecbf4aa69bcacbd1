"""The invoice page's downloads over the API: the same files as the page gives, for the same
readers (Falun its own, the region any of its municipalities, Borlänge none of Falun's), audited."""

from __future__ import annotations

import io

import openpyxl
import pytest

from utskrivning.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

FALUN_MARCH = "payment/files/2080/2020-03"


def cells(content: bytes) -> dict[str, list[tuple]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}


def test_the_episode_file_is_the_page_s(client, login, api, analyst_a, episodes):
    response = api(analyst_a, f"{FALUN_MARCH}/episodes.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    login(analyst_a)
    assert response.content == client.get("/invoices/2080/2020-03/episodes.csv").content
    assert response.content.decode().count("\n") == 4  # the header and F1–F3, discharged in March
    read = AuditEntry.objects.filter(purpose="episode file download", user=analyst_a.user)
    assert [len(e.patients.split()) for e in read] == [3, 3]  # the API's download and the page's
    assert {e.path.startswith("/api/") for e in read} == {True, False}


def test_the_xlsx_is_the_page_s(client, login, api, region_finance, episodes):
    response = api(region_finance, f"{FALUN_MARCH}/basis.xlsx")
    assert response.status_code == 200
    login(region_finance)
    page = client.get("/invoices/2080/2020-03/basis.xlsx").content
    assert cells(response.content) == cells(page)
    assert len(cells(response.content)["Fakturaunderlag"]) > 2, "the comparison needs lines"
    audited = AuditEntry.objects.filter(purpose="invoice basis download (API)")
    assert set(audited.values_list("user", flat=True)) == {region_finance.user.pk}


@pytest.mark.parametrize("path", ["episodes.csv", "basis.xlsx"])
def test_another_municipality_is_refused_and_reads_nothing(api, officer_b, episodes, path):
    response = api(officer_b, f"{FALUN_MARCH}/{path}")
    assert response.status_code == 403
    assert response.json()["detail"]
    assert not AuditEntry.objects.filter(action="read").exists()


@pytest.mark.parametrize("path", ["episodes.csv", "basis.xlsx"])
@pytest.mark.parametrize("month", ["2020-3", "9999-12", "0001-01"])
def test_a_bad_month_is_a_422_naming_it(api, analyst_a, path, month):
    response = api(analyst_a, f"payment/files/2080/{month}/{path}")
    assert (response.status_code, response.json()["field"]) == (422, "month")
