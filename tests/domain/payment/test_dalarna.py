"""Dalarna 2020–2022 (seed 001), §11 Ekonomisk reglering and Bilaga 1, through the engine.

Every month here is in 2020, whose national day rate is 8 200 SEK (the rate Bilaga 1 uses).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from utskrivning.domain.payment import Basis, compute_payment
from utskrivning.domain.payment.explain import explain_episode
from utskrivning.domain.payment.export import to_json_dict
from utskrivning.domain.rulebooks import Rulebook, load_rulebook

from .frames import episode, frame, invoice_of, line_of, stay

RATE = Decimal(8200)


@pytest.fixture(scope="module")
def dalarna() -> Rulebook:
    return load_rulebook("dalarna-2020")


def with_threshold(rulebook: Rulebook, threshold: str) -> Rulebook:
    """The same agreement with another limit (§11 "Varje kalenderår fastställs ... gräns")."""
    (group,) = rulebook.groups
    (stage,) = group.stages
    stage = stage.model_copy(update={"threshold": Decimal(threshold)})
    group = group.model_copy(update={"stages": (stage,)})
    return rulebook.model_copy(update={"groups": (group,)})


def month_of(days: list[int], month: str, **fields: object) -> list[dict]:
    """Episodes discharged on the 20th of `month` with these ready days."""
    return [stay(n, f"{month}-20", **fields) for n in days]


EXCEEDING_FEBRUARY = month_of([3], "2020-02")  # average 3.00 > 2.0: March's "one of two before"


# --- Bilaga 1: the worked example -----------------------------------------------------------


@pytest.mark.parametrize(
    ("patients", "amount"),
    [(40, 147_600), (120, 442_800), (20, 73_800)],
)
def test_bilaga1_average_2_45_pays_0_45_days_per_patient(dalarna, patients, amount):
    """Bilaga 1: limit 2.0, month's average 2.45, 8 200 SEK: 0.45 × N × 8 200.

    2.45 × 40 = 98 and 2.45 × 120 = 294 ready days are whole, so the appendix's second and third
    lines come out of the shipped rulebook exactly (and 20 patients, 49 days: 0.45 × 20 × 8 200).
    """
    ready_days = patients * 245 // 100
    assert ready_days * 100 == patients * 245
    threes = ready_days - 2 * patients  # patients with 3 days, the rest have 2
    march = month_of([3] * threes + [2] * (patients - threes), "2020-03")
    result = compute_payment(frame(*EXCEEDING_FEBRUARY, *march), dalarna)

    invoice = invoice_of(result, "2020-03")
    assert (invoice.counted_episodes, invoice.ready_days) == (patients, ready_days)
    assert invoice.average_days == Decimal("2.45")
    assert invoice.billable_days == Decimal("0.45") * patients
    assert invoice.day_rate_sek == RATE
    assert invoice.amount_sek == amount == Decimal("0.45") * patients * RATE


def test_bilaga1_fifteen_patients_0_45_over_the_limit_cost_55_350(dalarna):
    """Bilaga 1: "0,45 (dagar) x 15 (patienter) x 8 200 (ers/dag) = 55 350 kr".

    2.45 × 15 = 36.75 ready days cannot come from whole days, so the same 0.45 excess is made
    with 36 days (average 2.40) over a limit of 1.95: the engine's D − limit × N = 36 − 29.25 =
    6.75 days, × 8 200 = 55 350 exactly, in decimals (a float would give 55 349.99…).
    """
    rulebook = with_threshold(dalarna, "1.95")
    march = month_of([3] * 6 + [2] * 9, "2020-03")
    result = compute_payment(frame(*EXCEEDING_FEBRUARY, *march), rulebook)

    invoice = invoice_of(result, "2020-03")
    assert (invoice.counted_episodes, invoice.ready_days) == (15, 36)
    assert invoice.average_days - invoice.threshold_days == Decimal("0.45")
    assert invoice.billable_days == Decimal("6.75")
    assert invoice.amount_sek == 55_350


def test_bilaga1_json_example_fifteen_patients_37_days(dalarna):
    """The issue's example: 15 patients, 37 ready days, 8 200 SEK → billable 7.00, 57 400 SEK.

    37 − 2.0 × 15 = 7 days; the average 37/15 = 2.466… is shown as "2.47".
    """
    march = month_of([3] * 7 + [2] * 8, "2020-03")
    data = to_json_dict(compute_payment(frame(*EXCEEDING_FEBRUARY, *march), dalarna))

    (invoice,) = [i for i in data["invoices"] if i["month"] == "2020-03"]
    assert invoice["counted_episodes"] == 15
    assert invoice["ready_days"] == 37
    assert invoice["average_days"] == "2.47"
    assert invoice["threshold_days"] == "2.00"
    assert invoice["billable_days"] == "7.00"
    assert invoice["day_rate_sek"] == 8200
    assert invoice["amount_sek"] == 57_400
    assert invoice["liable"] is True


def test_amount_is_rounded_half_up_to_whole_kronor_once(dalarna):
    """payment-rules.md: billable days × rate, rounded half up once, at the end.

    Limit 1.95, N = 3, D = 9: 9 − 5.85 = 3.15 days × 8 200.50 = 25 831.575 → 25 832.
    """
    rulebook = with_threshold(dalarna, "1.95")
    episodes = [*EXCEEDING_FEBRUARY, *month_of([3, 3, 3], "2020-03")]
    result = compute_payment(frame(*episodes), rulebook, day_rate=Decimal("8200.50"))
    invoice = invoice_of(result, "2020-03")
    assert invoice.billable_days == Decimal("3.15")
    assert invoice.amount_sek == 25_832


# --- §11 Beräkning av kalenderdagar: the 14:00 cut-off --------------------------------------


@pytest.mark.parametrize(
    ("notified", "day_one", "ready_days"),
    [
        ("2020-03-02 00:00", "2020-03-02", 3),
        ("2020-03-02 13:59", "2020-03-02", 3),  # "före kl. 14:00": same day is day 1
        ("2020-03-02 14:00", "2020-03-03", 2),  # 14:00 is not before 14:00
        ("2020-03-02 14:01", "2020-03-03", 2),  # "efter kl. 14:00": next day is day 1
        ("2020-03-02 23:59", "2020-03-03", 2),
    ],
)
def test_section_11_cutoff_1400(dalarna, notified, day_one, ready_days):
    """§11: notified before 14:00 → that day is calendar day 1; after 14:00 → the next day."""
    row = episode(notified, "2020-03-05 09:00", episode_id="E")
    explained = explain_episode(row, dalarna)
    assert str(explained.day_one) == day_one
    assert explained.ready_days == ready_days
    assert line_of(compute_payment(frame(row), dalarna), "E")["ready_days"] == ready_days


def test_section_11_notified_after_cutoff_and_discharged_that_day_is_day_zero(dalarna):
    """After 14:00 day 1 is tomorrow: a discharge the same evening or next day has 0 days."""
    same_day = episode("2020-03-02 15:00", "2020-03-02 18:00", episode_id="A")
    next_day = episode("2020-03-02 15:00", "2020-03-03 11:00", episode_id="B")
    result = compute_payment(frame(same_day, next_day), dalarna)
    assert line_of(result, "A")["ready_days"] == line_of(result, "B")["ready_days"] == 0
    assert line_of(result, "A")["basis"] == Basis.AVERAGE  # zero days are in the average


def test_section_11_counts_calendar_days_over_weekends_and_holidays(dalarna):
    """§11 "antal kalenderdagar": Easter 2020 (10–13 April) counts like any other day."""
    row = episode("2020-04-09 10:00", "2020-04-14 10:00")
    assert explain_episode(row, dalarna).ready_days == 5


def test_a_stay_still_in_hospital_is_explained_as_running(dalarna):
    """The API's explanation says "running" for a stay not yet discharged, as it always has."""
    from datetime import datetime

    from utskrivning.domain.calendar import STOCKHOLM

    row = episode("2020-03-02 10:00", None)
    explained = explain_episode(row, dalarna, now=datetime(2020, 3, 5, 12, tzinfo=STOCKHOLM))
    assert (explained.basis, explained.reason) == (None, "running")


# --- §11 Ekonomisk reglering: two of the last three months -----------------------------------


def _liability(dalarna, averages: dict[str, list[int]], month: str):
    episodes = [e for m, days in averages.items() for e in month_of(days, m)]
    return invoice_of(compute_payment(frame(*episodes), dalarna), month)


def test_two_of_three_this_month_and_the_one_before_exceed(dalarna):
    """§11: "minst två av de tre senaste månaderna" exceed: February and March → March liable."""
    invoice = _liability(dalarna, {"2020-02": [3], "2020-03": [3, 3]}, "2020-03")
    assert invoice.liable
    assert invoice.billable_days == Decimal("2.00")
    assert invoice.amount_sek == 2 * 8200
    assert "1 month(s) before: average 3.00, exceeded" in invoice.reason


def test_two_of_three_this_month_and_two_before_exceed(dalarna):
    """§11 rolling three months: January and March exceed, February does not → March liable."""
    invoice = _liability(dalarna, {"2020-01": [4], "2020-02": [2, 2], "2020-03": [3]}, "2020-03")
    assert invoice.liable
    assert invoice.amount_sek == 8200
    assert "1 month(s) before: average 2.00, did not exceed" in invoice.reason
    assert "2 month(s) before: average 4.00, exceeded" in invoice.reason


def test_two_of_three_only_this_month_exceeds_is_not_liable(dalarna):
    """§11: one month of three over the limit is not enough."""
    invoice = _liability(dalarna, {"2020-01": [1], "2020-02": [2, 2], "2020-03": [5]}, "2020-03")
    assert not invoice.liable
    assert invoice.amount_sek == 0
    assert invoice.billable_days == 0
    assert "not liable by two of the last three months" in invoice.reason


def test_two_of_three_month_itself_must_exceed(dalarna):
    """payment-rules.md: a month is billed when its own average exceeds and one before did.

    January and February exceeded, March is at the limit (2.0 is not over 2.0): nothing to bill.
    """
    invoice = _liability(dalarna, {"2020-01": [5], "2020-02": [5], "2020-03": [2, 2]}, "2020-03")
    assert not invoice.liable
    assert invoice.amount_sek == 0
    assert "average 2.00 does not exceed the threshold 2.00" in invoice.reason


def test_two_of_three_missing_month_counts_as_not_exceeding(dalarna):
    """payment-rules.md: a month missing from the data does not exceed; the reason says so.

    No February discharges for 2080 and no January: March exceeds alone → not liable.
    """
    invoice = _liability(dalarna, {"2020-03": [4]}, "2020-03")
    assert not invoice.liable
    assert "1 month(s) before: history missing" in invoice.reason
    assert "2 month(s) before: history missing" in invoice.reason


def test_two_of_three_missing_month_between_two_exceeding_ones(dalarna):
    """January exceeded, February is missing from the file, March exceeds → liable."""
    invoice = _liability(dalarna, {"2020-01": [3], "2020-03": [3]}, "2020-03")
    assert invoice.liable
    assert "1 month(s) before: history missing" in invoice.reason
    assert "2 month(s) before: average 3.00, exceeded" in invoice.reason


def test_two_of_three_months_before_the_agreement_are_missing(dalarna):
    """§13 "gäller från 2020-01-01": November and December 2019 are no history for January.

    The 2019 months are in the file and over the limit, but the rulebook was not in force then.
    """
    result = compute_payment(
        frame(
            *month_of([5], "2019-11"),
            *month_of([5], "2019-12"),
            *month_of([5], "2020-01"),
        ),
        dalarna,
    )
    january = invoice_of(result, "2020-01")
    assert not january.liable
    assert "1 month(s) before: history missing" in january.reason
    assert "2 month(s) before: history missing" in january.reason
    december = invoice_of(result, "2019-12")
    assert not december.liable
    assert december.amount_sek == 0
    assert "not in force" in december.reason


def test_two_of_three_history_is_per_municipality(dalarna):
    """Each municipality's own months: Borlänge's February says nothing about Falun's March."""
    result = compute_payment(
        frame(
            *month_of([4], "2020-02", municipality="2081"),
            *month_of([4], "2020-03", municipality="2080"),
            *month_of([4], "2020-03", municipality="2081"),
        ),
        dalarna,
    )
    assert not invoice_of(result, "2020-03", municipality="2080").liable
    assert invoice_of(result, "2020-03", municipality="2081").liable


# --- §11 Individuell beräkning av ersättningsskyldighet i vissa fall ------------------------


def test_individual_more_than_seven_days_pays_days_over_three(dalarna):
    """§11: more than seven (7) calendar days → billed individually for the days over three (3).

    It is billed whatever the month's average: February and March are at or under the limit.
    """
    rows = [stay(8, "2020-03-20", episode_id="LONG"), *month_of([2, 2], "2020-03")]
    result = compute_payment(frame(*rows), dalarna)
    line = line_of(result, "LONG")
    assert (line["ready_days"], line["basis"], line["billable_days"]) == (8, "individual", 5)
    assert line["amount_ore"] == 5 * 8200 * 100

    invoice = invoice_of(result, "2020-03")
    assert invoice.liable
    assert invoice.billable_days == Decimal("5.00")
    assert invoice.amount_sek == 41_000
    explained = explain_episode(rows[0], dalarna)
    assert (explained.basis, explained.billable_days) == (Basis.INDIVIDUAL, 5)
    assert explained.amount_sek == 41_000


def test_individual_exactly_seven_days_stays_in_the_average(dalarna):
    """§11 "mer än sju (7) kalenderdagar": seven is not more than seven."""
    row = stay(7, "2020-03-20", episode_id="SEVEN")
    result = compute_payment(frame(row), dalarna)
    line = line_of(result, "SEVEN")
    assert (line["ready_days"], line["basis"], line["billable_days"]) == (7, "average", 0)
    assert invoice_of(result, "2020-03").counted_episodes == 1


def test_individual_episode_leaves_the_average(dalarna):
    """§11 "Berörda patienter ska inte räknas med i månadens genomsnittliga kalenderdagar".

    February 3.00 exceeds; March has 2, 2 and a 10-day stay. With the long stay the average would
    be 14/3 = 4.67; without it, N = 2 and D = 4, average 2.00: the month is not over the limit,
    and only the individual 10 − 3 = 7 days are billed.
    """
    rows = [*EXCEEDING_FEBRUARY, stay(10, "2020-03-20"), *month_of([2, 2], "2020-03")]
    invoice = invoice_of(compute_payment(frame(*rows), dalarna), "2020-03")
    assert (invoice.counted_episodes, invoice.ready_days) == (2, 4)
    assert invoice.average_days == Decimal("2.00")
    assert invoice.billable_days == Decimal("7.00")
    assert invoice.amount_sek == 7 * 8200
    assert "1 episode(s) billed individually for 7 day(s)" in invoice.reason


def test_individual_and_average_add_up_in_one_invoice(dalarna):
    """Both parts of §11 in one month: (7 − 2.0 × 3) average days + (9 − 3) individual days."""
    rows = [*EXCEEDING_FEBRUARY, stay(9, "2020-03-20"), *month_of([3, 2, 2], "2020-03")]
    invoice = invoice_of(compute_payment(frame(*rows), dalarna), "2020-03")
    assert (invoice.counted_episodes, invoice.ready_days) == (3, 7)
    assert invoice.billable_days == Decimal("7.00")
    assert invoice.amount_sek == 7 * 8200


# --- §11 Kommunens betalningsansvar förutsätter att ------------------------------------------


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"admission_notice_at": None}, "no admission notice"),
        ({"primary_care_unit": "Vårdcentral Norr"}, "no named care contact in primary care"),
        ({"sip_needed": True}, "SIP needed but not summoned"),
    ],
)
def test_preconditions_failing_make_the_episode_not_liable(dalarna, fields, reason):
    """§11 "förutsätter att": admission notice sent; a named care contact appointed where primary
    care is needed; the SIP summoned where one is to be held. Otherwise basis not_liable, and the
    episode is in neither N nor D (payment-rules.md "Preconditions").
    """
    bad = stay(9, "2020-03-20", episode_id="BAD", **fields)
    rows = [*EXCEEDING_FEBRUARY, bad, *month_of([3, 3], "2020-03")]
    result = compute_payment(frame(*rows), dalarna)
    line = line_of(result, "BAD")
    assert line["basis"] == Basis.NOT_LIABLE
    assert line["billable_days"] == 0
    assert reason in line["reason"]
    invoice = invoice_of(result, "2020-03")
    assert (invoice.counted_episodes, invoice.ready_days) == (2, 6)
    assert invoice.not_liable_episodes == 1
    assert invoice.amount_sek == 2 * 8200
    explained = explain_episode(bad, dalarna)
    assert explained.basis is Basis.NOT_LIABLE
    assert reason in explained.reason


def test_precondition_without_readiness_notification_is_not_liable(dalarna):
    """§11: "Kommunen har underrättats om att patienten är utskrivningsklar"."""
    row = episode(None, "2020-03-20 12:00", episode_id="NEVER")
    result = compute_payment(frame(row), dalarna)
    assert line_of(result, "NEVER")["basis"] == Basis.NOT_LIABLE
    assert "no readiness notification" in line_of(result, "NEVER")["reason"]
    assert invoice_of(result, "2020-03").missing_ready_at == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"primary_care_unit": None, "named_contact_at": None},  # no primary care needed
        {"primary_care_unit": "Vårdcentral Norr", "named_contact_at": "2020-03-10 09:00"},
        {"sip_needed": False, "sip_summoned_at": None},  # no SIP: "kan inte ... kalla"
        {"sip_needed": True, "sip_summoned_at": "2020-03-12 09:00"},
    ],
)
def test_preconditions_met_or_not_needed_leave_the_episode_liable(dalarna, fields):
    """§11: without needs for both region and municipality "beräknas antal kalenderdagar på lika
    sätt som för övriga patienter"; an empty contact or summons fails only where it was needed.
    """
    row = stay(3, "2020-03-20", episode_id="OK", **fields)
    line = line_of(compute_payment(frame(row), dalarna), "OK")
    assert (line["basis"], line["ready_days"]) == ("average", 3)


@pytest.mark.parametrize(
    ("fields", "ready_days", "moved_by", "moved_days"),
    [
        # payment-rules.md's example: ready Mon 2 March 10:00, SIP summoned Fri 6 March 10:00,
        # discharged Mon 9 March: 6, 7, 8 March = 3, not 7; day 1 moved 4 days by the summons.
        ({"sip_needed": True, "sip_summoned_at": "2020-03-06 10:00"}, 3, "sip_summons", 4),
        # The admission notice sent Wed 4 March 15:00, after the 14:00 cut-off: day 1 is 5 March,
        # 5–8 March = 4 ready days; moved 3 days by the notice.
        ({"admission_notice_at": "2020-03-04 15:00"}, 4, "admission_notice", 3),
        # Both late: the latest decides (the summons on Fri 6 March).
        (
            {"admission_notice_at": "2020-03-04 15:00", "sip_needed": True,
             "sip_summoned_at": "2020-03-06 10:00"},
            3, "sip_summons", 4,
        ),
        # A summons the same day before the cut-off moves nothing: 2–8 March = 7.
        ({"sip_needed": True, "sip_summoned_at": "2020-03-02 13:00"}, 7, None, 0),
        # A summons not needed (no SIP) moves nothing, however late.
        ({"sip_needed": False, "sip_summoned_at": "2020-03-06 10:00"}, 7, None, 0),
    ],
)  # fmt: skip
def test_section_11_late_preconditions_delay_day_1(dalarna, fields, ready_days, moved_by,
                                                   moved_days):  # fmt: skip
    """§11 "För att påbörja beräkning av dagar krävs att ..."; Lag 2017:612 5 kap.: counting
    starts at the latest of readiness, the admission notice and (SIP needed) the summons. A late
    step delays day 1; it does not void the episode. The line says which step and by how much.
    """
    row = episode("2020-03-02 10:00", "2020-03-09 10:00", episode_id="E", **fields)
    line = line_of(compute_payment(frame(row), dalarna), "E")
    assert (line["ready_days"], line["basis"]) == (ready_days, Basis.AVERAGE)
    assert (line["day_one_moved_by"], line["day_one_moved_days"]) == (moved_by, moved_days)
    explained = explain_episode(row, dalarna)
    assert explained.ready_days == ready_days
    assert (explained.day_one_moved_by, explained.day_one_moved_days) == (moved_by, moved_days)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        # Summoned Tue 10 March, the day after the discharge (Mon 9 March 10:00).
        ({"sip_needed": True, "sip_summoned_at": "2020-03-10 09:00"},
         "SIP summoned after discharge"),
        # The same day, an hour after the patient left.
        ({"sip_needed": True, "sip_summoned_at": "2020-03-09 11:00"},
         "SIP summoned after discharge"),
        ({"admission_notice_at": "2020-03-12 08:00"}, "admission notice sent after discharge"),
    ],
)  # fmt: skip
def test_section_11_a_step_first_taken_after_discharge_is_not_taken(dalarna, fields, reason):
    """payment-rules.md "Preconditions" (late preconditions): counting starts at the latest of
    the steps, so one taken only after the patient left never started it. That is a precondition
    not met during the stay, as an empty one or a named contact after discharge: `not_liable`,
    in neither N nor D, the line naming the step. Counted as a stay of 0 ready days, it lowered
    the month's average (by 1.5 days here) for a step the municipality was never given."""
    late = episode("2020-03-02 10:00", "2020-03-09 10:00", episode_id="LATE", **fields)
    rows = [*EXCEEDING_FEBRUARY, late, *month_of([3, 3], "2020-03")]
    result = compute_payment(frame(*rows), dalarna)
    line = line_of(result, "LATE")
    assert (line["basis"], line["ready_days"], line["billable_days"]) == (Basis.NOT_LIABLE, 0, 0)
    assert reason in line["reason"]
    invoice = invoice_of(result, "2020-03")
    assert (invoice.counted_episodes, invoice.ready_days) == (2, 6)
    assert invoice.average_days == Decimal("3.00")
    assert invoice.not_liable_episodes == 1
    explained = explain_episode(late, dalarna)
    assert explained.basis is Basis.NOT_LIABLE
    assert reason in explained.reason


def test_a_step_at_the_discharge_itself_still_counts_as_day_zero(dalarna):
    """Summoned on the discharge date before the patient left: taken during the stay, so day 1
    moves to that date and the stay has 0 ready days, counted (payment-rules.md, day zero)."""
    row = episode("2020-03-02 10:00", "2020-03-09 12:00", episode_id="E", sip_needed=True,
                  sip_summoned_at="2020-03-09 10:00")  # fmt: skip
    line = line_of(compute_payment(frame(row), dalarna), "E")
    assert (line["basis"], line["ready_days"]) == (Basis.AVERAGE, 0)
    assert (line["day_one_moved_by"], line["day_one_moved_days"]) == ("sip_summons", 7)


@pytest.mark.parametrize(
    ("contact", "basis"),
    [
        (None, Basis.NOT_LIABLE),  # never appointed
        ("2020-03-09 11:00", Basis.NOT_LIABLE),  # an hour after the discharge
        ("2020-03-09 10:00", Basis.AVERAGE),  # at the discharge: not after it
        ("2020-03-05 10:00", Basis.AVERAGE),  # after readiness: it does not move day 1
    ],
)
def test_section_11_named_contact_before_discharge_where_primary_care_is_involved(
    dalarna, contact, basis
):
    """§11 and payment-rules.md: the named care contact must be appointed before discharge where
    primary care is involved; empty or after the discharge leaves the episode not liable, and a
    late but timely one does not move day 1 (2–8 March = 7 days)."""
    row = episode("2020-03-02 10:00", "2020-03-09 10:00", episode_id="E",
                  primary_care_unit="Vårdcentral Norr", named_contact_at=contact)  # fmt: skip
    line = line_of(compute_payment(frame(row), dalarna), "E")
    assert line["basis"] == basis
    if basis is Basis.AVERAGE:
        assert (line["ready_days"], line["day_one_moved_days"]) == (7, 0)
    else:
        assert "before discharge" in line["reason"]
    assert explain_episode(row, dalarna).basis is basis


# --- §11 Ersättningsmodell: the placing municipality pays -----------------------------------


def test_placing_municipality_is_liable(dalarna):
    """§11: "har den placerande kommunen ersättningsskyldighet oavsett var patienten är
    folkbokförd": a Falun (2080) resident placed by Ludvika (2085) is on Ludvika's invoice.
    """
    rows = [
        *month_of([3], "2020-02", municipality="2080", placing_municipality="2085"),
        *month_of([3], "2020-03", municipality="2080", placing_municipality="2085"),
    ]
    result = compute_payment(frame(*rows), dalarna)
    assert {i.municipality for i in result.invoices()} == {"2085"}
    invoice = invoice_of(result, "2020-03", municipality="2085")
    assert invoice.liable
    assert invoice.amount_sek == 8200
