"""`utskrivning indicators` in every format, and its bad input (exit status 2, nothing written)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from domain.indicators.files import csv_text, episode
from utskrivning.cli import app
from utskrivning.domain.indicators import INDICATORS

OUT = "2020-03-20 10:00"


@pytest.fixture
def episodes(tmp_path: Path) -> Path:
    """Two Falun patients in March 2020: 2 and 4 ready days; one at a clinic named as a formula."""
    path = tmp_path / "episodes.csv"
    path.write_text(
        csv_text(
            episode(unit="=1+1", ready_at="2020-03-18 10:00",
                    discharged_at=OUT),
            episode(unit="Medicin", care_type="psychiatric", ready_at="2020-03-16 10:00",
                    discharged_at=OUT),
        ),
        encoding="utf-8",
    )  # fmt: skip
    return path


def run(*args: str) -> tuple[int, str, str]:
    """Exit status, stdout, and stderr with rich's line wrapping undone."""
    result = CliRunner().invoke(app, ["indicators", *args])
    return result.exit_code, result.stdout, " ".join(result.stderr.split())


def test_json_has_a_row_per_care_and_indicator(episodes: Path) -> None:
    code, out, _ = run("--episodes", str(episodes), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert (data["by"], data["skipped_rows"]) == ("municipality", 0)
    assert len(data["indicators"]) == 3 * len(INDICATORS)
    [mean] = [r for r in data["indicators"] if r["indicator"] == "mean_ready_days"
              and r["care"] == "all"]  # fmt: skip
    assert mean == {
        "month": "2020-03", "key": "2080", "care": "all", "indicator": "mean_ready_days",
        "title_sv": "Medelvårdtid som utskrivningsklar", "unit": "mean",
        "numerator": 6.0, "denominator": 2.0, "value": 3.0,
    }  # fmt: skip


def test_csv_by_unit_neutralises_formulas(episodes: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.csv"
    code, out, _ = run("--episodes", str(episodes), "--by", "unit", "--format", "csv",
                       "--output", str(output))  # fmt: skip
    assert (code, out) == (0, "")
    lines = output.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "month,key,care,indicator,title_sv,unit,numerator,denominator,value"
    assert "2020-03,Medicin,psychiatric,ready_days,Summa utskrivningsklara dagar,days,4.0,,4.0" in (
        lines
    )
    assert all(not line.split(",")[1].startswith("=") for line in lines)
    assert any(line.startswith("2020-03,'=1+1,") for line in lines)


def test_xlsx_numbers_and_safe_text(episodes: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.xlsx"
    code, _, _ = run("--episodes", str(episodes), "--by", "unit", "--format", "xlsx",
                     "--output", str(output))  # fmt: skip
    assert code == 0
    sheet = openpyxl.load_workbook(output)["Indikatorer"]
    rows = list(sheet.iter_rows(values_only=True))
    # For the people who open it: Swedish names and words, as the invoice basis's workbook.
    assert rows[0] == ("Månad", "Klinik", "Vård", "Id", "Indikator", "Enhet", "Täljare",
                       "Nämnare", "Värde")  # fmt: skip
    share = [r for r in rows if r[1] == "Medicin" and r[3] == "over_three_ready_days"
             and r[2] == "alla"]  # fmt: skip
    title = INDICATORS["over_three_ready_days"].title_sv
    assert share == [
        ("2020-03", "Medicin", "alla", "over_three_ready_days", title, "andel", 1, 1, 1)
    ]
    assert {r[1] for r in rows[1:]} == {"Medicin", "'=1+1"}


def test_table_has_swedish_titles_and_names(episodes: Path) -> None:
    code, out, _ = run("--episodes", str(episodes), "--month", "2020-03")
    assert code == 0
    assert "Medelvårdtid som utskrivningsklar" in out
    assert "2080 Falun" in out
    assert "psykiatrisk" in out
    assert "3,00" in out  # the mean, Swedish decimal comma
    assert "50,0 %" in out  # c) one of the two over three days


def test_table_to_a_file(episodes: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.txt"
    code, out, _ = run("--episodes", str(episodes), "--by", "primary_care_unit",
                       "--output", str(output))  # fmt: skip
    assert (code, out) == (0, "")
    assert "Vårdcentral" in output.read_text(encoding="utf-8")


def test_month_without_episodes_gives_an_empty_result(episodes: Path) -> None:
    code, out, _ = run("--episodes", str(episodes), "--month", "2021-01", "--format", "json")
    assert code == 0
    assert json.loads(out)["indicators"] == []


@pytest.mark.parametrize(
    "args",
    [
        ("--month", "2020-13"),
        ("--by", "district"),
        ("--format", "xlsx"),  # no --output
    ],
)
def test_bad_options_exit_2(episodes: Path, args: tuple[str, ...]) -> None:
    code, out, _ = run("--episodes", str(episodes), *args)
    assert code == 2
    assert out == ""


def test_bad_rows_exit_2_and_write_nothing_unless_skipped(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        csv_text(episode(discharged_at=OUT), episode(municipality="9999", discharged_at=OUT)),
        encoding="utf-8",
    )
    output = tmp_path / "out.json"
    code, _, err = run("--episodes", str(path), "--format", "json", "--output", str(output))
    assert code == 2
    assert "line 3, column municipality" in err
    assert not output.exists()
    code, out, err = run("--episodes", str(path), "--format", "json", "--skip-invalid")
    assert code == 0
    data = json.loads(out)
    assert data["skipped_rows"] == 1
    [episodes] = [r for r in data["indicators"] if r["indicator"] == "episodes" and
                  r["care"] == "all"]  # fmt: skip
    assert episodes["value"] == 1
    assert "skipped: line 3" in err


def test_missing_file_exits_2(tmp_path: Path) -> None:
    code, _, err = run("--episodes", str(tmp_path / "none.csv"))
    assert code == 2
    assert "no such file" in err


def test_table_prints_a_clinic_name_with_brackets_as_written(tmp_path: Path) -> None:
    path = tmp_path / "episodes.csv"
    path.write_text(csv_text(episode(unit="Avd [/b] 3", discharged_at=OUT)), encoding="utf-8")
    code, out, _ = run("--episodes", str(path), "--by", "unit")
    assert code == 0
    assert "Avd [/b] 3" in out


@pytest.fixture
def years(tmp_path: Path) -> Path:
    """Falun: March 2017 4 and 2 ready days (mean 3), May 2017 6; March 2020 1 day, April 3."""
    path = tmp_path / "years.csv"
    stays = [("2017-03-01", "2017-03-05"), ("2017-03-10", "2017-03-12"),
             ("2017-05-01", "2017-05-07"), ("2020-03-01", "2020-03-02"),
             ("2020-04-01", "2020-04-04")]  # fmt: skip
    path.write_text(
        csv_text(*(episode(admitted_at=f"{ready} 08:00", ready_at=f"{ready} 10:00",
                           discharged_at=f"{out} 10:00") for ready, out in stays)),
        encoding="utf-8",
    )  # fmt: skip
    return path


def _mean(rows: list[dict]) -> dict:
    [row] = [r for r in rows if r["indicator"] == "mean_ready_days" and r["care"] == "all"]
    return row


def test_baseline_compares_each_year_with_the_baseline_year(years: Path) -> None:
    code, out, _ = run("--episodes", str(years), "--baseline", "2017", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert (data["baseline_year"], data["by"]) == (2017, "municipality")
    assert {r["period"] for r in data["comparison"]} == {"2020"}
    # 2020: 4 days over 2 episodes; 2017: 12 days over 3.
    mean = _mean(data["comparison"])
    assert (mean["value"], mean["baseline_value"], mean["difference"]) == (2.0, 4.0, -2.0)
    assert (mean["baseline_numerator"], mean["baseline_denominator"]) == (12.0, 3.0)
    assert mean["change"] == "better"


def test_baseline_with_a_month_takes_the_same_month_of_the_baseline_year(years: Path) -> None:
    code, out, _ = run("--episodes", str(years), "--baseline", "2017", "--month", "2020-03",
                       "--format", "json")  # fmt: skip
    assert code == 0
    mean = _mean(json.loads(out)["comparison"])
    # March 2020: 1 day over 1; March 2017: 6 days over 2.
    assert (mean["period"], mean["value"], mean["baseline_value"]) == ("2020-03", 1.0, 3.0)


def test_baseline_as_csv_xlsx_and_table(years: Path, tmp_path: Path) -> None:
    code, out, _ = run("--episodes", str(years), "--baseline", "2017", "--format", "csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == ("period,key,care,indicator,title_sv,unit,numerator,denominator,value,"
                        "baseline_numerator,baseline_denominator,baseline_value,difference,"
                        "change")  # fmt: skip
    assert "2020,2080,all,ready_days,Summa utskrivningsklara dagar,days,4.0,,4.0,12.0,,12.0," \
           "-8.0,better" in lines  # fmt: skip
    output = tmp_path / "baseline.xlsx"
    code, _, _ = run("--episodes", str(years), "--baseline", "2017", "--format", "xlsx",
                     "--output", str(output))  # fmt: skip
    assert code == 0
    rows = list(openpyxl.load_workbook(output)["Jämförelse"].iter_rows(values_only=True))
    assert rows[0] == ("Period", "Kommun", "Vård", "Id", "Indikator", "Enhet", "Täljare",
                       "Nämnare", "Värde", "Basårets täljare", "Basårets nämnare",
                       "Basårets värde", "Skillnad", "Förändring")  # fmt: skip
    mean = next(r for r in rows if r[3] == "mean_ready_days" and r[2] == "alla")
    assert mean[8:] == (2, 12, 3, 4, -2, "bättre")  # value, baseline n, d, value, diff
    code, out, _ = run("--episodes", str(years), "--baseline", "2017")
    assert code == 0
    assert "basåret 2017" in out
    assert "2,00" in out and "4,00" in out and "−2,00" in out and "bättre" in out


def test_baseline_outside_the_years_is_refused(years: Path) -> None:
    code, out, _ = run("--episodes", str(years), "--baseline", "17")
    assert (code, out) == (2, "")
