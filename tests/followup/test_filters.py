"""The filters (period, care type, organisation) as GET parameters; htmx gets the figures only."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def _trend(page: str) -> dict[str, str]:
    return dict(re.findall(r'<circle[^>]*data-key="([0-9-]+)" data-value="([^"]*)"', page))


def test_the_period_picks_the_months(client, login, region_finance, episodes):
    login(region_finance)
    # February: F4 only (3 ready days); March: 2 + 0 + 10 + 7 + 0 over five ready episodes.
    assert _trend(client.get("/followup/?from=2020-02&to=2020-03").text) == {
        "2020-02": "3",
        "2020-03": "3.8",
    }
    assert _trend(client.get("/followup/?from=2020-02&to=2020-02").text) == {"2020-02": "3"}


def test_care_type_separates_psychiatric_from_somatic(client, login, region_finance, episodes):
    login(region_finance)
    march = "/followup/?from=2020-03&to=2020-03&care="
    assert _trend(client.get(march + "psychiatric").text) == {"2020-03": "10"}
    # Geriatric care counts as somatic (B2): 2 + 0 + 7 + 0 over four.
    assert _trend(client.get(march + "somatic").text) == {"2020-03": "2.25"}


def test_the_trend_draws_the_agreements_threshold(client, login, region_finance, episodes):
    login(region_finance)
    page = client.get("/followup/?from=2020-02&to=2020-03").text
    assert 'class="threshold"' in page
    assert page.count('data-threshold="2"') == 2  # Dalarna §11: two calendar days


@pytest.mark.parametrize(
    "query",
    ["from=2020-13", "to=March", "from=2020-04&to=2020-03", "from=2017-01&to=2020-03",
     "care=geriatric", "organisation=x"],
)  # fmt: skip
def test_bad_filters_are_a_bad_request(client, login, region_finance, query):
    login(region_finance)
    assert client.get(f"/followup/?{query}").status_code == 400


def test_htmx_gets_the_figures_without_the_page(client, login, region_finance, episodes):
    login(region_finance)
    partial = client.get("/followup/?from=2020-03&to=2020-03", headers={"HX-Request": "true"})
    assert "<html" not in partial.text
    assert "HX-Request" in partial["Vary"]
    assert 'data-chart="trend"' in partial.text
    full = client.get("/followup/?from=2020-03&to=2020-03").text
    assert "<html" in full and 'hx-get="/followup/"' in full


def test_the_page_has_no_inline_style_or_script(client, login, region_finance, episodes):
    login(region_finance)
    page = client.get("/followup/?from=2020-03&to=2020-03").text
    assert " style=" not in page and "<style" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)


def test_in_english_the_indicators_have_their_english_titles(client, login, region_finance):
    login(region_finance)
    client.cookies["django_language"] = "en"
    page = client.get("/followup/?from=2020-03&to=2020-03").text
    assert "Mean ready days per month" in page and "Readmissions within 30 days" in page
    client.cookies["django_language"] = "sv"
    page = client.get("/followup/?from=2020-03&to=2020-03").text
    assert "Medelantal utskrivningsklara dagar per månad" in page
    assert "Återinskrivning inom 30 dagar" in page
