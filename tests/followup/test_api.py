"""The follow-up dashboard's figures over the API: the numbers the page draws, for the same
filters, scoped the same way (a municipality only its own), each patient's read audited."""

from __future__ import annotations

import re

import pytest

from audit.reads import patients_read, references
from utskrivning.audit.models import AuditEntry
from utskrivning.episodes.models import Episode

pytestmark = pytest.mark.django_db

MARCH = {"from": "2020-03", "to": "2020-03"}
PERIOD = {"from": "2020-02", "to": "2020-03"}


def drawn(page: str, chart: str) -> dict[str, float | None]:
    """The marks the page draws in one chart: key → value (none when empty; four decimals)."""
    svg = page.split(f'data-chart="{chart}"')[1].split("</svg>")[0]
    marks = re.findall(r'data-key="([^"]*)" data-value="([^"]*)"', svg)
    return {key: float(value) if value else None for key, value in marks}


def test_without_a_token_the_dashboard_answers_401(client):
    response = client.get("/api/followup/dashboard")
    assert response.status_code == 401
    assert response.json()["field"] == "Authorization"


def test_municipality_b_gets_its_own_march(api, analyst_b, falun, episodes):
    body = api(analyst_b, "followup/dashboard", **MARCH).json()
    assert (body["organisation"]["name"], body["target"]["name"]) == ("Borlänge", "Borlänge")
    # Borlänge's March: B1 with 7 ready days and B2 with none (tests/followup/data.py).
    assert [(f["key"], f["value"]) for f in body["trend"]] == [("2020-03", 3.5)]
    assert [f["key"] for f in body["ranking"]] == ["2081"]
    assert body["filters"] == {
        "first": "2020-03", "last": "2020-03", "months": ["2020-03"], "care": "all",
        "organisation": None, "baseline": None,
    }  # fmt: skip
    assert body["narrowing"] == []
    assert "Falun" not in str(body)


@pytest.mark.parametrize("chart", ["trend", "ranking", "distribution"])
def test_the_figures_are_the_ones_the_page_draws(
    client, login, api, region_finance, episodes, chart
):
    login(region_finance)
    page = client.get("/followup/", {**PERIOD, "care": "somatic"}).text
    body = api(region_finance, "followup/dashboard", **PERIOD, care="somatic").json()
    assert {f["key"]: f["value"] for f in body[chart]} == pytest.approx(
        drawn(page, chart), abs=1e-4
    )
    assert body[chart], "the comparison needs figures"


def test_a_baseline_year_comes_beside_the_period(api, analyst_b, episodes):
    """tests/followup/data.py has no 2019 discharges: the comparison is there, its side empty."""
    body = api(analyst_b, "followup/dashboard", **MARCH, baseline=2019).json()
    assert (body["filters"]["baseline"], body["baseline"]["year"]) == (2019, 2019)
    assert body["baseline"]["period"] == "2020-03"
    mean = next(r for r in body["baseline"]["indicators"] if r["key"] == "mean_ready_days")
    assert (mean["value"], mean["baseline"]) == (3.5, None)
    assert api(analyst_b, "followup/dashboard", **MARCH).json()["baseline"] is None


def test_the_indicator_table_is_the_page_s(client, login, api, region_finance, episodes):
    login(region_finance)
    page = client.get("/followup/", MARCH).text
    shown = dict(re.findall(r'data-indicator="([^"]+)" data-value="([^"]*)"', page))
    body = api(region_finance, "followup/dashboard", **MARCH).json()
    assert {row["id"]: row["value"] for row in body["indicators"]} == pytest.approx(
        {key: float(value) if value else None for key, value in shown.items()}, abs=1e-4
    )


def test_the_region_narrows_to_one_municipality(api, region_finance, falun, borlange, episodes):
    body = api(region_finance, "followup/dashboard", **MARCH, organisation=falun.pk).json()
    assert body["target"]["id"] == falun.pk
    assert [f["key"] for f in body["ranking"]] == ["2080"]
    narrowing = {o["id"] for o in body["narrowing"]}
    assert {falun.pk, borlange.pk} <= narrowing


@pytest.mark.parametrize("member", ["analyst_b", "nurse", "officer_a"])
def test_who_may_not_see_a_s_figures_gets_403_json(request, api, member, falun, episodes):
    response = api(request.getfixturevalue(member), "followup/dashboard", organisation=falun.pk)
    assert response.status_code == 403
    assert response.json()["detail"]


@pytest.mark.parametrize(
    ("query", "field"),
    [({"from": "2020-13"}, "from"), ({"to": "march"}, "to"), ({"care": "dental"}, "care"),
     ({"organisation": "falun"}, "organisation"), ({"from": "2020-04", "to": "2020-03"}, "from"),
     ({"from": "2017-01", "to": "2020-03"}, "from"), ({"to": "9999-12"}, "to"),
     ({"from": "0001-01", "to": "0001-12"}, "to"), ({"baseline": "9999"}, "baseline")],
)  # fmt: skip
def test_a_bad_filter_is_a_422_naming_it(api, analyst_a, query, field):
    response = api(analyst_a, "followup/dashboard", **query)
    assert response.status_code == 422, response.content
    assert response.json()["field"].split(".")[-1] == field
    assert not AuditEntry.objects.filter(action="read").exists()


def test_each_patient_read_is_audited(api, analyst_a, episodes):
    api(analyst_a, "followup/dashboard", **MARCH)
    read = patients_read(
        purpose__contains="follow-up dashboard (aggregated indicators)", user=analyst_a.user
    )
    falun_s = Episode.objects.filter(home_municipality__municipality_code="2080")
    assert read == references(falun_s.select_related("patient"))
    assert read, "the scope holds Falun's episodes"
