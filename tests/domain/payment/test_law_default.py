"""The law's own rule (Lag 2017:612, 5 kap.), Uppsala's model that follows it, and a region's own
rule written as a rulebook file without code (payment-rules.md, "law_default").
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from utskrivning.domain.payment import Basis, compute_payment
from utskrivning.domain.payment.explain import explain_episode
from utskrivning.domain.rulebooks import Model, Rulebook, available_rulebooks, load_rulebook

from .frames import episode, frame, invoice_of, line_of


@pytest.fixture(scope="module")
def law() -> Rulebook:
    return load_rulebook("law-2017-612")


@pytest.fixture(scope="module")
def uppsala() -> Rulebook:
    return load_rulebook("uppsala-2018")


# --- Lag (2017:612) 5 kap.: three calendar days ---------------------------------------------


@pytest.mark.parametrize("rulebook_id", ["law-2017-612", "uppsala-2018"])
def test_law_three_calendar_days_after_the_notification(rulebook_id):
    """5 kap.: liability starts three calendar days after the notification (its date is day 1).

    Ready Fri 2019-03-01 10:00, out Wed 2019-03-06: ready days 1, 2, 3, 4, 5 March = 5; the first
    three are the law's, 4 and 5 March are billed: 2 × 7 800 (Socialstyrelsen 2019) = 15 600 SEK.
    """
    rulebook = load_rulebook(rulebook_id)
    row = episode("2019-03-01 10:00", "2019-03-06 09:00", episode_id="E")
    result = compute_payment(frame(row), rulebook)
    line = line_of(result, "E")
    assert (line["ready_days"], line["basis"], line["billable_days"]) == (5, "individual", 2)
    invoice = invoice_of(result, "2019-03", group="somatic")
    assert invoice.model == Model.LAW_DEFAULT
    assert invoice.day_rate_sek == 7800
    assert invoice.amount_sek == 15_600
    explained = explain_episode(row, rulebook)
    assert (explained.ready_days, explained.billable_days) == (5, 2)
    assert explained.amount_sek == 15_600


def test_law_three_days_counts_weekends_and_holidays(law):
    """Calendar days: Christmas 2019 gives no respite. Ready 23 Dec, out 28 Dec: 5 − 3 = 2."""
    row = episode("2019-12-23 15:00", "2019-12-28 09:00", episode_id="E")
    line = line_of(compute_payment(frame(row), law), "E")
    assert (line["ready_days"], line["billable_days"]) == (5, 2)


def test_law_within_three_days_nothing_is_billed(law):
    row = episode("2019-03-01 10:00", "2019-03-04 09:00", episode_id="E")
    line = line_of(compute_payment(frame(row), law), "E")
    assert (line["ready_days"], line["billable_days"]) == (3, 0)


def test_law_day_after_reading_is_one_parameter(law):
    """payment-rules.md law_default: whether day 1 is the notification date or the day after is
    the rulebook's stated assumption and one parameter. `--set day_after=true` starts on
    2 March, billing one day less; no code changes."""
    other = load_rulebook("law-2017-612", {"day_after": "true"})
    row = episode("2019-03-01 10:00", "2019-03-06 09:00", episode_id="E")
    line = line_of(compute_payment(frame(row), other), "E")
    assert (line["ready_days"], line["billable_days"]) == (4, 1)
    assert law.parameters["day_after"].assumption
    (invoice,) = compute_payment(frame(row), law).invoices()
    assert any(a.startswith("day_after = false") for a in invoice.assumptions)


def test_law_psychiatric_rule_by_notification_date(law):
    """payment-rules.md law_default, prop. 2017/18:12: the rule in force on the notification
    date decides. Notified 2018-12-10, discharged 2019-01-20: 41 ready days (10 Dec – 19 Jan);
    the 2018 rule's 30 days run to 2019-01-08 (10 Dec is day 1), so 9 January – 19 January =
    11 days are billable (not 38 under 2019's three days), at 2019's rate: 11 × 7 800 = 85 800.
    """
    row = episode("2018-12-10 10:00", "2019-01-20 09:00", episode_id="E", care_type="psychiatric")
    result = compute_payment(frame(row), law)
    line = line_of(result, "E")
    assert (line["ready_days"], line["billable_days"]) == (41, 11)
    assert "in force on the notification date" in line["reason"]
    assert invoice_of(result, "2019-01", group="psychiatric").amount_sek == 85_800
    explained = explain_episode(row, law)
    assert (explained.billable_days, explained.reason) == (11, line["reason"])


def test_law_psychiatry_thirty_days_in_2018(law):
    """prop. 2017/18:12: 30 days in psychiatric inpatient care during 2018.

    Ready 2018-03-01, out 2018-04-05: 35 calendar days, 5 beyond 30. The national table has no
    2018 rate, so the run names one (as --day-rate does): 5 × 7 500 = 37 500 SEK.
    """
    row = episode("2018-03-01 10:00", "2018-04-05 09:00", episode_id="E", care_type="psychiatric")
    result = compute_payment(frame(row), law, day_rate=Decimal(7500))
    line = line_of(result, "E")
    assert (line["ready_days"], line["billable_days"]) == (35, 5)
    assert invoice_of(result, "2018-04", group="psychiatric").amount_sek == 37_500
    explained = explain_episode(row, law, day_rate=Decimal(7500))
    assert (explained.billable_days, explained.amount_sek) == (5, 37_500)


def test_law_psychiatry_back_to_three_days_from_2019(law):
    row = episode("2019-03-01 10:00", "2019-04-05 09:00", episode_id="E", care_type="psychiatric")
    line = line_of(compute_payment(frame(row), law), "E")
    assert (line["ready_days"], line["billable_days"]) == (35, 32)


def test_law_somatic_three_days_in_2018(law):
    row = episode("2018-03-01 10:00", "2018-03-06 09:00", episode_id="E")
    line = line_of(compute_payment(frame(row), law, day_rate=Decimal(7500)), "E")
    assert (line["ready_days"], line["billable_days"]) == (5, 2)


def test_law_preconditions_apply(law):
    """5 kap.: no admission notice, no liability."""
    row = episode("2019-03-01 10:00", "2019-03-20 09:00", episode_id="E", admission_notice_at=None)
    line = line_of(compute_payment(frame(row), law), "E")
    assert (line["basis"], line["billable_days"]) == (Basis.NOT_LIABLE, 0)


# --- Uppsala extends the law ------------------------------------------------------------------


def test_uppsala_extends_the_law_with_the_same_groups(law, uppsala):
    """Seed 003 punkt 1: "Ekonomisk ersättningsmodell ska följa det betalningsansvar som Lag ...
    anger": the same groups and stages, under Uppsala's own name and parties.
    """
    assert uppsala.id == "uppsala-2018"
    assert uppsala.groups == law.groups
    assert uppsala.valid_from == law.valid_from
    assert uppsala.parties != law.parties
    assert "model" in uppsala.sources
    assert "valid_from" in uppsala.assumptions
    # Punkt 2: the rate of "det avtal som gäller under perioden 1 maj 2018", not among the seeds:
    # every invoice lists that the national amount stands in for it (payment-rules.md).
    assert "1 May 2018" in uppsala.assumptions["day_rate"]
    assert "1 May 2018" not in " ".join(law.assumptions.values())


# --- A region's own rule as data -------------------------------------------------------------

ROUTINE_ID = "stockholm-psykiatri-rutin"
ROUTINE_TOML = """\
# Region Stockholm's later psychiatric routine (payment-rules.md): two calendar days including
# day zero, a 12:00 cut-off, 8 200 SEK a day. Somatic care keeps the law's three days.
id = "stockholm-psykiatri-rutin"
title = "Region Stockholm: rutin för psykiatrisk slutenvård"
region = "Region Stockholm"
summary = "Psychiatry: 2 calendar days incl. day zero, 12:00 cut-off, 8 200 SEK"
parties = ["Region Stockholm", "Storsthlm"]
valid_from = 2022-01-01

[[groups]]
name = "somatic"
care_types = ["somatic", "geriatric"]

[[groups.stages]]
name = "Lagens huvudregel"
from = 2022-01-01
model = "law_default"
grace_days = 3

[[groups]]
name = "psychiatric"
care_types = ["psychiatric"]

[[groups.stages]]
name = "Rutin psykiatri"
from = 2022-01-01
model = "grace_days"
counting = "calendar"
cutoff = "12:00"
grace_days = 2
day_rate = 8200
sources = { grace_days = "två kalenderdagar inklusive dag noll", cutoff = "kl. 12:00" }
"""


@pytest.fixture
def routine_file(tmp_path: Path) -> Path:
    path = tmp_path / f"{ROUTINE_ID}.toml"
    path.write_text(ROUTINE_TOML, encoding="utf-8")
    return path


ROUTINE_CASES = [
    # Ready Mon 7 March 11:00 (before 12:00): day 1 is 7 March. Out Fri 11 March: 7, 8, 9, 10 =
    # 4 ready days, 2 of grace, 9 and 10 March billed: 2 × 8 200 = 16 400 SEK.
    ("2022-03-07 11:00", "2022-03-11 10:00", 4, 2, 16_400),
    # Ready at 12:00 is not before the cut-off: day 1 is 8 March; 8, 9, 10 → 1 day, 8 200 SEK.
    ("2022-03-07 12:00", "2022-03-11 10:00", 3, 1, 8_200),
    # Day zero and day one are within the two grace days.
    ("2022-03-07 11:00", "2022-03-07 18:00", 0, 0, 0),
    ("2022-03-07 11:00", "2022-03-09 10:00", 2, 0, 0),
]


def _check_routine(rulebook: Rulebook, ready, out, ready_days, billable, amount) -> None:
    row = episode(ready, out, episode_id="P", care_type="psychiatric")
    result = compute_payment(frame(row), rulebook)
    line = line_of(result, "P")
    assert (line["ready_days"], line["billable_days"]) == (ready_days, billable)
    invoice = invoice_of(result, "2022-03", group="psychiatric")
    assert invoice.day_rate_sek == 8200
    assert invoice.amount_sek == amount
    explained = explain_episode(row, rulebook)
    assert (explained.ready_days, explained.billable_days) == (ready_days, billable)


@pytest.mark.parametrize(("ready", "out", "ready_days", "billable", "amount"), ROUTINE_CASES)
def test_region_rule_loaded_by_path(routine_file, ready, out, ready_days, billable, amount):
    """A rule the project never shipped, expressed as TOML and loaded by its path."""
    rulebook = load_rulebook(str(routine_file))
    assert rulebook.id == ROUTINE_ID
    _check_routine(rulebook, ready, out, ready_days, billable, amount)


def test_region_rule_found_by_id_in_utskrivning_rulebooks(routine_file, monkeypatch):
    """A directory named by UTSKRIVNING_RULEBOOKS adds the region's files to the shipped ones."""
    monkeypatch.setenv("UTSKRIVNING_RULEBOOKS", str(routine_file.parent))
    rulebook = load_rulebook(ROUTINE_ID)
    assert rulebook.id == ROUTINE_ID
    assert ROUTINE_ID in {r.id for r in available_rulebooks()}
    for case in ROUTINE_CASES:
        _check_routine(rulebook, *case)


def test_region_rule_somatic_group_keeps_the_law(routine_file):
    """The same file's somatic group: the law's three days, at the national rate for 2022."""
    rulebook = load_rulebook(str(routine_file))
    row = episode("2022-03-07 11:00", "2022-03-11 10:00", episode_id="S")
    result = compute_payment(frame(row), rulebook)
    assert line_of(result, "S")["billable_days"] == 1
    assert invoice_of(result, "2022-03", group="somatic").amount_sek == 9300
