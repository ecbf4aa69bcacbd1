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


CARE = {"all": "Alla vårdformer", "somatic": "Somatisk vård", "psychiatric": "Psykiatrisk vård"}


def test_the_indicator_sheet_matches_the_indicator_table(xlsx, frame):
    sheet = _sheet(xlsx, "Indikatorer")
    assert len(sheet) == len(INDICATORS)
    rows = dict(zip(INDICATORS, sheet, strict=True))  # in the definitions' order, by title
    assert rows["episodes"]["Indikator"] == "Antal vårdtillfällen"
    table = indicator_table(frame, months=[MONTH])
    summed = table.group_by("indicator", "care").agg(pl.col("numerator").sum())
    for indicator, care, numerator in summed.iter_rows():
        cell = rows[indicator][f"{CARE[care]}: täljare"]
        assert cell == pytest.approx(numerator), (indicator, care)
    assert rows["mean_ready_days"]["Alla vårdformer: värde"] == pytest.approx(19 / 5)
    assert rows["mean_ready_days"]["Psykiatrisk vård: värde"] == pytest.approx(10)
    assert rows["episodes"]["Somatisk vård: värde"] == 4
    assert rows["episodes"]["Enhet"] == "antal"


def test_the_trend_sheet_is_the_year_to_the_month(xlsx):
    trend = _sheet(xlsx, "Trend")
    assert (trend[0]["Nyckel"], trend[-1]["Nyckel"]) == ("2019-04", MONTH)
    assert (trend[-2]["Värde"], trend[-1]["Värde"]) == (3, pytest.approx(3.8))
    assert trend[-1]["Gräns"] == 2


def test_the_payment_sheet_is_the_engine_s_invoice_basis(xlsx, frame):
    expected = compute_payment(frame, load_rulebook("dalarna-2020"), months=[MONTH]).invoices()
    rows = _sheet(xlsx, "Betalning")
    assert [(r["Kommunkod"], r["Belopp (kr)"]) for r in rows] == [
        (i.municipality, i.amount_sek) for i in expected
    ]
    # F3 is over seven days and billed alone for its days beyond three (Dalarna §11).
    falun = next(r for r in rows if r["Kommunkod"] == "2080")
    assert falun["Belopp (kr)"] > 0
    assert (falun["Kommun"], falun["Grupp"], falun["Betalningsansvar"]) == (
        "Falun",
        "alla vårdformer",
        "ja",
    )


def test_the_comparison_runs_every_shipped_rulebook(xlsx, frame):
    rows = _sheet(xlsx, "Jämförelse")
    names = [r.title for r in available_rulebooks()]  # rulebooks by name, not by id
    names = [
        n.replace("the law's own payment liability", "lagens eget betalningsansvar") for n in names
    ]
    assert set(rows[0]) == {"Kommun", "Kommunkod", "Månad", *names}
    assert {"Falun", "Summa"} <= {r["Kommun"] for r in rows}  # names, not only codes
    stockholm = compute_payment(frame, load_rulebook("stockholm-2020"), months=[MONTH])
    total = stockholm.invoice_frame["amount_sek"].sum()
    title = load_rulebook("stockholm-2020").title
    assert rows[-1]["Kommun"] == "Summa" and rows[-1][title] == total
    books = {r["Id"]: r["Regelverk"] for r in _sheet(xlsx, "Regelverk")}
    assert books["law-2017-612"] == "Lag (2017:612), 5 kap.: lagens eget betalningsansvar"


def test_the_pdf_carries_the_same_numbers(pdf_text, frame):
    assert "Månadsrapport" in pdf_text
    assert "3,80" in pdf_text  # mean ready days, all care, the region's March
    assert "Falun" in pdf_text  # the payment part names municipalities, not codes
    assert "alla vårdformer" in pdf_text and " all " not in pdf_text
    assert "Stockholms län: regional överenskommelse 2018–2019: gäller inte" in pdf_text
    assert "Region Stockholm:" in pdf_text  # rulebooks by name (the column's name wraps)
    assert "stockholm-2020" not in pdf_text
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
    assert {r["Kommunkod"] for r in _sheet(workbook, "Betalning")} == {"2080"}
    assert [r["Nyckel"] for r in _sheet(workbook, "Rangordning")] == ["2080"]


@pytest.mark.parametrize("path", ["2020-13.pdf", "2020-03.docx", "9999-12.pdf", "0001-01.xlsx"])
def test_a_bad_month_or_format_is_not_found(client, login, region_finance, region, path):
    login(region_finance)
    assert client.get(f"/followup/report/{region.pk}/{path}").status_code == 404


def test_a_chart_s_ticks_have_a_decimal_comma_in_swedish():
    from django.utils import translation

    from utskrivning.followup.charts import bar_chart
    from utskrivning.followup.figures import Figure

    figures = [Figure(key="2080", label="Falun", value=12.0), Figure("2081", "Borlänge", 2.0)]
    with translation.override("sv"):
        ticks = [t.label for t in bar_chart("ranking", figures).ticks]
    assert "2,5" in ticks and "2.5" not in ticks, ticks


def test_a_rulebook_that_cannot_run_says_why_in_swedish_not_the_command_s_english():
    """2021 has no national day rate: the report named the run's failure with the engine's
    message ("no national day rate for 2021 …; set it for the run with --set day_rate_2021=…"),
    English and a command's option in a PDF for a steering group."""
    from django.utils import translation

    from domain.payment.frames import frame, stay
    from utskrivning.followup.report import _what_if

    month = "2021-03"
    episodes = frame(stay(9, "2021-03-20", municipality="2080"))
    with translation.override("sv"):
        _, runs = _what_if(episodes, load_rulebook("dalarna-2020"), month, {"2080"})
        notes = {run.rulebook.id: run.note() for run in runs}
    failed = [run for run in runs if run.error is not None]
    assert failed, "no rulebook lacked the 2021 day rate"
    for run in failed:
        note = notes[run.rulebook.id]
        assert note.startswith("kan inte beräknas denna månad: regelverket saknar "), note
        assert "--set" not in note and "day_rate_" not in note and " the " not in note
    assert any(
        n == "kan inte beräknas denna månad: regelverket saknar Socialstyrelsens belopp per "
        "vårddygn 2021"
        for n in notes.values()
    ), notes
