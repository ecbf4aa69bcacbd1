"""Who may open which invoice basis and the import: municipality B sees nothing of A's."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

A = "/invoices/2080/2020-03/"


@pytest.mark.parametrize("suffix", ["", "basis.xlsx", "basis.pdf", "episodes.csv"])
def test_municipality_b_may_not_open_a_s_invoice_basis(
    client, login, finance_borlange, falun, suffix
):
    login(finance_borlange)
    assert client.get(A + suffix).status_code == 403


@pytest.mark.parametrize("member", ["nurse", "head_of_unit", "care_contact"])
def test_care_staff_have_no_invoice_basis(client, login, request, falun, member):
    login(request.getfixturevalue(member))
    assert client.get(A).status_code == 403
    assert client.get("/invoices/").status_code == 403


def test_a_municipality_s_invoice_link_goes_to_its_own_basis(client, login, finance_falun):
    login(finance_falun)
    response = client.get("/invoices/?month=2020-03")
    assert response.status_code == 302
    assert response.url == "/invoices/2080/2020-03/"


def test_a_bad_month_is_not_found(client, login, finance_falun):
    login(finance_falun)
    assert client.get("/invoices/?month=2020-13").status_code == 404


def test_region_finance_chooses_a_municipality(client, login, region_finance, falun, borlange):
    login(region_finance)
    page = client.get("/invoices/")
    assert page.status_code == 200
    assert 'value="2080"' in page.text and 'value="2081"' in page.text


@pytest.mark.parametrize("member", ["nurse", "officer_a", "care_contact"])
def test_only_the_region_s_finance_and_administrators_import(client, login, request, member):
    login(request.getfixturevalue(member))
    assert client.get("/import/").status_code == 403
