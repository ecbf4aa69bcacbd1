"""Västmanland's addition of 2019-10-01 (seed 000), §3.4 Betalningsansvar, points 1–3."""

from __future__ import annotations

from decimal import Decimal

import pytest

from utskrivning.domain.payment import Basis, compute_payment
from utskrivning.domain.payment.explain import explain_episode
from utskrivning.domain.rulebooks import Rulebook, load_rulebook

from .frames import episode, frame, invoice_of, line_of, stay

VASTERAS = "1980"


@pytest.fixture(scope="module")
def vastmanland() -> Rulebook:
    return load_rulebook("vastmanland-2019")


def test_3_4_point_1_zero_day_patients_leave_n_and_d(vastmanland):
    """§3.4 p.1 "Noll-dags patienter tas bort i betalningsberäkningen": same ready and home date.

    Two patients of 4 days and one day-zero: N = 2, D = 8, average 4.00 > 3.0 → 8 − 6 = 2 days ×
    8 200 = 16 400 SEK. Had the zero-day counted, 8/3 = 2.67 would be under the limit.
    """
    rows = [
        stay(4, "2020-02-20", municipality=VASTERAS),
        stay(4, "2020-02-20", municipality=VASTERAS),
        episode("2020-02-20 08:00", "2020-02-20 17:00", episode_id="ZERO", municipality=VASTERAS),
    ]
    result = compute_payment(frame(*rows), vastmanland)
    line = line_of(result, "ZERO")
    assert (line["ready_days"], line["basis"]) == (0, Basis.EXCLUDED)
    assert "day zero" in line["reason"]
    invoice = invoice_of(result, "2020-02")
    assert (invoice.counted_episodes, invoice.ready_days) == (2, 8)
    assert invoice.excluded_episodes == 1
    assert invoice.billable_days == Decimal("2.00")
    assert invoice.amount_sek == 16_400
    assert explain_episode(rows[2], vastmanland).basis is Basis.EXCLUDED


def test_3_4_point_2_no_cutoff_a_2359_notification_counts_that_date(vastmanland):
    """§3.4 p.2 "Klockan 13:00 tas bort som bryttid. Beräkningen görs enbart på datumet"."""
    late = episode("2020-02-17 23:59", "2020-02-20 08:00", episode_id="LATE")
    after_13 = episode("2020-02-17 13:00", "2020-02-20 08:00", episode_id="ONE")
    result = compute_payment(frame(late, after_13), vastmanland)
    assert line_of(result, "LATE")["ready_days"] == 3
    assert line_of(result, "ONE")["ready_days"] == 3
    explained = explain_episode(late, vastmanland)
    assert (str(explained.day_one), explained.ready_days) == ("2020-02-17", 3)


def test_3_4_point_2_late_notification_discharged_next_day_is_one_day(vastmanland):
    """By date only, 23:59 one day and 00:01 the next is one ready day, not a zero-day."""
    row = episode("2020-02-17 23:59", "2020-02-18 00:01", episode_id="E")
    line = line_of(compute_payment(frame(row), vastmanland), "E")
    assert (line["ready_days"], line["basis"]) == (1, Basis.AVERAGE)


@pytest.mark.parametrize("status", [None, "", "PLANERAD", "UTFÖRD", "utförd"])
def test_3_4_point_3_only_contacts_with_status_done_count(vastmanland, status):
    """§3.4 p.3 "avslutade (utskrivna) kontakter med status UTFÖRD".

    The episode reader turns UTFÖRD into the normalised `done`; anything else, raw, is not done.
    """
    rows = [
        stay(5, "2020-03-20", municipality=VASTERAS),
        stay(9, "2020-03-20", municipality=VASTERAS, episode_id="OPEN", status=status),
    ]
    result = compute_payment(frame(*rows), vastmanland)
    line = line_of(result, "OPEN")
    assert line["basis"] == Basis.EXCLUDED
    assert "UTFÖRD" in line["reason"]
    invoice = invoice_of(result, "2020-03")
    assert (invoice.counted_episodes, invoice.ready_days) == (1, 5)
    assert invoice.amount_sek == 2 * 8200
    assert explain_episode(rows[1], vastmanland).basis is Basis.EXCLUDED


def test_3_4_point_3_done_contacts_count(vastmanland):
    row = stay(5, "2020-03-20", episode_id="DONE", status="done")
    assert line_of(compute_payment(frame(row), vastmanland), "DONE")["basis"] == Basis.AVERAGE


def test_threshold_3_0_is_an_assumption_of_the_rulebook(vastmanland):
    """The limit is in the base agreement, not in seed 000: 3.0 is assumed and marked so."""
    (group,) = vastmanland.groups
    (stage,) = group.stages
    assert stage.threshold == Decimal("3.0")
    assert "threshold" in stage.assumptions
    assert "threshold" not in stage.sources
    assert "assumed" in stage.assumptions["threshold"]


def test_threshold_3_0_month_at_the_limit_is_not_liable(vastmanland):
    """Liable only when the average exceeds 3.0 (the rulebook's assumed `liable_when`)."""
    at_limit = [stay(3, "2020-04-20"), stay(3, "2020-04-20")]
    over = [stay(3, "2020-05-20"), stay(4, "2020-05-20")]
    result = compute_payment(frame(*at_limit, *over), vastmanland)
    assert not invoice_of(result, "2020-04").liable
    may = invoice_of(result, "2020-05")
    assert may.threshold_days == Decimal("3.00")
    assert may.billable_days == Decimal("1.00")
    assert may.amount_sek == 8200


def test_addition_starts_2019_10_01(vastmanland):
    """Seed 000 "Tillägg från 2019-10-01": September 2019 is out; October pays 2019's 7 800."""
    rows = [stay(5, "2019-09-20", episode_id="SEP"), stay(5, "2019-10-20", episode_id="OCT")]
    result = compute_payment(frame(*rows), vastmanland)
    assert line_of(result, "SEP")["basis"] == Basis.EXCLUDED
    october = invoice_of(result, "2019-10")
    assert october.day_rate_sek == 7800
    assert october.amount_sek == 2 * 7800
