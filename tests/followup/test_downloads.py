"""Each chart's data as CSV: the same figures the chart draws, computed again independently."""

from __future__ import annotations

import csv
import io

import polars as pl
import pytest

from utskrivning.domain.indicators import INDICATORS, indicator_table
from utskrivning.followup.downloads import figures_csv
from utskrivning.followup.figures import Figure

pytestmark = pytest.mark.django_db

QUERY = "?from=2020-02&to=2020-03"


def _rows(response) -> list[dict[str, str]]:
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_trend_csv_has_each_month_with_its_threshold(client, login, region_finance, episodes):
    login(region_finance)
    rows = _rows(client.get("/followup/data/trend.csv" + QUERY))
    columns = ("Nyckel", "Värde", "Täljare", "Nämnare", "Gräns")
    assert [tuple(r[c] for c in columns) for r in rows] == [
        ("2020-02", "3", "3", "1", "2"),
        ("2020-03", "3.8", "19", "5", "2"),
    ]


def test_the_ranking_csv_matches_the_indicator_table(
    client, login, region_finance, episodes, frame
):
    login(region_finance)
    rows = _rows(client.get("/followup/data/ranking.csv?from=2020-03&to=2020-03"))
    table = indicator_table(frame, months=["2020-03"]).filter(
        pl.col("indicator") == "mean_ready_days", pl.col("care") == "all"
    )
    expected = {key: value for key, value in table.select("key", "value").iter_rows()}
    assert expected == {"2080": 4.0, "2081": 3.5}
    assert [r["Nyckel"] for r in rows] == ["2080", "2081"]  # the longest first
    assert {r["Nyckel"]: float(r["Värde"]) for r in rows} == expected


def test_the_distribution_csv_counts_ready_days(client, login, region_finance, episodes):
    login(region_finance)
    rows = _rows(client.get("/followup/data/distribution.csv" + QUERY))
    counts = {r["Nyckel"]: r["Värde"] for r in rows}
    # 0: F2, B2; 2: F1; 3: F4; 4–7: B1; 8–14: F3.
    assert counts == {"0": "2", "1": "0", "2": "1", "3": "1", "4–7": "1", "8–14": "1",
                      "15–": "0"}  # fmt: skip


def test_the_indicator_csv_has_every_indicator(client, login, region_finance, episodes, frame):
    login(region_finance)
    rows = _rows(client.get("/followup/data/indicators.csv" + QUERY))
    assert [r["Id"] for r in rows] == list(INDICATORS)
    assert rows[0]["Indikator"] == INDICATORS[rows[0]["Id"]].title_sv
    table = indicator_table(frame, months=["2020-02", "2020-03"]).filter(pl.col("care") == "all")
    sums = table.group_by("indicator").agg(pl.col("numerator").sum())
    for indicator, numerator in sums.iter_rows():
        row = next(r for r in rows if r["Id"] == indicator)
        assert float(row["Täljare"]) == pytest.approx(numerator), indicator
    units = {r["Id"]: r["Enhet"] for r in rows}
    assert {units[i.id] for i in INDICATORS.values()} <= {"antal", "dagar", "andel", "medelvärde"}


def test_an_unknown_chart_is_not_found(client, login, region_finance):
    login(region_finance)
    assert client.get("/followup/data/secrets.csv").status_code == 404


def test_a_label_a_spreadsheet_would_run_is_kept_as_text():
    text = figures_csv([Figure(key="=1+1", label="@SUM(A1)", value=1.0)])
    assert text.splitlines()[1].startswith("'=1+1,'@SUM(A1),1")
