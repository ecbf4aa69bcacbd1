"""Golden tables: small episode files per rulebook with every answer worked out by hand.

`golden/<rulebook>.csv` is an episode file in the public format (docs/episode-file.md) that the
command line reads as it is; its extra columns `expect_ready_days`, `expect_basis`,
`expect_billable` and `note` (the hand working) are ignored by the reader. A still-admitted
episode has them empty: it is in no invoice. `golden/<rulebook>.invoices.csv` holds the expected
invoices, with the arithmetic in its `#` comment lines.

`golden/set/<rulebook>.<NAME>=<VALUE>.invoices.csv` are the invoices of `<rulebook>.csv` run with
`--set NAME=VALUE`; `golden/refused/<rulebook>--<case>.csv` are files the command must refuse with
exit 2, the `.expect` beside each naming the rulebook and the words the message must hold.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from utskrivning.cli import app
from utskrivning.domain.episodes import read_episodes
from utskrivning.domain.payment import PaymentResult, compute_payment
from utskrivning.domain.payment.explain import explain_episode
from utskrivning.domain.rulebooks import load_rulebook

GOLDEN = Path(__file__).parent / "golden"
RULEBOOKS = sorted(p.stem for p in GOLDEN.glob("*.csv") if not p.stem.endswith(".invoices"))
TODAY = date(2024, 1, 1)  # the reader dates 10-digit personnummer by it; the files use pseudonyms
INVOICE_FIELDS = ("counted_episodes", "ready_days", "billable_days", "amount_sek")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def _expected_lines() -> list[pytest.param]:
    return [
        pytest.param(rulebook_id, row, id=f"{rulebook_id}:{row['episode_id']}")
        for rulebook_id in RULEBOOKS
        for row in _rows(GOLDEN / f"{rulebook_id}.csv")
    ]


def _invoice_key(municipality: str, district: str | None, month: str, group: str) -> str:
    return f"{municipality}/{district or '-'}/{month}/{group}"


def _expected_invoices(rulebook_id: str, path: Path | None = None) -> dict[str, dict[str, str]]:
    return {
        _invoice_key(row["municipality"], row["district"], row["month"], row["group"]): {
            name: row[name] for name in INVOICE_FIELDS
        }
        for row in _rows(path or GOLDEN / f"{rulebook_id}.invoices.csv")
    }


@cache
def _episodes(rulebook_id: str):
    return read_episodes(GOLDEN / f"{rulebook_id}.csv", today=TODAY)


@cache
def _result(rulebook_id: str) -> PaymentResult:
    return compute_payment(_episodes(rulebook_id).frame, load_rulebook(rulebook_id))


def test_every_golden_file_has_its_invoices_and_a_rulebook():
    assert set(RULEBOOKS) == {
        "dalarna-2020", "law-2017-612", "stockholm-2018", "stockholm-2020", "uppsala-2018",
        "vastmanland-2019",
    }  # fmt: skip
    for rulebook_id in RULEBOOKS:
        assert (GOLDEN / f"{rulebook_id}.invoices.csv").exists()
        assert not _episodes(rulebook_id).errors


@pytest.mark.parametrize(("rulebook_id", "expected"), _expected_lines())
def test_golden_episode(rulebook_id, expected):
    """Each episode's ready days, basis and billable days, by hand (see its `note`)."""
    result = _result(rulebook_id)
    lines = result.line_frame.filter(result.line_frame["episode_id"] == expected["episode_id"])
    if not expected["expect_basis"]:
        assert lines.height == 0, "a still-admitted patient is in no month's invoice"
        return
    (line,) = lines.to_dicts()
    got = (line["ready_days"], line["basis"], line["billable_days"])
    want = (int(expected["expect_ready_days"]), expected["expect_basis"],
            int(expected["expect_billable"]))  # fmt: skip
    assert got == want, expected["note"]

    frame = _episodes(rulebook_id).frame
    (row,) = frame.filter(frame["episode_id"] == expected["episode_id"]).to_dicts()
    explained = explain_episode(row, load_rulebook(rulebook_id))
    assert (explained.ready_days, str(explained.basis), explained.billable_days) == want


@pytest.mark.parametrize("rulebook_id", RULEBOOKS)
def test_golden_invoices(rulebook_id):
    """Every invoice of the file, and no other, to the krona (hand working in the comments)."""
    got = {
        _invoice_key(i.municipality, i.district, i.month, i.group): {
            "counted_episodes": str(i.counted_episodes),
            "ready_days": str(i.ready_days),
            "billable_days": f"{i.billable_days:.2f}",
            "amount_sek": str(i.amount_sek),
        }
        for i in _result(rulebook_id).invoices()
    }
    assert got == _expected_invoices(rulebook_id)


def _through_the_command_line(rulebook_id: str, *options: str) -> dict:
    outcome = CliRunner().invoke(
        app,
        ["payment", "--rulebook", rulebook_id, "--episodes", str(GOLDEN / f"{rulebook_id}.csv"),
         "--format", "json", *options],
    )  # fmt: skip
    assert outcome.exit_code == 0, outcome.output
    data = json.loads(outcome.stdout)
    assert data["rulebook"] == rulebook_id
    return data


def _kronor_by_invoice(data: dict) -> dict[str, tuple[int, Decimal]]:
    return {
        _invoice_key(i["municipality"], i["district"], i["month"], i["group"]): (
            i["amount_sek"],
            Decimal(i["billable_days"]),
        )
        for i in data["invoices"]
    }


def _wanted_kronor(expected: dict[str, dict[str, str]]) -> dict[str, tuple[int, Decimal]]:
    return {
        key: (int(row["amount_sek"]), Decimal(row["billable_days"]))
        for key, row in expected.items()
    }


@pytest.mark.parametrize("rulebook_id", RULEBOOKS)
def test_golden_through_the_command_line(rulebook_id):
    """The same file and rulebook through `utskrivning payment --format json`: the same kronor,
    and every invoice lists its assumptions (a list, perhaps empty)."""
    data = _through_the_command_line(rulebook_id)
    assert _kronor_by_invoice(data) == _wanted_kronor(_expected_invoices(rulebook_id))
    assert all(isinstance(i["assumptions"], list) for i in data["invoices"])
    assert data["assumptions"] == list(
        dict.fromkeys(a for i in data["invoices"] for a in i["assumptions"])
    )


SETTINGS = sorted((GOLDEN / "set").glob("*.invoices.csv"))


@pytest.mark.parametrize("path", SETTINGS, ids=[p.name for p in SETTINGS])
def test_golden_with_a_parameter_set_for_the_run(path):
    """`--set NAME=VALUE` on a golden file: the what-if, worked by hand in the file's comments;
    every invoice says the value was set for this run."""
    rulebook_id, setting = path.name.removesuffix(".invoices.csv").split(".", 1)
    data = _through_the_command_line(rulebook_id, "--set", setting)
    assert _kronor_by_invoice(data) == _wanted_kronor(_expected_invoices(rulebook_id, path))
    name, value = setting.split("=")
    assert all(
        any(f"{name} = {value} was set for this run" in a for a in i["assumptions"])
        for i in data["invoices"]
    )


REFUSED = sorted((GOLDEN / "refused").glob("*.csv"))


@pytest.mark.parametrize("path", REFUSED, ids=[p.stem for p in REFUSED])
def test_golden_refusals(path):
    """Files the command must refuse (exit 2) rather than bill silently: the message names
    what is missing and how to give it (payment-rules.md, docs/episode-file.md)."""
    rulebook_id, *words = path.with_suffix(".expect").read_text(encoding="utf-8").splitlines()
    outcome = CliRunner().invoke(
        app, ["payment", "--rulebook", rulebook_id, "--episodes", str(path), "--format", "json"]
    )
    assert outcome.exit_code == 2, outcome.output
    assert outcome.stdout == ""
    message = " ".join(outcome.stderr.split())
    for word in words:
        assert word in message
