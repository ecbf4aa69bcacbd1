"""The shipped rulebooks, their citations, and what a broken rulebook or a missing rate says."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from utskrivning.domain.payment import PaymentError, compute_payment
from utskrivning.domain.rulebooks import (
    CARE_TYPES,
    RulebookError,
    Stage,
    available_rulebooks,
    load_rulebook,
)

from .frames import episode, frame, invoice_of, stay

SHIPPED = [
    "dalarna-2020",
    "law-2017-612",
    "stockholm-2018",
    "stockholm-2020",
    "uppsala-2018",
    "vastmanland-2019",
]

# The values that decide an amount. Each one a stage sets away from the schema's default must be
# cited from the seed (`sources`) or declared the project's reading (`assumptions`); `model` has
# no default and is always cited. Names and dates are checked at rulebook level.
DECIDING = [
    "model", "counting", "cutoff", "day_after", "zero_days", "status_filter", "grace_days",
    "threshold", "liable_when", "individual", "preconditions", "day_rate", "invoicing",
]  # fmt: skip


def test_every_shipped_rulebook_loads():
    loaded = {r.id for r in available_rulebooks()}
    assert set(SHIPPED) <= loaded
    for rulebook_id in SHIPPED:
        rulebook = load_rulebook(rulebook_id)
        assert rulebook.id == rulebook_id
        covered = [c for g in rulebook.groups for c in g.care_types]
        assert sorted(covered) == sorted(CARE_TYPES)
        assert all(g.stages for g in rulebook.groups)


def _default(name: str) -> object:
    field = Stage.model_fields[name]
    return object() if field.is_required() else field.default


@pytest.mark.parametrize("rulebook_id", SHIPPED)
def test_every_deciding_value_is_cited_or_assumed(rulebook_id):
    """Rules traceable to the agreements: a reader goes from a number to the seed's words."""
    rulebook = load_rulebook(rulebook_id)
    uncited = [
        f"{group.name}/{stage.name}: {name} = {getattr(stage, name)!r}"
        for group in rulebook.groups
        for stage in group.stages
        for name in DECIDING
        if getattr(stage, name) != _default(name)
        and name not in stage.sources
        and name not in stage.assumptions
        # A parameter's value carries its own source or assumption (parameters.py).
        and name not in stage.parameters
    ]
    assert not uncited, f"{rulebook_id}: values with neither a source nor an assumption: {uncited}"
    assert "valid_from" in rulebook.sources or "valid_from" in rulebook.assumptions
    notes = [
        text
        for stage in (s for g in rulebook.groups for s in g.stages)
        for text in (*stage.sources.values(), *stage.assumptions.values())
    ]
    assert all(text.strip() for text in notes)


@pytest.mark.parametrize("rulebook_id", ["dalarna-2020", "stockholm-2018", "stockholm-2020",
                                         "vastmanland-2019", "uppsala-2018"])  # fmt: skip
def test_agreement_rulebooks_name_their_seed(rulebook_id):
    rulebook = load_rulebook(rulebook_id)
    assert rulebook.seed is not None
    assert re.fullmatch(r"00[0-9]_[0-9a-f]{16}\.txt", rulebook.seed)


# --- Broken rulebooks -------------------------------------------------------------------------

GOOD = """\
id = "{id}"
title = "Test"
region = "Region Test"
summary = "A test rulebook"
parties = ["Region Test"]
valid_from = 2020-01-01

[[groups]]
name = "all"
care_types = ["somatic", "geriatric", "psychiatric"]

[[groups.stages]]
name = "Första"
from = 2020-01-01
to = 2020-12-31
model = "average"
threshold = "2.0"
"""


def _write(tmp_path: Path, text: str, name: str = "broken") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text.replace("{id}", name), encoding="utf-8")
    return path


def test_the_good_test_rulebook_loads(tmp_path):
    assert load_rulebook(str(_write(tmp_path, GOOD, "good"))).id == "good"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (
            lambda t: t.replace('threshold = "2.0"', 'threshold = "2.0"\nthresold = "2.0"'),
            "groups.0.stages.0.thresold",
            "Extra inputs are not permitted",
        ),
        (
            lambda t: t.replace('region = "Region Test"', 'region = "R"\ncolour = "blue"'),
            "colour",
            "Extra inputs are not permitted",
        ),
        (
            lambda t: (
                t + '\n[[groups.stages]]\nname = "Andra"\nfrom = 2020-12-01\n'
                'model = "average"\nthreshold = "1.3"\n'
            ),
            "groups.0",
            "stages 'Första' and 'Andra' overlap",
        ),
        (
            lambda t: t.replace('threshold = "2.0"\n', ""),
            "groups.0.stages.0",
            "the average model needs a threshold",
        ),
        (
            lambda t: t.replace("from = 2020-01-01", "from = 2020-01-15"),
            "groups.0.stages.0",
            "stages run in whole months",
        ),
        (
            lambda t: t.replace("to = 2020-12-31", "to = 2020-12-30"),
            "groups.0.stages.0",
            "stages run in whole months",
        ),
        (
            lambda t: t.replace('model = "average"', 'model = "grace_days"').replace(
                'threshold = "2.0"', ""
            ),
            "groups.0.stages.0",
            "needs grace_days",
        ),
        (
            lambda t: t.replace('"geriatric", ', ""),
            "rulebook: Value error",
            "no group covers care type(s) ['geriatric']",
        ),
        (
            lambda t: t.replace('care_types = ["somatic",', 'care_types = ["dental", "somatic",'),
            "groups.0.care_types.0",
            "Input should be",
        ),
        (
            lambda t: t + 'sources = { treshold = "§1" }\n',
            "groups.0.stages.0",
            "sources/assumptions name no field",
        ),
        (
            lambda t: t.replace('threshold = "2.0"', 'threshold = "two"'),
            "groups.0.stages.0.threshold",
            "",
        ),
    ],
    ids=[
        "unknown-stage-key",
        "unknown-rulebook-key",
        "overlapping-stages",
        "average-without-threshold",
        "stage-not-from-first",
        "stage-not-to-last",
        "grace-without-days",
        "care-type-uncovered",
        "unknown-care-type",
        "citation-of-no-field",
        "threshold-not-a-number",
    ],
)
def test_broken_rulebook_names_the_file_and_the_field(tmp_path, change, field, words):
    path = _write(tmp_path, change(GOOD))
    with pytest.raises(RulebookError) as error:
        load_rulebook(str(path))
    message = str(error.value)
    assert message.startswith(str(path.resolve()))
    assert ": :" not in message
    assert field in message
    assert words in message


def test_bad_toml_names_the_file_and_the_line(tmp_path):
    path = _write(tmp_path, GOOD.replace('title = "Test"', 'title = "Test'))
    with pytest.raises(RulebookError, match="not valid TOML") as error:
        load_rulebook(str(path))
    assert str(path.resolve()) in str(error.value)
    assert "line 2" in str(error.value)


def test_id_differing_from_the_file_name(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(GOOD.replace("{id}", "theirs"), encoding="utf-8")
    with pytest.raises(RulebookError, match=r"id 'theirs' differs from the file name 'mine'"):
        load_rulebook(str(path))


def test_unknown_rulebook_lists_the_known_ones():
    with pytest.raises(RulebookError) as error:
        load_rulebook("gotland-2030")
    assert "'gotland-2030'" in str(error.value)
    assert "dalarna-2020" in str(error.value)


def test_extends_an_unknown_rulebook(tmp_path):
    path = _write(tmp_path, 'extends = "nowhere-2017"\n' + GOOD)
    with pytest.raises(RulebookError, match="no rulebook 'nowhere-2017'"):
        load_rulebook(str(path))


# --- Day rates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rulebook_id", "row", "month", "group", "days"),
    [
        ("dalarna-2020", stay(8, "2020-03-20"), "2020-03", "all", 5),
        (
            "stockholm-2018",
            episode("2019-03-04 10:00", "2019-03-18 10:00"),
            "2019-03",
            "somatic",
            9,
        ),
        ("stockholm-2020", stay(3, "2020-05-20"), "2020-05", "somatic", 1),
        ("law-2017-612", stay(5, "2019-03-20"), "2019-03", "somatic", 2),
    ],
)
def test_day_rate_override_replaces_every_rate(rulebook_id, row, month, group, days):
    """--day-rate: one amount for the run, over the national table and a stage's own rates."""
    rulebook = load_rulebook(rulebook_id)
    result = compute_payment(frame(row), rulebook, day_rate=Decimal("1000.50"))
    invoice = invoice_of(result, month, group=group)
    assert invoice.day_rate_sek == Decimal("1000.50")
    assert invoice.billable_days == days
    assert invoice.amount_sek == int((days * Decimal("1000.50")).to_integral_value("ROUND_HALF_UP"))


@pytest.mark.parametrize(
    ("rulebook_id", "row", "year"),
    [
        ("dalarna-2020", stay(3, "2021-03-20"), 2021),
        ("law-2017-612", stay(5, "2018-03-20"), 2018),
        ("stockholm-2020", stay(3, "2021-02-20"), 2021),
    ],
)
def test_year_without_a_national_rate_names_the_year(rulebook_id, row, year):
    with pytest.raises(PaymentError) as error:
        compute_payment(frame(row), load_rulebook(rulebook_id))
    message = str(error.value)
    assert f"no national day rate for {year}" in message
    assert "national-day-rates.toml" in message
    assert f"--set day_rate_{year}=AMOUNT" in message
    assert "--day-rate" in message


def test_an_assumed_national_rate_is_listed_on_every_invoice_that_uses_it():
    """payment-rules.md "Parameters and assumptions": 2024 has no published figure in the
    project; 2022's 9 300 carried forward is an assumption the invoice lists, never silent."""
    (invoice,) = compute_payment(
        frame(stay(3, "2024-03-20")), load_rulebook("dalarna-2020")
    ).invoices()
    assert invoice.day_rate_sek == 9300
    assert any(a.startswith("day_rate_2024 = 9300") for a in invoice.assumptions)


def test_an_assumed_national_rate_is_refused_where_published_figures_are_required():
    """The command line's choice (assumed_rates=False): name the parameter and how to set it."""
    with pytest.raises(PaymentError) as refused:
        compute_payment(
            frame(stay(3, "2024-03-20")), load_rulebook("dalarna-2020"), assumed_rates=False
        )
    assert "--set day_rate_2024=AMOUNT" in str(refused.value)


def test_a_national_rate_set_for_the_run_is_used_and_listed():
    """--set day_rate_2021=8900 (a year the project has no figure for): Dalarna §11, 8 ready
    days billed individually beyond 3: 5 days × 8 900 = 44 500 SEK."""
    rulebook = load_rulebook("dalarna-2020", {"day_rate_2021": "8900"})
    result = compute_payment(frame(stay(8, "2021-02-20")), rulebook, assumed_rates=False)
    (invoice,) = result.invoices()
    assert (invoice.day_rate_sek, invoice.amount_sek) == (8900, 44500)
    assert any("day_rate_2021 = 8900 was set for this run" in a for a in invoice.assumptions)


def test_missing_rate_of_a_month_not_asked_for_is_no_error():
    """Only the months asked for need a rate; the months before are still computed for history."""
    rows = [stay(3, "2021-01-20"), stay(3, "2022-01-20")]
    result = compute_payment(frame(*rows), load_rulebook("stockholm-2020"), months=["2022-01"])
    assert [i.month for i in result.invoices()] == ["2022-01"]
    assert result.invoices()[0].day_rate_sek == 9300


def test_day_rate_with_fractions_of_an_ore_is_refused():
    with pytest.raises(PaymentError, match="more than two decimals"):
        compute_payment(
            frame(stay(3, "2020-05-20")), load_rulebook("stockholm-2020"), day_rate=Decimal("0.001")
        )
