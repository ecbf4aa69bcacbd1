"""The follow-up dashboard in a real browser: the figures behind the SVG charts, read from their
data attributes, are the indicators computed independently from the same episode file."""

from __future__ import annotations

import polars as pl
import pytest
from playwright.sync_api import expect

from followup.data import BASELINE_EPISODES, episode_file
from service.factories import (
    HospitalFactory,
    MembershipFactory,
    MunicipalityFactory,
    RegionFactory,
    WardFactory,
)
from utskrivning.domain.episodes import read_episodes
from utskrivning.domain.indicators import indicator_table
from utskrivning.imports.services import import_episode_file
from utskrivning.organisations.models import Role

from .test_smoke import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MONTHS = ["2020-02", "2020-03"]


@pytest.fixture
def region_finance():
    region = RegionFactory(name="Region Dalarna")
    WardFactory(name="Medicinavdelning 12", parent=HospitalFactory(parent=region))
    for code in ("2080", "2081"):
        MunicipalityFactory(municipality_code=code, parent=region)
    import_episode_file(data=episode_file(), region=region)
    import_episode_file(data=episode_file(BASELINE_EPISODES, first=101), region=region)
    return MembershipFactory(user__username="ekonom", organisation=region, role=Role.FINANCE)


def _expected(care: str, by: str) -> dict[str, float]:
    """Mean ready days per month or municipality: summed days over summed ready episodes."""
    table = indicator_table(read_episodes(episode_file()).frame, months=MONTHS)
    sums = (
        table.filter(pl.col("indicator") == "mean_ready_days", pl.col("care") == care)
        .group_by(by)
        .agg(pl.col("numerator").sum() / pl.col("denominator").sum())
    )
    return dict(sums.iter_rows())


def _figures(page, chart: str) -> dict[str, float]:
    pairs = page.locator(f'svg[data-chart="{chart}"] .mark').evaluate_all(
        "marks => marks.map(m => [m.dataset.key, m.dataset.value])"
    )
    return {key: float(value) for key, value in pairs}


def test_the_charts_show_the_indicators_and_follow_the_care_filter(page, region_finance):
    log_in(page, "ekonom", "/followup/")
    page.goto("/followup/?from=2020-02&to=2020-03")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Uppföljning")
    trend = page.locator('svg[data-chart="trend"]')
    expect(trend).to_be_visible()
    assert _figures(page, "trend") == pytest.approx(_expected("all", "month"))
    assert _figures(page, "trend") == pytest.approx({"2020-02": 3.0, "2020-03": 3.8})
    assert trend.locator(".mark").first.get_attribute("data-threshold") == "2"
    expect(trend.locator("polyline.threshold")).to_have_count(1)
    assert _figures(page, "ranking") == pytest.approx(_expected("all", "key"))
    distribution = _figures(page, "distribution")
    assert sum(distribution.values()) == 6 and distribution["0"] == 2

    page.get_by_label("Vårdform").select_option("psychiatric")
    expect(trend.locator(".mark")).to_have_count(1)
    assert _figures(page, "trend") == pytest.approx(_expected("psychiatric", "month"))
    assert _figures(page, "trend") == {"2020-03": 10.0}
    assert "care=psychiatric" in page.url


def test_a_baseline_year_sets_the_period_beside_it(page, region_finance):
    """February–March 2020, 22 ready days over 6 episodes, beside 2017's 21 over 4."""
    log_in(page, "ekonom", "/followup/")
    page.goto("/followup/?from=2020-02&to=2020-03")
    expect(page.locator("#section-baseline")).to_have_count(0)
    page.get_by_label("Basår").fill("2017")
    page.get_by_label("Basår").press("Enter")
    mean = page.locator('#section-baseline tr[data-key="mean_ready_days"]')
    expect(mean).to_have_attribute("data-change", "better")
    assert float(mean.get_attribute("data-value")) == pytest.approx(22 / 6, abs=1e-4)
    assert float(mean.get_attribute("data-baseline")) == pytest.approx(21 / 4)
    expect(mean.locator("td.change")).to_have_text("Bättre")
    worse = page.locator('#section-baseline tr[data-key="2081"]')
    expect(worse).to_have_attribute("data-change", "worse")
    assert "baseline=2017" in page.url
    pdf = page.get_by_role("link", name="PDF")
    assert pdf.get_attribute("href").endswith("?baseline=2017")
