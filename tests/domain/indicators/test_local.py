"""The local indicators a–g (Västmanland §3.2), each on a few hand-worked episodes."""

from __future__ import annotations

import pytest

from .files import cell, episode, table_of

OUT = "2020-03-20 10:00"


def test_a_admission_notices_count_and_share_of_closed_episodes() -> None:
    table = table_of(
        episode(admission_notice_at="2020-03-01 09:00", discharged_at=OUT),
        episode(admission_notice_at="2020-03-05 09:00", discharged_at=OUT),
        episode(discharged_at=OUT),
        episode(admission_notice_at="2020-03-01 09:00"),  # still in: no month
    )
    assert cell(table, "admission_notices", month="2020-03") == pytest.approx((2, 3, 2 / 3))


def test_b_unique_closed_episodes_count_each_patient_once() -> None:
    table = table_of(
        episode(patient_id="P-A", discharged_at="2020-03-05 10:00"),
        episode(patient_id="P-A", admitted_at="2020-03-10 08:00", discharged_at=OUT),
        episode(patient_id="P-B", discharged_at=OUT),
    )
    assert cell(table, "unique_closed_episodes", month="2020-03") == pytest.approx((2, 3, 2 / 3))


def test_c_more_than_three_ready_days() -> None:
    table = table_of(
        episode(ready_at="2020-03-01 10:00", discharged_at="2020-03-04 10:00"),  # 3 days: no
        episode(ready_at="2020-03-01 10:00", discharged_at="2020-03-05 10:00"),  # 4 days: yes
        episode(ready_at="2020-03-01 23:00", discharged_at="2020-03-05 01:00"),  # 4 days: yes
        episode(discharged_at="2020-03-09 10:00"),  # never ready: neither
    )
    assert cell(table, "over_three_ready_days", month="2020-03") == pytest.approx((2, 3, 2 / 3))


def test_d_sip_not_established_within_30_days_of_summons() -> None:
    summoned = {"sip_summoned_at": "2020-03-02 10:00", "discharged_at": OUT}
    table = table_of(
        episode(**summoned, sip_held_at="2020-04-01 15:00"),  # day 30: within
        episode(**summoned, sip_held_at="2020-04-02 08:00"),  # day 31: not
        episode(**summoned),  # never held: not
        episode(discharged_at=OUT),  # not summoned
    )
    assert cell(table, "sip_not_within_30_days", month="2020-03") == pytest.approx((2, 3, 2 / 3))
    assert cell(table, "sip_summoned", month="2020-03") == pytest.approx((3, 4, 3 / 4))


def test_e_sip_held_during_the_stay_of_those_held() -> None:
    table = table_of(
        episode(sip_held_at="2020-03-10 10:00", discharged_at=OUT),  # during
        episode(sip_held_at="2020-03-20 10:00", discharged_at=OUT),  # at the discharge: during
        episode(sip_held_at="2020-03-25 10:00", discharged_at=OUT),  # at home afterwards
        episode(discharged_at=OUT),  # no SIP: not counted
    )
    assert cell(table, "sip_held_during_stay", month="2020-03") == pytest.approx((2, 3, 2 / 3))


def _holiday(ready: str, discharged: str) -> dict[str, str]:
    return episode(admitted_at=f"{ready[:10]} 08:00", ready_at=f"{ready} 10:00",
                   discharged_at=f"{discharged} 12:00")  # fmt: skip


def test_f_g_christmas_boundaries() -> None:
    """Christmas 2020 is 24–26 December; f asks for a ready day on it, g for a discharge on it."""
    table = table_of(
        _holiday("2020-12-23", "2020-12-27"),  # ready 23–26: kept over; out the 27th
        _holiday("2020-12-23", "2020-12-24"),  # ready day 23 only; out on Christmas Eve
        _holiday("2020-12-24", "2020-12-24"),  # day zero on Christmas Eve: out during one
        _holiday("2020-12-26", "2020-12-27"),  # ready on Boxing Day: kept over
        _holiday("2020-12-27", "2020-12-30"),  # between the holidays: neither
        episode(admitted_at="2020-12-20 08:00", discharged_at="2020-12-25 10:00"),  # never ready
    )
    assert cell(table, "kept_over_major_holiday", month="2020-12") == pytest.approx((2, 5, 0.4))
    assert cell(table, "discharged_over_major_holiday", month="2020-12") == pytest.approx(
        (2, 5, 0.4)
    )


@pytest.mark.parametrize(
    ("ready", "discharged", "kept", "out_during"),
    [
        ("2020-12-30", "2021-01-02", 1, 0),  # New Year's Eve and Day, across the year
        ("2020-12-29", "2020-12-31", 0, 1),  # out on New Year's Eve
        ("2020-04-08", "2020-04-09", 0, 1),  # out on Maundy Thursday 2020
        ("2020-04-13", "2020-04-14", 1, 0),  # ready on Easter Monday
        ("2020-04-14", "2020-04-16", 0, 0),  # the week after Easter
        ("2020-06-18", "2020-06-22", 1, 0),  # Midsummer Eve and Day 2020 (19–20 June)
        ("2020-06-20", "2020-06-20", 0, 1),  # day zero on Midsummer Day
        ("2020-06-21", "2020-06-23", 0, 0),  # the Sunday after: no storhelg
    ],
)
def test_f_g_other_major_holidays(ready: str, discharged: str, kept: int, out_during: int) -> None:
    table = table_of(_holiday(ready, discharged))
    month = discharged[:7]
    assert cell(table, "kept_over_major_holiday", month=month)[0] == kept
    assert cell(table, "discharged_over_major_holiday", month=month)[0] == out_during


def test_local_indicators_per_unit_and_primary_care_unit() -> None:
    rows = (
        episode(unit="Medicin", primary_care_unit="VC Norr", admission_notice_at="2020-03-01 09:00",
                discharged_at=OUT),
        episode(unit="Medicin", discharged_at=OUT),
        episode(unit="Kirurgi", primary_care_unit="VC Norr", discharged_at=OUT),
    )  # fmt: skip
    by_unit = table_of(*rows, by="unit")
    assert cell(by_unit, "admission_notices", month="2020-03", key="Medicin") == (1, 2, 0.5)
    assert cell(by_unit, "admission_notices", month="2020-03", key="Kirurgi") == (0, 1, 0)
    by_centre = table_of(*rows, by="primary_care_unit")
    assert cell(by_centre, "admission_notices", month="2020-03", key="VC Norr") == (1, 2, 0.5)
    assert cell(by_centre, "admission_notices", month="2020-03", key="") == (0, 1, 0)


def test_placing_municipality_is_the_liable_key() -> None:
    table = table_of(
        episode(placing_municipality="1980", discharged_at=OUT),
        episode(discharged_at=OUT),
    )
    assert cell(table, "episodes", month="2020-03", key="1980") == (1, None, 1)
    assert cell(table, "episodes", month="2020-03", key="2080") == (1, None, 1)
