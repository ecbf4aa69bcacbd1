"""Stockholm: the 2018–2019 agreement §10 (seed 002) and the model from 2020 (seed 004)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from utskrivning.domain.payment import Basis, PaymentError, compute_payment
from utskrivning.domain.payment.explain import explain_episode
from utskrivning.domain.rulebooks import Rulebook, load_rulebook

from .frames import episode, frame, invoice_of, line_of, stay


@pytest.fixture(scope="module")
def sthlm2018() -> Rulebook:
    return load_rulebook("stockholm-2018")


@pytest.fixture(scope="module")
def sthlm2020() -> Rulebook:
    return load_rulebook("stockholm-2020")


def _both_paths(rulebook: Rulebook, row: dict) -> tuple[dict, object]:
    line = line_of(compute_payment(frame({**row, "episode_id": "E"}), rulebook), "E")
    return line, explain_episode(row, rulebook)


def extended_into_2020(rulebook: Rulebook) -> Rulebook:
    """stockholm-2018 with its 2019 stage running through January 2020.

    The agreement ends 2019-12-31, so a grace period over New Year is only billable if it ran on;
    this lets the test see the engine count 31 December, 1 January and Epiphany as non-weekdays.
    """
    end = date(2020, 1, 31)
    groups = tuple(
        g.model_copy(
            update={
                "stages": tuple(
                    s.model_copy(update={"valid_to": end}) if s.valid_from.year == 2019 else s
                    for s in g.stages
                )
            }
        )
        for g in rulebook.groups
    )
    return rulebook.model_copy(update={"valid_to": end, "groups": groups})


def covers_etapp_1() -> list[dict]:
    """A psychiatric discharge in every month January–October 2020: the file then holds the
    county-average window (payment-rules.md, Stockholm from 2020) without touching the somatic
    average, which is over somatic and geriatric episodes only."""
    return [
        stay(0, f"2020-{month:02d}-15", care_type="psychiatric", municipality="0187")
        for month in range(1, 11)
    ]


# --- 2018–2019 §10: grace days in weekdays, then every calendar day ---------------------------


def test_2018_somatic_five_weekdays_then_calendar_days(sthlm2018):
    """§10 "5 vardagar för somatisk vård": ready Mon 2019-03-04, grace Mon–Fri 4–8 March.

    Discharged Wed 13 March: ready weekdays 4–8, 11, 12 = 7; billed every calendar day after
    Fri 8 March until the discharge date: 9, 10, 11, 12 = 4 days × 5 042 = 20 168 SEK.
    """
    row = episode("2019-03-04 10:00", "2019-03-13 11:00")
    line, explained = _both_paths(sthlm2018, row)
    assert (line["ready_days"], line["basis"], line["billable_days"]) == (7, "individual", 4)
    assert (explained.ready_days, explained.billable_days) == (7, 4)
    assert explained.amount_sek == 4 * 5042


def test_2018_grace_ending_on_a_friday_bills_the_weekend(sthlm2018):
    """§10 and payment-rules.md grace_days: after the grace days every calendar day counts.

    Ready Mon 4 March, grace Mon 4 – Fri 8 March, out Mon 11 March: 5 ready weekdays, and
    Saturday 9 and Sunday 10 March are owed though no weekday follows: 2 × 5 042 = 10 084 SEK.
    """
    row = episode("2019-03-04 10:00", "2019-03-11 11:00")
    line, explained = _both_paths(sthlm2018, row)
    assert (line["ready_days"], line["billable_days"]) == (5, 2)
    assert explained.billable_days == 2
    assert invoice_of(compute_payment(frame(row), sthlm2018), "2019-03").amount_sek == 10084


def test_2018_grace_ending_before_christmas_bills_24_to_26_december(sthlm2018):
    """§10 and payment-rules.md: ready Tue 17 Dec 2019, grace 17, 18, 19, 20, 23 December;
    discharged Fri 27 December: 24, 25 and 26 December are billable, 3 × 5 042 = 15 126 SEK."""
    row = episode("2019-12-17 10:00", "2019-12-27 11:00")
    line, explained = _both_paths(sthlm2018, row)
    assert (line["billable_days"], explained.billable_days) == (3, 3)
    assert invoice_of(compute_payment(frame(row), sthlm2018), "2019-12").amount_sek == 15126


def test_2018_discharged_on_the_day_after_the_last_grace_day_bills_nothing(sthlm2018):
    """Grace Mon 4 – Fri 8 March, out Sat 9 March: no calendar day after the grace before it."""
    line, explained = _both_paths(sthlm2018, episode("2019-03-04 10:00", "2019-03-09 11:00"))
    assert (line["billable_days"], explained.billable_days) == (0, 0)


def test_2018_grace_weekdays_skip_easter_2019(sthlm2018):
    """§10 vardagar across Easter 2019: Good Friday 19 April and Easter Monday 22 April are not.

    Ready Tue 16 April: grace days 16, 17, 18, 23, 24 April (Wed 24th is the last). Discharged
    Mon 29 April: ready weekdays 16, 17, 18, 23, 24, 25, 26 = 7; billed calendar days 25, 26, 27,
    28 April = 4 × 5 042 = 20 168 SEK.
    """
    row = episode("2019-04-16 10:00", "2019-04-29 10:00")
    line, explained = _both_paths(sthlm2018, row)
    assert (line["ready_days"], line["billable_days"]) == (7, 4)
    assert (explained.ready_days, explained.billable_days) == (7, 4)
    assert explained.amount_sek == 20_168


def test_2018_grace_weekdays_skip_christmas_2019(sthlm2018):
    """§10 vardagar across Christmas 2019: 24 (eve), 25, 26 December are not weekdays.

    Ready Wed 18 December: grace 18, 19, 20, 23, 27 December. Discharged Tue 31 December: ready
    weekdays 18, 19, 20, 23, 27, 30 = 6; billed 28, 29, 30 December = 3 × 5 042 = 15 126 SEK.
    """
    row = episode("2019-12-18 09:00", "2019-12-31 10:00")
    line, explained = _both_paths(sthlm2018, row)
    assert (line["ready_days"], line["billable_days"]) == (6, 3)
    assert explained.amount_sek == 15_126


def test_2018_grace_weekdays_skip_new_year_and_epiphany(sthlm2018):
    """31 December, 1 January (and Epiphany, 6 January 2020) are not weekdays either.

    Ready Fri 20 December 2019: grace 20, 23, 27, 30 December, 2 January. Discharged Tue 7
    January: ready weekdays 20, 23, 27, 30 Dec, 2, 3 Jan = 6; billed 3, 4, 5, 6 January = 4.
    """
    rulebook = extended_into_2020(sthlm2018)
    row = episode("2019-12-20 09:00", "2020-01-07 10:00")
    line, explained = _both_paths(rulebook, row)
    assert (line["ready_days"], line["billable_days"]) == (6, 4)
    assert (explained.ready_days, explained.billable_days) == (6, 4)


def test_2018_discharge_after_the_agreement_is_not_in_force(sthlm2018):
    """§10 "under överenskommelsens giltighetstid" 2018–2019: a January 2020 discharge is not."""
    row = episode("2019-12-20 09:00", "2020-01-07 10:00")
    line, _ = _both_paths(sthlm2018, row)
    assert line["basis"] == Basis.EXCLUDED
    assert "not in force" in line["reason"]


def test_2018_psychiatric_thirty_weekdays(sthlm2018):
    """§10 "30 vardagar för den psykiatriska vården", 4 277 SEK.

    Ready Fri 1 February 2019: weekdays 1 Feb (1), 4–8 (6), 11–15 (11), 18–22 (16), 25 Feb–1 Mar
    (21), 4–8 Mar (26), 11–14 Mar (30): the last grace day is Thu 14 March. Out Fri 15 March:
    30 ready days, nothing billed. Out Mon 18 March: 31 ready weekdays, billed 15, 16, 17 March
    = 3 × 4 277 = 12 831 SEK.
    """
    at_limit = episode("2019-02-01 10:00", "2019-03-15 10:00", care_type="psychiatric")
    line, _ = _both_paths(sthlm2018, at_limit)
    assert (line["ready_days"], line["billable_days"]) == (30, 0)

    beyond = {**at_limit, "discharged_at": episode(None, "2019-03-18 10:00")["discharged_at"]}
    line, explained = _both_paths(sthlm2018, beyond)
    assert (line["ready_days"], line["billable_days"]) == (31, 3)
    assert explained.amount_sek == 12_831


@pytest.mark.parametrize(
    ("care_type", "rate"),
    [("somatic", 5042), ("geriatric", 3638), ("psychiatric", 4277)],
)
def test_2018_the_three_2017_rates(sthlm2018, care_type, rate):
    """§10 "2017 års ersättningsnivå": 5 042 somatic, 3 638 geriatric, 4 277 psychiatric SEK.

    Each care type is its own invoice, at its own rate. Somatic/geriatric: ready Mon 4 March, out
    Mon 18 March → billed 9–17 March = 9 days. Psychiatric: ready Fri 1 Feb, out Tue 19 March →
    billed 15–18 March = 4 days.
    """
    if care_type == "psychiatric":
        row, days = episode("2019-02-01 10:00", "2019-03-19 10:00", care_type=care_type), 4
    else:
        row, days = episode("2019-03-04 10:00", "2019-03-18 10:00", care_type=care_type), 9
    result = compute_payment(frame(row), sthlm2018)
    invoice = invoice_of(result, "2019-03", group=care_type)
    assert invoice.model == "grace_days"
    assert invoice.day_rate_sek == rate
    assert invoice.counted_episodes == 1
    assert invoice.billable_days == days
    assert invoice.amount_sek == days * rate
    assert invoice.liable


def test_2018_three_care_types_in_one_file_give_three_invoices(sthlm2018):
    rows = [
        episode("2019-03-04 10:00", "2019-03-18 10:00", care_type=care_type)
        for care_type in ("somatic", "geriatric", "psychiatric")
    ]
    invoices = compute_payment(frame(*rows), sthlm2018).invoices()
    assert sorted((i.group, i.amount_sek) for i in invoices) == [
        ("geriatric", 9 * 3638),
        ("psychiatric", 0),  # 10 weekdays of 30
        ("somatic", 9 * 5042),
    ]


def test_2018_months_of_2018_send_no_invoices(sthlm2018):
    """§10 "ingen fakturering ... Dock senast den 31 december 2018": 2018 is shown, amount 0."""
    row = episode("2018-03-01 10:00", "2018-03-20 10:00", episode_id="E")
    result = compute_payment(frame(row), sthlm2018)
    line = line_of(result, "E")
    assert line["ready_days"] == 13
    assert line["billable_days"] == 0
    assert "sends no invoices" in line["reason"]
    invoice = invoice_of(result, "2018-03", group="somatic")
    assert invoice.amount_sek == 0
    assert not invoice.liable
    assert invoice.reason == "stage '2018: ingen fakturering' sends no invoices"
    explained = explain_episode(row, sthlm2018)
    assert (explained.billable_days, explained.amount_sek) == (0, 0)
    assert "sends no invoices" in explained.reason


# --- 2020: the average model (seed 004) ------------------------------------------------------


def test_2020_day_zero_is_in_the_average(sthlm2020):
    """Seed 004: "räknas noll-dagen in i medeltidvården": a day-zero lowers the average.

    Two patients with 3 days: 6/2 = 3.00 > 2.0 → 6 − 4 = 2 days. With a day-zero discharge:
    6/3 = 2.00, not over 2.0 → nothing.
    """
    two = [stay(3, "2020-05-20"), stay(3, "2020-05-20")]
    before = invoice_of(compute_payment(frame(*two), sthlm2020), "2020-05")
    assert before.liable
    assert before.amount_sek == 2 * 8200

    zero = episode("2020-05-20 08:00", "2020-05-20 16:00", episode_id="ZERO")
    result = compute_payment(frame(*two, zero), sthlm2020)
    after = invoice_of(result, "2020-05")
    assert (after.counted_episodes, after.ready_days) == (3, 6)
    assert after.average_days == Decimal("2.00")
    assert not after.liable
    assert after.amount_sek == 0
    assert line_of(result, "ZERO")["basis"] == Basis.AVERAGE


def test_2020_counts_calendar_days(sthlm2020):
    """Seed 004: "från att räkna vardagar till att räkna kalenderdagar": Fri → Mon is 3 days."""
    row = episode("2020-05-15 16:00", "2020-05-18 09:00")  # no cut-off: 16:00 is still day 1
    line, explained = _both_paths(sthlm2020, row)
    assert line["ready_days"] == explained.ready_days == 3


@pytest.mark.parametrize(
    ("month", "threshold", "stage"),
    [("2020-01", "2.00", "Etapp 1"), ("2020-10", "2.00", "Etapp 1")],
)
def test_2020_stage_1_threshold_2_0(sthlm2020, month, threshold, stage):
    """Seed 004: "Etapp 1: 1 januari 2020 – 31 oktober 2020, 2,0 fristdagar inklusive dag noll"."""
    invoice = invoice_of(compute_payment(frame(stay(3, f"{month}-20")), sthlm2020), month)
    assert (invoice.stage, invoice.threshold_days) == (stage, Decimal(threshold))
    assert invoice.amount_sek == 8200


def test_2020_stage_2_threshold_is_the_county_average_when_below_2(sthlm2020):
    """Seed 004: "Etapp 2: Nivå satt till länsgenomsnittet ... per 31 oktober 2020".

    January–October 2020 across the county: Solna 1, 2 and Huddinge 2, 2 days → 7/4 = 1.75.
    November: Solna 2, 2 → average 2.00 > 1.75 → 4 − 1.75 × 2 = 0.50 days × 8 200 = 4 100 SEK.
    """
    rows = [
        stay(1, "2020-01-20", municipality="0184"),
        stay(2, "2020-06-20", municipality="0184"),
        stay(2, "2020-10-31", municipality="0126"),
        stay(2, "2020-03-20", municipality="0126"),
        stay(2, "2020-11-20", municipality="0184"),
        stay(2, "2020-11-21", municipality="0184"),
        stay(9, "2020-12-01", municipality="0184"),  # outside the window
        *covers_etapp_1(),
    ]
    result = compute_payment(frame(*rows), sthlm2020)
    november = invoice_of(result, "2020-11", municipality="0184")
    assert november.stage == "Etapp 2"
    assert november.threshold_days == Decimal("1.75")
    assert november.billable_days == Decimal("0.50")
    assert november.amount_sek == 4100
    assert invoice_of(result, "2020-12", municipality="0184").threshold_days == Decimal("1.75")


def test_2020_stage_2_county_average_is_capped_at_2(sthlm2020):
    """Seed 004: "Kan inte överstiga nivån för etapp 1 på 2,0": a county average 3.00 → 2.00."""
    rows = [stay(3, "2020-09-20"), stay(3, "2020-10-20"), stay(3, "2020-11-20"), *covers_etapp_1()]
    result = compute_payment(frame(*rows), sthlm2020)
    november = invoice_of(result, "2020-11")
    assert november.threshold_days == Decimal("2.00")
    assert november.amount_sek == 8200


def test_2020_stage_2_county_average_rounds_half_up(sthlm2020):
    """The assumption in the rulebook: the county average to two decimals, half up.

    Eight patients, 13 days: 1.625 → 1.63 (half up, not the banker's 1.62).
    """
    rows = [stay(d, "2020-06-20") for d in (1, 1, 1, 2, 2, 2, 2, 2)]
    result = compute_payment(frame(*rows, stay(3, "2020-11-20"), *covers_etapp_1()), sthlm2020)
    assert invoice_of(result, "2020-11").threshold_days == Decimal("1.63")


def test_2020_stage_2_window_counts_only_average_episodes(sthlm2020):
    """Episodes failing the preconditions are in no average, the county's included."""
    rows = [
        stay(1, "2020-06-20"),
        stay(9, "2020-06-20", admission_notice_at=None),
        stay(3, "2020-11-20"),
        *covers_etapp_1(),
    ]
    result = compute_payment(frame(*rows), sthlm2020)
    assert invoice_of(result, "2020-11").threshold_days == Decimal("1.00")


def test_2020_stage_3_threshold_1_3_from_november_2021(sthlm2020):
    """Seed 004: "Etapp 3: 1/11 2021 – målnivå, 1,3 fristdagar inklusive dag noll".

    The national table has no 2021 rate, so the run passes one (as --day-rate does).
    """
    window = [stay(2, "2020-06-20"), *covers_etapp_1()]  # county average 2.00
    rows = [stay(2, "2021-10-20"), stay(2, "2021-11-20"), *window]
    result = compute_payment(frame(*rows), sthlm2020, day_rate=Decimal(8200))
    october = invoice_of(result, "2021-10")
    assert (october.stage, october.threshold_days, october.liable) == ("Etapp 2", 2, False)
    november = invoice_of(result, "2021-11")
    assert (november.stage, november.threshold_days) == ("Etapp 3", Decimal("1.30"))
    assert november.billable_days == Decimal("0.70")
    assert november.amount_sek == 5740


def test_2020_psychiatry_5_0_until_june_2021_then_1_3(sthlm2020):
    """Psykiatri etapp 1: 5,0 fristdagar until 1 July 2021; etapp 2: 1,3 inklusive dag noll."""
    rows = [
        stay(5, "2020-02-20", care_type="psychiatric"),
        stay(6, "2021-06-20", care_type="psychiatric"),
        stay(2, "2021-07-20", care_type="psychiatric"),
    ]
    result = compute_payment(frame(*rows), sthlm2020, day_rate=Decimal(8200))
    february = invoice_of(result, "2020-02", group="psychiatric")
    assert (february.threshold_days, february.liable) == (Decimal("5.00"), False)
    june = invoice_of(result, "2021-06", group="psychiatric")
    assert (june.threshold_days, june.billable_days, june.amount_sek) == (5, 1, 8200)
    july = invoice_of(result, "2021-07", group="psychiatric")
    assert (july.stage, july.threshold_days) == ("Etapp 2 psykiatri", Decimal("1.30"))
    assert july.amount_sek == 5740


def test_2020_psychiatry_is_not_in_the_somatic_county_average(sthlm2020):
    rows = [
        stay(1, "2020-06-20"),
        stay(9, "2020-06-20", care_type="psychiatric"),
        stay(3, "2020-11-20"),
        *covers_etapp_1(),
    ]
    result = compute_payment(frame(*rows), sthlm2020)
    assert invoice_of(result, "2020-11", group="somatic").threshold_days == Decimal("1.00")


def test_2020_districts_of_stockholm_city_get_their_own_invoices(sthlm2020):
    """Seed 004: "kommunernas betalningsansvar (stadsdel för Stockholms stad)": per district."""
    rows = [
        stay(3, "2020-05-20", municipality="0180", district="Södermalm"),
        stay(3, "2020-05-20", municipality="0180", district="Södermalm"),
        stay(1, "2020-05-20", municipality="0180", district="Kungsholmen"),
        stay(4, "2020-05-20", municipality="0184"),
    ]
    result = compute_payment(frame(*rows), sthlm2020)
    keys = {(i.municipality, i.district): i for i in result.invoices()}
    assert set(keys) == {("0180", "Södermalm"), ("0180", "Kungsholmen"), ("0184", None)}
    assert keys["0180", "Södermalm"].amount_sek == 2 * 8200  # 6 − 2.0 × 2
    # Kungsholmen's 1.00 stands alone; pooled with Södermalm it would be 7/3 = 2.33.
    assert keys["0180", "Kungsholmen"].amount_sek == 0
    assert keys["0184", None].amount_sek == 2 * 8200


# --- 2020 etapp 2: the county average is a parameter, never silently the cap ------------------


def test_2020_stage_2_without_the_window_stops_naming_the_parameter(sthlm2020):
    """payment-rules.md, Stockholm from 2020: with no January–October 2020 in the file the
    county average cannot be computed; the run stops naming the parameter and how to set it
    (it once billed November as if the county average were the cap 2.0)."""
    rows = [stay(3, "2020-03-20"), stay(3, "2020-11-20")]
    with pytest.raises(PaymentError) as refused:
        compute_payment(frame(*rows), sthlm2020)
    message = str(refused.value)
    assert "county_average_2020" in message
    assert "--set county_average_2020=" in message
    assert "2020-01" in message and "2020-10" in message and "2020-03" not in message


def test_2020_stage_2_county_average_set_for_the_run_is_used_and_listed():
    """--set county_average_2020=1.50: November's 3 days → 3 − 1.50 = 1.50 days × 8 200 =
    12 300 SEK, and the invoice says the figure was set for this run."""
    rulebook = load_rulebook("stockholm-2020", {"county_average_2020": "1.5"})
    november = invoice_of(compute_payment(frame(stay(3, "2020-11-20")), rulebook), "2020-11")
    assert (november.threshold_days, november.amount_sek) == (Decimal("1.50"), 12300)
    assert any("county_average_2020 = 1.5 was set for this run" in a for a in november.assumptions)


def test_2020_stage_2_county_average_set_above_the_cap_is_capped():
    """Seed 004: "Kan inte överstiga ... 2,0": a figure of 2.4 is held to the cap."""
    rulebook = load_rulebook("stockholm-2020", {"county_average_2020": "2.4"})
    november = invoice_of(compute_payment(frame(stay(3, "2020-11-20")), rulebook), "2020-11")
    assert november.threshold_days == Decimal("2.00")


def test_2020_stage_2_computed_county_average_is_on_the_invoice(sthlm2020):
    """Computed from the file, the invoice says so, from how many episodes and municipalities."""
    rows = [stay(1, "2020-03-20"), stay(2, "2020-04-20", municipality="0184"),
            stay(3, "2020-11-20"), *covers_etapp_1()]  # fmt: skip
    november = invoice_of(compute_payment(frame(*rows), sthlm2020), "2020-11")
    assert november.threshold_days == Decimal("1.50")
    (note,) = [a for a in november.assumptions if "county average" in a]
    assert "2 episodes in 2 municipalities" in note and "county_average_2020 is not set" in note
