"""The period beside the same months of a baseline year, on the dashboard, in its CSV and in the
monthly report; the figures worked out by hand from tests/followup/data.py.

February–March 2020: F4 3, F1 2, F2 0, F3 10, B1 7, B2 0 ready days: 22 over 6 episodes.
February–March 2017: G4 2, G1 6, G2 12, G3 1: 21 over 4 (G5, in May, is outside the months).
Falun 15/4 = 3.75 against 20/3; Borlänge 7/2 = 3.5 against 1/1.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess

import openpyxl
import pytest

from audit.reads import patients_read, references
from utskrivning.domain.episodes import read_episodes
from utskrivning.episodes.models import Episode
from utskrivning.followup.baseline import baseline_of
from utskrivning.followup.filters import Care

from .data import BASELINE_EPISODES, episode_file

pytestmark = pytest.mark.django_db

PERIOD = "/followup/?from=2020-02&to=2020-03&baseline=2017"


def _rows(page: str) -> dict[str, tuple[str, str, str]]:
    """The baseline section's rows: key → (value, baseline, change)."""
    section = page[page.index('id="section-baseline"') :]
    section = section[: section.index("</section>")]
    found = re.findall(
        r'<tr data-key="([^"]*)" data-value="([^"]*)" data-baseline="([^"]*)" '
        r'data-change="([^"]*)"',
        section,
    )
    return {key: (value, baseline, change) for key, value, baseline, change in found}


def test_the_dashboard_sets_the_period_beside_the_baseline_year(
    client, login, region_finance, baseline_episodes
):
    login(region_finance)
    page = client.get(PERIOD).text
    rows = _rows(page)
    assert rows["mean_ready_days"] == ("3.6667", "5.25", "better")
    assert rows["ready_days"] == ("22", "21", "worse")  # lower is better: one day more
    assert rows["episodes"] == ("6", "4", "")  # a count has no better direction
    assert rows["2080"] == ("3.75", "6.6667", "better")
    assert rows["2081"] == ("3.5", "1", "worse")
    assert "Jämfört med basåret 2017" in page and "Sämre" in page and "Bättre" in page
    assert (
        f'href="/followup/report/{region_finance.organisation.pk}/2020-03.pdf?baseline=2017"'
        in (page)
    )


def test_without_a_baseline_year_there_is_no_comparison(client, login, region_finance, episodes):
    login(region_finance)
    assert 'id="section-baseline"' not in client.get("/followup/?from=2020-03&to=2020-03").text
    assert client.get("/followup/data/baseline.csv?from=2020-03&to=2020-03").status_code == 404


def test_a_baseline_year_without_episodes_says_so(client, login, region_finance, episodes):
    login(region_finance)
    page = client.get(PERIOD).text
    assert "Inga utskrivna vårdtillfällen under de månaderna 2017." in page
    assert _rows(page)["mean_ready_days"] == ("3.6667", "", "")


def test_the_baseline_csv_has_the_same_figures(client, login, region_finance, baseline_episodes):
    login(region_finance)
    query = PERIOD.split("?")[1]
    for name, key, expected in (
        ("baseline", "mean_ready_days", ("3.6667", "5.25", "-1.5833", "Bättre")),
        ("baseline_municipalities", "2081", ("3.5", "1", "2.5", "Sämre")),
    ):
        response = client.get(f"/followup/data/{name}.csv?{query}")
        rows = {r["Nyckel"]: r for r in csv.DictReader(io.StringIO(response.content.decode()))}
        row = rows[key]
        assert (row["Värde"], row["Basårets värde"], row["Skillnad"], row["Förändring"]) == expected


def test_municipality_b_compares_only_its_own(client, login, analyst_b, baseline_episodes):
    login(analyst_b)
    rows = _rows(client.get(PERIOD).text)
    assert rows["mean_ready_days"] == ("3.5", "1", "worse")
    assert "2080" not in rows


def test_the_baseline_year_s_reads_are_audited_apart(client, login, analyst_a, baseline_episodes):
    login(analyst_a)
    client.get(PERIOD)
    read = patients_read(purpose__contains="follow-up baseline year")
    # Falun's 2017 episodes: G1, G2 and G4 (with a month's margin either side of the year).
    baseline = Episode.objects.filter(external_id__in=["G1", "G2", "G4"]).select_related("patient")
    assert references(baseline) <= read


@pytest.mark.parametrize(
    "query", ["baseline=17", "baseline=20x7", "from=2019-01&to=2020-03&baseline=2017"]
)
def test_a_bad_baseline_is_a_bad_request(client, login, region_finance, query):
    login(region_finance)
    assert client.get(f"/followup/?{query}").status_code == 400


def test_the_report_compares_the_year_to_date(
    client, login, region_finance, region, baseline_episodes, tmp_path
):
    login(region_finance)
    url = f"/followup/report/{region.pk}/2020-03"
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"{url}.xlsx?baseline=2017").content))
    assert workbook.sheetnames[-2:] == ["Basår", "Basår kommuner"]
    header, *rows = workbook["Basår"].iter_rows(values_only=True)
    mean = dict(zip(header, next(r for r in rows if r[0] == "mean_ready_days"), strict=True))
    # January–March 2020 against January–March 2017: the same episodes as February–March.
    assert (mean["Värde"], mean["Basårets värde"], mean["Förändring"]) == (
        pytest.approx(22 / 6), 5.25, "Bättre",
    )  # fmt: skip
    assert (mean["Period"], mean["Basår"]) == ("2020-01–2020-03", 2017)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(client.get(f"{url}.pdf?baseline=2017").content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Jämfört med basåret 2017" in text and "Förändring" in text
    assert re.search(r"Medelvårdtid som utskrivningsklar\s+3,67\s+5,25\s+-1,58\s+Bättre", text)
    plain = openpyxl.load_workbook(io.BytesIO(client.get(f"{url}.xlsx").content))
    assert "Basår" not in plain.sheetnames


def test_overlapping_frames_count_each_month_once():
    """The period inside the baseline year: both frames hold it, it is counted from one."""
    frame = read_episodes(episode_file(BASELINE_EPISODES)).frame
    baseline = baseline_of(frame, frame, months=["2017-03"], year=2017, care=Care.ALL,
                           english=False)  # fmt: skip
    mean = next(r for r in baseline.indicators if r.key == "mean_ready_days")
    assert (mean.value, mean.baseline, mean.change) == (19 / 3, 19 / 3, "unchanged")
