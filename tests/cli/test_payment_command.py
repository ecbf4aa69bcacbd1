"""The command line is a public contract (issue #2): options, exit status, JSON shape."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from utskrivning.cli import app
from utskrivning.domain import payment
from web.untranslated import untranslated_texts

HEADER = (
    "episode_id,patient_id,municipality,care_type,admitted_at,admission_notice_at,"
    "ready_at,discharged_at,status\n"
)


def _row(n: int, ready: str, discharged: str, municipality: str = "2080") -> str:
    return (
        f"E{n},19121212-1212,{municipality},somatisk,2020-03-01 08:00,2020-03-01 09:00,"
        f"{ready},{discharged},UTFÖRD\n"
    )


@pytest.fixture
def episodes(tmp_path: Path) -> Path:
    """Fifteen Falun patients in March 2020, 37 ready days: the issue's JSON example."""
    rows = [_row(n, "2020-03-02 10:00", "2020-03-04 12:00") for n in range(8)]  # 2 days each
    rows += [_row(n, "2020-03-02 10:00", "2020-03-05 12:00") for n in range(8, 15)]  # 3 each
    path = tmp_path / "episodes.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_json_invoice_has_the_contract_fields_and_amount(episodes: Path) -> None:
    """Stockholm 2020 etapp 1: 37 days over 15 patients against 2.0 → 7 days × 8 200 SEK."""
    code, out, _ = run("payment", "--rulebook", "stockholm-2020", "--episodes", str(episodes),
                       "--format", "json", "--day-rate", "8200")  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["rulebook"] == "stockholm-2020"
    assert data["skipped_rows"] == 0
    [invoice] = data["invoices"]
    assert invoice["municipality"] == "2080"
    assert invoice["district"] is None
    assert invoice["month"] == "2020-03"
    assert invoice["group"] == "somatic"
    assert invoice["model"] == "average"
    assert invoice["counted_episodes"] == 15
    assert invoice["ready_days"] == 37
    assert invoice["average_days"] == "2.47"
    assert invoice["threshold_days"] == "2.00"
    assert invoice["liable"] is True
    assert invoice["billable_days"] == "7.00"
    assert invoice["day_rate_sek"] == 8200
    assert invoice["amount_sek"] == 57400
    assert invoice["reason"]
    assert len(invoice["lines"]) == 15
    assert set(invoice["lines"][0]) >= {"episode_id", "ready_days", "basis", "billable_days",
                                        "amount_sek"}  # fmt: skip


def test_bad_rows_exit_2_with_line_and_column_and_no_output(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER + _row(1, "2020-03-02 10:00", "2020-03-04 12:00")
        + _row(2, "2020-03-02 10:00", "2020-03-04 12:00", municipality="9999"),
        encoding="utf-8",
    )  # fmt: skip
    output = tmp_path / "out.json"
    code, out, err = run("payment", "--rulebook", "dalarna-2020", "--episodes", str(path),
                         "--format", "json", "--output", str(output))  # fmt: skip
    assert code == 2
    assert "line 3" in err and "municipality" in err
    assert not output.exists()
    assert out == ""


def test_skip_invalid_counts_the_rows_left_out(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER + _row(1, "2020-03-02 10:00", "2020-03-04 12:00")
        + _row(2, "2020-03-02 10:00", "2020-13-04 12:00"),
        encoding="utf-8",
    )  # fmt: skip
    code, out, err = run("payment", "--rulebook", "dalarna-2020", "--episodes", str(path),
                         "--format", "json", "--skip-invalid", "--day-rate", "8200")  # fmt: skip
    assert code == 0
    assert json.loads(out)["skipped_rows"] == 1
    assert "line 3" in err


def test_month_filter_and_bad_month(episodes: Path) -> None:
    code, out, _ = run("payment", "--rulebook", "dalarna-2020", "--episodes", str(episodes),
                       "--format", "json", "--month", "2020-04")  # fmt: skip
    assert code == 0
    assert json.loads(out)["invoices"] == []
    code, _, err = run("payment", "--rulebook", "dalarna-2020", "--episodes", str(episodes),
                       "--month", "2020-3")  # fmt: skip
    assert code == 2
    assert "YYYY-MM" in err


def test_unknown_rulebook_is_named(episodes: Path) -> None:
    code, _, err = run("payment", "--rulebook", "narnia-2020", "--episodes", str(episodes))
    assert code == 2
    assert "narnia-2020" in err and "dalarna-2020" in err


def test_a_bad_file_is_told_before_a_bad_rulebook_and_a_bad_setting_after(tmp_path: Path) -> None:
    """The file's errors come first, and alone; a setting the rulebook lacks is refused."""
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + _row(1, "2020-03-02 10:00", "2020-13-04 12:00"), encoding="utf-8")
    code, _, err = run("payment", "--rulebook", "narnia-2020", "--episodes", str(path))
    assert code == 2
    assert "line 2" in err and "narnia" not in err
    good = tmp_path / "good.csv"
    good.write_text(HEADER + _row(1, "2020-03-02 10:00", "2020-03-04 12:00"), encoding="utf-8")
    code, _, err = run("payment", "--rulebook", "dalarna-2020", "--episodes", str(good),
                       "--set", "no_such_parameter=1")  # fmt: skip
    assert code == 2
    assert "no_such_parameter" in err


def test_csv_and_xlsx_agree_with_json(episodes: Path, tmp_path: Path) -> None:
    args = ["payment", "--rulebook", "stockholm-2020", "--episodes", str(episodes)]
    _, csv_out, _ = run(*args, "--format", "csv")
    assert csv_out.count("\n") == 16  # header + one row per episode line
    assert ",57400," in csv_out.splitlines()[1]
    target = tmp_path / "basis.xlsx"
    code, _, _ = run(*args, "--format", "xlsx", "--output", str(target))
    assert code == 0
    book = openpyxl.load_workbook(target)
    sheet = book["Fakturaunderlag"]
    header = [c.value for c in sheet[1]]
    amount = sheet.cell(2, header.index("Belopp (kr)") + 1)
    assert amount.value == 57400 and amount.number_format == '#,##0.00 "kr"'
    average = sheet.cell(2, header.index("Medelvärde (dagar)") + 1)
    assert average.value == pytest.approx(37 / 15, abs=0.005)
    assert average.number_format == "0.00"
    assert "amount_sek" not in header and "Antaganden" in header
    assert book["Rader"].max_row == 16


def test_the_xlsx_says_the_reasons_and_assumptions_in_swedish(
    episodes: Path, tmp_path: Path
) -> None:
    """The workbook is for a person: its reasons, assumptions and codes are Swedish, said from
    the engine's codes; the CSV keeps the English sentences other systems read."""
    args = ["payment", "--rulebook", "stockholm-2020", "--episodes", str(episodes)]
    _, csv_out, _ = run(*args, "--format", "csv")
    target = tmp_path / "basis.xlsx"
    assert run(*args, "--format", "xlsx", "--output", str(target))[0] == 0
    book = openpyxl.load_workbook(target)
    invoices, lines = (_rows(book[name]) for name in ("Fakturaunderlag", "Rader"))
    assert invoices[0]["Skäl"].startswith("medelvärdet 2,47 överstiger gränsen ")
    assert "average 2.47 exceeds the threshold" in csv_out  # the contract's sentence
    assert {line["Skäl"] for line in lines} >= {"räknas i månadens genomsnitt"}
    assert {line["Grund"] for line in lines} == {"genomsnitt"}
    assert {line["Grupp"] for line in lines} == {"somatisk vård"}
    assert {invoice["Modell"] for invoice in invoices} == {"genomsnittsmodell"}
    # The municipality by its name and code, the liability in words (not 2080 and TRUE).
    assert {invoice["Kommun"] for invoice in invoices} == {"Falun (2080)"}
    assert {line["Kommun"] for line in lines} == {"Falun (2080)"}
    assert [invoice["Betalningsansvar"] for invoice in invoices] == ["ja"]
    assert "\n2080,,2020-03,somatic," in csv_out and ",True," in csv_out  # the contract's
    texts = [cell for row in [*invoices, *lines] for cell in row.values() if isinstance(cell, str)]
    assert untranslated_texts(texts) == []


def _rows(sheet: Any) -> list[dict[str, Any]]:
    header = [cell.value for cell in sheet[1]]
    return [
        dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)
    ]


def test_table_is_the_default_format(episodes: Path) -> None:
    code, out, _ = run("payment", "--rulebook", "stockholm-2020", "--episodes", str(episodes))
    assert code == 0
    assert "57 400" in out and "Falun" in out


def test_the_table_builds_no_line_objects(episodes: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A national year has 1.5 million lines; the table shows invoices, never their lines."""

    def refuse(*args: object) -> None:
        raise AssertionError("the table built invoice lines")

    monkeypatch.setattr(payment, "_lines", refuse)
    code, out, _ = run("payment", "--rulebook", "stockholm-2020", "--episodes", str(episodes))
    assert code == 0
    assert "57 400" in out and "1 fakturaunderlag" in out


def test_a_district_is_shown_as_written_not_as_markup(tmp_path: Path) -> None:
    path = tmp_path / "episodes.csv"
    path.write_text(
        "episode_id,patient_id,municipality,district,care_type,admitted_at,ready_at,"
        "discharged_at\nE1,19121212-1212,0180,[bold]Norrmalm[/],somatic,2020-03-01 08:00,"
        "2020-03-02 10:00,2020-03-04 12:00\n",
        encoding="utf-8",
    )
    code, out, _ = run("payment", "--rulebook", "stockholm-2020", "--episodes", str(path))
    assert code == 0
    assert "[bold]Norrmalm[/]" in out


def test_json_and_csv_to_standard_output_are_the_files(episodes: Path, tmp_path: Path) -> None:
    args = ["payment", "--rulebook", "dalarna-2020", "--episodes", str(episodes)]
    for format in ("json", "csv"):
        _, printed, _ = run(*args, "--format", format)
        run(*args, "--format", format, "--output", str(tmp_path / format))
        assert printed == (tmp_path / format).read_text(encoding="utf-8")


def test_compare_has_a_column_per_rulebook_and_totals(episodes: Path) -> None:
    code, out, _ = run("payment", "compare", "--episodes", str(episodes), "--rulebooks",
                       "stockholm-2020,vastmanland-2019", "--format", "json")  # fmt: skip
    assert code == 0
    rows = json.loads(out)
    assert rows[0]["municipality"] == "2080"
    assert rows[0]["stockholm-2020"] == 57400
    assert rows[0]["vastmanland-2019"] == 0  # 2.47 does not exceed the assumed 3.0
    assert rows[-1]["municipality"] == "total"


def test_rulebooks_lists_every_shipped_rulebook() -> None:
    code, out, _ = run("rulebooks")
    assert code == 0
    for rulebook_id in ("dalarna-2020", "stockholm-2018", "stockholm-2020", "vastmanland-2019",
                        "uppsala-2018", "law-2017-612"):  # fmt: skip
        assert rulebook_id in out


def test_demo_data_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    for target in (first, second):
        code, _, _ = run("demo-data", "--episodes", "300", "--year", "2020", "--seed", "7",
                         "--output", str(target))  # fmt: skip
        assert code == 0
    assert first.read_bytes() == second.read_bytes()
    assert first.read_text(encoding="utf-8").count("\n") == 301


def test_installed_entry_point_runs_the_payment(episodes: Path) -> None:
    """Tests outside the project call the `utskrivning` executable itself."""
    executable = Path(sys.executable).with_name("utskrivning")
    result = subprocess.run(
        [str(executable), "payment", "--rulebook", "stockholm-2020", "--episodes", str(episodes),
         "--format", "json", "--day-rate", "8200"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["invoices"][0]["amount_sek"] == 57400


# --- Parameters and assumptions (payment-rules.md; issue 16 item 6) ---------------------------


def test_compare_takes_settings_per_rulebook(episodes: Path) -> None:
    """`--set vastmanland-2019:threshold=2.0`: 37 − 2.0 × 15 = 7 days × 8 200 = 57 400 for
    Västmanland too, while Stockholm's figure stays its own."""
    code, out, _ = run("payment", "compare", "--episodes", str(episodes), "--rulebooks",
                       "stockholm-2020,vastmanland-2019", "--format", "json",
                       "--set", "vastmanland-2019:threshold=2.0")  # fmt: skip
    assert code == 0
    first = json.loads(out)[0]
    assert (first["stockholm-2020"], first["vastmanland-2019"]) == (57400, 57400)


@pytest.mark.parametrize(
    ("setting", "words"),
    [
        ("threshold=2.0", "with several rulebooks write RULEBOOK:threshold"),
        ("dalarna-2020:threshold=2.0", "'dalarna-2020' is not among the rulebooks run"),
        ("vastmanland-2019:nowhere=2", "no parameter 'nowhere'"),
    ],
)
def test_compare_refuses_a_setting_it_cannot_place(episodes: Path, setting: str, words: str):
    code, _, err = run("payment", "compare", "--episodes", str(episodes), "--rulebooks",
                       "stockholm-2020,vastmanland-2019", "--set", setting)  # fmt: skip
    assert code == 2
    assert words in " ".join(err.split())


def test_the_table_warns_of_its_assumptions_and_the_files_carry_them(episodes: Path) -> None:
    """Västmanland's threshold 3.0 is assumed: a warning under the table, a column in CSV, a
    list in JSON; `--set threshold=2.4` turns it into a value set for the run: 37 − 2.4 × 15 = 1
    day × 8 200."""
    args = ["payment", "--rulebook", "vastmanland-2019", "--episodes", str(episodes)]
    code, _, err = run(*args)
    assert code == 0
    assert "Antaganden" in err and "threshold = 3.0" in err
    _, csv_out, _ = run(*args, "--format", "csv")
    header, first = csv_out.splitlines()[:2]
    assert "assumptions" in header.split(",") and "threshold = 3.0" in first
    _, json_out, _ = run(*args, "--format", "json", "--set", "threshold=2.4")
    (invoice,) = json.loads(json_out)["invoices"]
    assert any("threshold = 2.4 was set for this run" in a for a in invoice["assumptions"])
    assert invoice["amount_sek"] == 8200


def test_the_table_speaks_swedish_as_the_invoice_page_does(episodes: Path) -> None:
    """The groups and the law's rulebook by the service's Swedish names (its catalogue), not
    the codes `all`/`somatic` nor the English title."""
    code, out, _ = run("payment", "--rulebook", "dalarna-2020", "--episodes", str(episodes))
    assert code == 0
    assert "Fakturaunderlag · Dalarna" in out and "alla vårdformer" in out
    assert "│ all " not in out
    code, out, _ = run("payment", "--rulebook", "law-2017-612", "--episodes", str(episodes),
                       "--day-rate", "8200")  # fmt: skip
    assert code == 0
    assert "lagens eget betalningsansvar" in out and "somatisk vård" in out
    assert "the law's own" not in out and "│ somatic " not in out


def test_compare_xlsx_names_its_columns_in_swedish(episodes: Path, tmp_path: Path) -> None:
    target = tmp_path / "compare.xlsx"
    code, _, _ = run("payment", "compare", "--episodes", str(episodes), "--rulebooks",
                     "dalarna-2020,stockholm-2020", "--format", "xlsx",
                     "--output", str(target))  # fmt: skip
    assert code == 0
    rows = list(openpyxl.load_workbook(target)["Jämförelse"].iter_rows())
    assert [c.value for c in rows[0]] == ["Kommun", "Månad", "dalarna-2020", "stockholm-2020"]
    assert rows[-1][0].value == "Totalt"
    assert all(c.number_format == '#,##0.00 "kr"' for row in rows[1:] for c in row[2:])


def test_the_table_s_warnings_are_in_swedish_while_the_json_keeps_english(episodes: Path) -> None:
    """The warnings under the table are for a person: the service's words, from the notes'
    codes and the same catalogue; the JSON's `assumptions` are the contract, unchanged."""
    args = ["payment", "--rulebook", "vastmanland-2019", "--episodes", str(episodes),
            "--set", "threshold=2.4"]  # fmt: skip
    code, _, err = run(*args)
    assert code == 0
    err = " ".join(err.split())
    assert "threshold = 2.4 sattes för den här körningen (--set; regelverkets 3.0)" in err
    assert "was set for this run" not in err
    _, out, _ = run(*args, "--format", "json")
    assert any("was set for this run" in a for a in json.loads(out)["assumptions"])
