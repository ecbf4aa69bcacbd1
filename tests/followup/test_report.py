"""The monthly report: the XLSX opened with openpyxl and the PDF with poppler, their numbers
checked against `indicator_table` and `compute_payment` run on the same file independently."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from utskrivning.domain.indicators import INDICATORS, indicator_table
from utskrivning.domain.payment import compute_payment
from utskrivning.domain.rulebooks import available_rulebooks, load_rulebook
from utskrivning.tables import sek

pytestmark = pytest.mark.django_db

MONTH = "2020-03"


@pytest.fixture
def xlsx(client, login, region_finance, region, episodes):
    login(region_finance)
    response = client.get(f"/followup/report/{region.pk}/{MONTH}.xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return openpyxl.load_workbook(io.BytesIO(response.content))


@pytest.fixture
def pdf_text(client, login, region_finance, region, episodes, tmp_path) -> str:
    login(region_finance)
    response = client.get(f"/followup/report/{region.pk}/{MONTH}.pdf")
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def _sheet(workbook, name: str) -> list[dict]:
    header, *rows = workbook[name].iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_the_workbook_has_one_sheet_per_part(xlsx):
    assert xlsx.sheetnames == [
        "Indikatorer", "Trend", "Rangordning", "Fördelning", "Betalning", "Jämförelse",
        "Regelverk",
    ]  # fmt: skip


def test_the_indicator_sheet_matches_the_indicator_table(xlsx, frame):
    rows = {row["indicator"]: row for row in _sheet(xlsx, "Indikatorer")}
    assert list(rows) == list(INDICATORS)
    table = indicator_table(frame, months=[MONTH])
    summed = table.group_by("indicator", "care").agg(pl.col("numerator").sum())
    for indicator, care, numerator in summed.iter_rows():
        assert rows[indicator][f"{care}_numerator"] == pytest.approx(numerator), (indicator, care)
    assert rows["mean_ready_days"]["all_value"] == pytest.approx(19 / 5)
    assert rows["mean_ready_days"]["psychiatric_value"] == pytest.approx(10)
    assert rows["episodes"]["somatic_value"] == 4


def test_the_trend_sheet_is_the_year_to_the_month(xlsx):
    trend = _sheet(xlsx, "Trend")
    assert (trend[0]["key"], trend[-1]["key"]) == ("2019-04", MONTH)
    assert (trend[-2]["value"], trend[-1]["value"]) == (3, pytest.approx(3.8))
    assert trend[-1]["threshold"] == 2


def test_the_payment_sheet_is_the_engine_s_invoice_basis(xlsx, frame):
    expected = compute_payment(frame, load_rulebook("dalarna-2020"), months=[MONTH]).invoices()
    rows = _sheet(xlsx, "Betalning")
    assert [(r["municipality"], r["amount_sek"]) for r in rows] == [
        (i.municipality, i.amount_sek) for i in expected
    ]
    # F3 is over seven days and billed alone for its days beyond three (Dalarna §11).
    assert next(r for r in rows if r["municipality"] == "2080")["amount_sek"] > 0


def test_the_comparison_runs_every_shipped_rulebook(xlsx, frame):
    rows = _sheet(xlsx, "Jämförelse")
    ids = [r.id for r in available_rulebooks()]
    assert set(rows[0]) == {"kommun", "municipality", "month", *ids}
    assert {"Falun", "Summa"} <= {r["kommun"] for r in rows}  # names, not only codes
    stockholm = compute_payment(frame, load_rulebook("stockholm-2020"), months=[MONTH])
    total = stockholm.invoice_frame["amount_sek"].sum()
    assert rows[-1]["municipality"] == "total" and rows[-1]["stockholm-2020"] == total


def test_the_pdf_carries_the_same_numbers(pdf_text, frame):
    assert "Månadsrapport" in pdf_text
    assert "3,80" in pdf_text  # mean ready days, all care, the region's March
    assert "Falun" in pdf_text  # the payment part names municipalities, not codes
    amounts = compute_payment(frame, load_rulebook("dalarna-2020"), months=[MONTH]).invoices()
    for invoice in amounts:
        assert sek(invoice.amount_sek) in pdf_text


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is missing")
def test_the_pdf_renders_its_charts(client, login, region_finance, region, episodes, tmp_path):
    login(region_finance)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(client.get(f"/followup/report/{region.pk}/{MONTH}.pdf").content)
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(Path(tmp_path).glob("page*.png"))
    assert len(pages) >= 2 and all(p.stat().st_size > 1000 for p in pages)


def test_a_municipality_gets_its_own_report(client, login, analyst_a, falun, episodes):
    login(analyst_a)
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/followup/report/{falun.pk}/{MONTH}.xlsx").content)
    )
    assert {r["municipality"] for r in _sheet(workbook, "Betalning")} == {"2080"}
    assert [r["key"] for r in _sheet(workbook, "Rangordning")] == ["2080"]


@pytest.mark.parametrize("path", ["2020-13.pdf", "2020-03.docx", "9999-12.pdf", "0001-01.xlsx"])
def test_a_bad_month_or_format_is_not_found(client, login, region_finance, region, path):
    login(region_finance)
    assert client.get(f"/followup/report/{region.pk}/{path}").status_code == 404
