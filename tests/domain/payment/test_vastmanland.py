"""Västmanland's addition of 2019-10-01 (seed 000), §3.4 Betalningsansvar, points 1–3."""

from __future__ import annotations

from decimal import Decimal

import pytest

from utskrivning.domain.payment import Basis, PaymentError, compute_payment
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
    """The limit is in the base agreement, not in seed 000: a parameter, 3.0 assumed, the same
    for both stages, and every invoice lists the assumption (payment-rules.md)."""
    parameter = vastmanland.parameters["threshold"]
    assert (parameter.value, parameter.source) == (Decimal("3.0"), None)
    assert "assumed" in (parameter.assumption or "")
    (group,) = vastmanland.groups
    assert [s.parameters["threshold"] for s in group.stages] == ["threshold", "threshold"]
    assert all(s.threshold == Decimal("3.0") for s in group.stages)
    (invoice,) = compute_payment(frame(stay(4, "2020-02-20")), vastmanland).invoices()
    assert any(a.startswith("threshold = 3.0") for a in invoice.assumptions)


def test_threshold_set_for_the_run():
    """--set threshold=2.5: 3 and 4 days → 7 − 5.0 = 2 days × 8 200 = 16 400 SEK."""
    rulebook = load_rulebook("vastmanland-2019", {"threshold": "2.5"})
    rows = [stay(3, "2020-05-20"), stay(4, "2020-05-20")]
    may = invoice_of(compute_payment(frame(*rows), rulebook), "2020-05")
    assert (may.threshold_days, may.amount_sek) == (Decimal("2.50"), 16_400)
    assert any("threshold = 2.5 was set for this run" in a for a in may.assumptions)


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


def test_a_2019_file_bills_january_to_september_by_the_base_agreement(vastmanland):
    """Seed 000 §3.4 says what the addition changed from 2019-10-01; before it, zero-day
    patients counted, 13:00 was the cut-off and every contact counted (payment-rules.md).

    September 2019 (base agreement): 12:59 is before 13:00, day 1 16 Sep: 16–19 = 4; 13:00 is
    not before it, day 1 17 Sep: 17–19 = 3; a zero-day counts: 0; no status, still counted:
    9–14 Sep = 6. N = 4, D = 13, 3.25 > 3.0 → 13 − 12 = 1 day × 7 800 = 7 800 SEK.
    October 2019 (addition): 13:30 counts its date, 14–17 Oct = 4; 14–16 Oct = 3; the zero-day
    and the contact without UTFÖRD are left out. N = 2, D = 7, 3.50 → 1 day × 7 800 = 7 800 SEK.
    """
    rows = [
        episode("2019-09-16 12:59", "2019-09-20 10:00", episode_id="S1"),
        episode("2019-09-16 13:00", "2019-09-20 10:00", episode_id="S2"),
        episode("2019-09-18 08:00", "2019-09-18 16:00", episode_id="S3"),
        episode("2019-09-09 10:00", "2019-09-15 10:00", episode_id="S4", status=None),
        episode("2019-10-14 13:30", "2019-10-18 10:00", episode_id="O1"),
        episode("2019-10-14 10:00", "2019-10-17 10:00", episode_id="O2"),
        episode("2019-10-16 08:00", "2019-10-16 16:00", episode_id="O3"),
        episode("2019-10-14 10:00", "2019-10-20 10:00", episode_id="O4", status=None),
    ]
    result = compute_payment(frame(*rows), vastmanland)
    days = {e: line_of(result, e)["ready_days"] for e in ("S1", "S2", "S3", "S4", "O1", "O2")}
    assert days == {"S1": 4, "S2": 3, "S3": 0, "S4": 6, "O1": 4, "O2": 3}
    assert [line_of(result, e)["basis"] for e in ("S3", "S4", "O3", "O4")] == [
        Basis.AVERAGE, Basis.AVERAGE, Basis.EXCLUDED, Basis.EXCLUDED
    ]  # fmt: skip
    september = invoice_of(result, "2019-09")
    assert (september.stage, september.counted_episodes, september.ready_days) == (
        "Före tillägget", 4, 13
    )  # fmt: skip
    assert (september.billable_days, september.amount_sek) == (Decimal("1.00"), 7800)
    october = invoice_of(result, "2019-10")
    assert (october.stage, october.counted_episodes, october.ready_days) == (
        "Från tillägget 2019-10-01", 2, 7
    )  # fmt: skip
    assert (october.billable_days, october.amount_sek) == (Decimal("1.00"), 7800)
    for row in rows:
        explained = explain_episode({**row, "episode_id": row["episode_id"]}, vastmanland)
        line = line_of(result, row["episode_id"])
        assert (explained.ready_days, str(explained.basis)) == (line["ready_days"], line["basis"])


def test_a_file_without_status_is_refused_naming_the_column(vastmanland):
    """payment-rules.md and docs/episode-file.md: from 2019-10-01 only closed contacts with status
    UTFÖRD count, so a file without `status` is refused, never billed as zero."""
    rows = [stay(5, "2019-10-20", status=None), stay(5, "2019-10-21", status=None)]
    with pytest.raises(PaymentError) as refused:
        compute_payment(frame(*rows), vastmanland)
    assert "column status" in str(refused.value) and "2019-10" in str(refused.value)


def test_a_file_whose_status_stops_before_a_month_that_needs_it_is_refused(vastmanland):
    """The same silent zero as a file without the column: September has a status (none needed),
    November too, but no episode of October has one, so October would bill 0 (§3.4 p.3)."""
    rows = [
        stay(5, "2019-09-20", status="done"),
        stay(5, "2019-10-20", status=None),
        stay(5, "2019-10-21", status=None),
        stay(5, "2019-11-20", status="done"),
    ]
    with pytest.raises(PaymentError) as refused:
        compute_payment(frame(*rows), vastmanland)
    message = str(refused.value)
    assert "column status" in message and "2019-10" in message
    assert "2019-09" not in message and "2019-11" not in message


def test_the_service_s_open_contacts_are_not_refused(vastmanland):
    """In the service an empty status is a contact not yet closed, known as such: a month with
    none closed yet is billed as nothing counted, not refused (payment.basis)."""
    rows = [stay(5, "2019-10-20", status=None)]
    (october,) = compute_payment(frame(*rows), vastmanland, status_known=True).invoices()
    assert (october.counted_episodes, october.excluded_episodes, october.amount_sek) == (0, 1, 0)


def test_a_file_without_status_bills_the_months_before_the_addition(vastmanland):
    """Before 2019-10-01 there is no status filter: the same file of September is billed."""
    rows = [stay(5, "2019-09-20", status=None)]
    (september,) = compute_payment(frame(*rows), vastmanland).invoices()
    assert (september.counted_episodes, september.amount_sek) == (1, 2 * 7800)
