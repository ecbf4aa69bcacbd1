"""Issue 14, class 10 (the rulebook half): a rulebook file is input. Every value is checked on
load with an error naming the file and the field; money stays in a range that cannot overflow;
a broken file in the rulebook folder fails alone. The command line's numbers (--day-rate, --set)
are ASCII digits, bounded, and refused with exit 2 otherwise."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from domain.payment.test_rulebooks import GOOD as VALID
from utskrivning.cli import app
from utskrivning.domain.payment import compute_payment
from utskrivning.domain.rulebooks import (
    RulebookError,
    available_rulebooks,
    load_rulebook,
    rulebook_listing,
)

# The broken-rulebook tests' valid file, with a day rate of its own to break as well.
GOOD = VALID + "day_rate = 8200\n"


def _write(folder: Path, text: str, name: str = "hostile") -> Path:
    path = folder / f"{name}.toml"
    path.write_text(text.replace("{id}", name), encoding="utf-8")
    return path


def _refused(path: Path) -> str:
    with pytest.raises(RulebookError) as refused:
        load_rulebook(str(path))
    message = str(refused.value)
    assert str(path) in message or path.stem in message
    return message


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (('to = 2020-12-31', 'to = 9999-12-31'), ["to", "outside 2000-01-01"]),
        (('valid_from = 2020-01-01', 'valid_from = 0001-01-01'), ["valid_from", "outside"]),
        (('threshold = "2.0"', 'threshold = "-1.0"'), ["threshold", "greater than or equal"]),
        (('threshold = "2.0"', "threshold = 1e400"), ["threshold"]),
        (('threshold = "2.0"', 'threshold = "1E+400"'), ["threshold"]),
        (('threshold = "2.0"', 'threshold = "NaN"'), ["threshold"]),
        (('threshold = "2.0"', 'threshold = 10000'), ["threshold", "less than or equal"]),
        (('threshold = "2.0"', 'threshold = "2.001"'), ["threshold", "decimal places"]),
        (("day_rate = 8200", "day_rate = 100000000000000"), ["day_rate"]),
        (("day_rate = 8200", "day_rate = -8200"), ["day_rate"]),
        (("day_rate = 8200", 'day_rate = { "٢٠٢٠" = 8200 }'), ["day_rate", "keyed by year"]),
        (('model = "average"', 'model = "grace_days"\ngrace_days = -5'), ["grace_days"]),
        (('model = "average"', 'model = "grace_days"\ngrace_days = 10000000000000000000000'),
         ["grace_days"]),
        (('care_types = ["somatic", "geriatric", "psychiatric"]', 'care_types = "somatic"'),
         ["care_types"]),
        (('name = "Första"', 'name = "' + "x" * 5000 + '"'), ["name", "at most 200"]),
    ],
)  # fmt: skip
def test_a_value_out_of_range_or_of_the_wrong_type_is_refused_naming_the_field(
    tmp_path, change, words
):
    message = _refused(_write(tmp_path, GOOD.replace(*change)))
    for word in words:
        assert word in message


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (GOOD.split("[[groups]]")[0] + "groups = 5\n", "groups"),
        (GOOD + '\n[groups.stages.sources]\nthreshold = ["a list"]\n', "sources"),
        ('defaults = "a string"\n' + GOOD, "defaults"),
        (GOOD.replace('name = "all"', 'name = "all"\ndefaults = [1, 2]'), "groups[0].defaults"),
        (GOOD.replace("[[groups.stages]]", "stages = 7\n[[groups.x]]"), "stages"),
        ("parameters = 3\n" + GOOD, "parameters"),
    ],
)
def test_a_wrongly_typed_table_is_refused_naming_it(tmp_path, text, where):
    assert where in _refused(_write(tmp_path, text))


def test_deep_nesting_is_refused_not_a_crash(tmp_path):
    message = _refused(_write(tmp_path, "x = " + "[" * 100_000 + "]" * 100_000 + "\n" + GOOD))
    assert "nested too deeply" in message


def test_a_huge_file_is_refused_before_it_is_parsed(tmp_path):
    assert "larger than" in _refused(_write(tmp_path, GOOD + "#" * 1_000_000))


@pytest.mark.parametrize(
    ("unit", "value", "note", "words"),
    [
        ("days", "-3", 'source = "test"', ["parameters.limit", "outside 0"]),
        ("days", "1e400", 'source = "test"', ["parameters.limit", "finite"]),
        ("yes_no", '"1"', 'source = "test"', ["parameters.limit", "not of unit yes_no"]),
        ("days", "true", 'source = "test"', ["parameters.limit", "not of unit days"]),
        ("days", "3", "", ["source or the assumption"]),
    ],
)
def test_a_parameter_is_checked_like_any_value(tmp_path, unit, value, note, words):
    text = GOOD.replace('threshold = "2.0"', 'threshold = { parameter = "limit" }')
    table = f'description = "limit"\nunit = "{unit}"\nvalue = {value}\n{note}\n'
    message = _refused(_write(tmp_path, f"{text}\n[parameters.limit]\n{table}"))
    for word in words:
        assert word in message


def test_a_stage_naming_an_unknown_parameter_is_refused(tmp_path):
    text = GOOD.replace('threshold = "2.0"', 'threshold = { parameter = "nowhere" }')
    assert "names no parameter" in _refused(_write(tmp_path, text))


def test_one_broken_file_in_the_rulebook_folder_fails_alone(tmp_path, monkeypatch):
    """It once broke every region's monthly report: now the others load, the listing names it."""
    _write(tmp_path, GOOD, "good-one")
    broken = _write(tmp_path, GOOD.replace("to = 2020-12-31", "to = 9999-12-31"), "broken-one")
    monkeypatch.setenv("UTSKRIVNING_RULEBOOKS", str(tmp_path))
    listing = rulebook_listing()
    assert {"good-one", "dalarna-2020", "stockholm-2020"} <= {r.id for r in listing.rulebooks}
    assert [path for path, _ in listing.failed] == [broken]
    assert "broken-one" not in {r.id for r in available_rulebooks()}
    outcome = CliRunner().invoke(app, ["rulebooks"])
    assert outcome.exit_code == 0
    assert "good-one" in outcome.stdout and "dalarna-2020" in outcome.stdout
    # Rich wraps stderr at its console's width, whatever COLUMNS says once the console is made:
    # under pytest-xdist the temporary path is longer (…/popen-gw1/…) and the file's name was cut
    # in two ("broken-o\nne.toml"). The lines are read as one.
    said = outcome.stderr.replace("\n", "")
    assert "broken-one" in said and "9999-12-31" in said


def test_money_cannot_overflow_at_the_largest_values_allowed(monkeypatch):
    """30 000 episodes of 36 500 ready days at ten times the largest day rate (100 000 SEK): the
    product of days and öre passes 2^63, which once wrapped into negative invoices."""
    n, days = 30_000, 36_500
    rulebook = load_rulebook("stockholm-2020", {"threshold_etapp_3": "0"})
    start = pl.datetime(2000, 1, 1, 10)
    frame = pl.DataFrame({"line": range(2, n + 2)}).select(
        line=pl.col("line"),
        episode_id=pl.format("E{}", pl.col("line")),
        care_type=pl.lit("somatic"),
        liable_municipality=pl.lit("0180"),
        liable_district=pl.lit(None, dtype=pl.String),
        primary_care_unit=pl.lit(None, dtype=pl.String),
        admission_notice_at=start,
        ready_at=start,
        named_contact_at=pl.lit(None, dtype=pl.Datetime("us")),
        sip_needed=pl.lit(False),
        sip_summoned_at=pl.lit(None, dtype=pl.Datetime("us")),
        discharged_at=start + pl.duration(days=days),
        status=pl.lit("done"),
    )
    (invoice,) = compute_payment(frame, rulebook, day_rate=Decimal(1_000_000)).invoices()
    assert invoice.ready_days == n * days
    assert invoice.amount_sek == n * days * 1_000_000


@pytest.mark.parametrize(
    "rate",
    [
        "NaN",
        "nan",
        "inf",
        "-Infinity",
        "1e5",
        "-1",
        "٣٠٠٠",
        "8200.001",
        "10000000000000",
        "0",
        "99.99",
        "100000.01",
    ],
)
def test_a_day_rate_that_is_not_a_bounded_amount_is_exit_2(tmp_path, rate):
    episodes = tmp_path / "episodes.csv"
    episodes.write_text("episode_id\n", encoding="utf-8")
    outcome = CliRunner().invoke(
        app, ["payment", "--rulebook", "dalarna-2020", "--episodes", str(episodes),
              "--day-rate", rate]
    )  # fmt: skip
    assert outcome.exit_code == 2, outcome.output
    assert "--day-rate" in outcome.stderr
    assert "from 100 to 100000" in " ".join(outcome.stderr.split())


@pytest.mark.parametrize(
    ("setting", "words"),
    [
        ("threshold=NaN", ["threshold", "digits"]),
        ("threshold=-1", ["threshold", "digits"]),
        ("threshold=٣", ["threshold", "digits"]),
        ("threshold=100000", ["threshold", "from 0 to 100"]),
        ("threshold=100.01", ["threshold", "from 0 to 100"]),
        # A day rate is a positive amount in SEK: 0 billed every month 0 kr without a word.
        ("day_rate_2020=0", ["day_rate_2020", "from 100 to 100000"]),
        ("day_rate_2020=99.99", ["day_rate_2020", "from 100 to 100000"]),
        ("day_rate_2020=1000000000000", ["day_rate_2020", "from 100 to 100000"]),
        ("day_rate_2020=100000.01", ["day_rate_2020", "from 100 to 100000"]),
        ("day_rate_2020=inf", ["day_rate_2020", "ASCII digits"]),
        ("day_rate_2020=8２00", ["day_rate_2020", "ASCII digits"]),
        ("threshold", ["NAME=VALUE"]),
        ("nowhere=1", ["no parameter 'nowhere'", "threshold", "day_rate_<YEAR>"]),
        ("day_rate_2024=1e9", ["day_rate_2024", "digits"]),
        # A year the agreement is not in force bills no month: the slip would go unseen.
        ("day_rate_2019=7900", ["day_rate_2019", "2020–2027", "no month bills 2019"]),
        ("day_rate_2091=7900", ["day_rate_2091", "2020–2027"]),
    ],
)
def test_a_setting_that_is_not_a_bounded_value_is_exit_2(tmp_path, setting, words):
    episodes = tmp_path / "episodes.csv"
    episodes.write_text(
        "episode_id,patient_id,municipality,care_type,admitted_at\n"
        "E1,P1,2080,somatic,2020-03-01 08:00\n",
        encoding="utf-8",
    )
    outcome = CliRunner().invoke(
        app, ["payment", "--rulebook", "dalarna-2020", "--episodes", str(episodes),
              "--set", setting]
    )  # fmt: skip
    assert outcome.exit_code == 2, outcome.output
    message = " ".join(outcome.stderr.split())
    for word in words:
        assert word in message


@pytest.mark.parametrize(("setting", "amount"), [("day_rate_2020=100", 100),
                                                 ("day_rate_2020=100000", 100_000)])  # fmt: skip
def test_a_day_rate_at_either_end_of_its_range_is_billed(tmp_path, setting, amount):
    """The range's ends are allowed: one episode of 3 days past Stockholm's 2.0 → 1 day."""
    episodes = tmp_path / "episodes.csv"
    episodes.write_text(
        "episode_id,patient_id,municipality,care_type,admitted_at,admission_notice_at,ready_at,"
        "discharged_at,status\nE1,19121212-1212,2080,somatic,2020-03-01 08:00,2020-03-01 09:00,"
        "2020-03-02 10:00,2020-03-05 12:00,UTFÖRD\n",
        encoding="utf-8",
    )
    outcome = CliRunner().invoke(
        app, ["payment", "--rulebook", "stockholm-2020", "--episodes", str(episodes),
              "--set", setting, "--format", "json"]
    )  # fmt: skip
    assert outcome.exit_code == 0, outcome.output
    [invoice] = json.loads(outcome.stdout)["invoices"]
    assert invoice["amount_sek"] == amount
