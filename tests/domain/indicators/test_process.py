"""Readiness moved (Västmanland §3.3), readmissions of patients 65+ (Stockholm's goal) and the
law's deadlines, each on a few hand-worked episodes."""

from __future__ import annotations

import polars as pl
import pytest

from utskrivning.domain.indicators import episode_measures
from utskrivning.domain.indicators.measures import FLAGS

from .files import cell, episode, frame, table_of

OUT = "2020-03-20 10:00"


def test_readiness_moved_share_and_moves_per_patient() -> None:
    ready = {"ready_at": "2020-03-10 10:00", "discharged_at": OUT}
    table = table_of(
        episode(patient_id="P-A", **ready, ready_declarations="2"),  # moved once
        episode(patient_id="P-A", **ready, ready_declarations="1"),
        episode(patient_id="P-B", **ready, ready_declarations="3"),  # moved twice
        episode(patient_id="P-C", **ready),  # empty: declared once
        episode(patient_id="P-D", discharged_at=OUT),  # never ready
    )
    # §3.3 "relaterat till totalt antal inskrivna": 2 moved of all 5 closed episodes, P-D too
    assert cell(table, "ready_date_moved", month="2020-03") == pytest.approx((2, 5, 0.4))
    # 3 moves over 4 patients (P-D too: moves are per admitted individual, §3.3)
    assert cell(table, "ready_moves_per_patient", month="2020-03") == pytest.approx((3, 4, 0.75))


def _stay(patient: str, admitted: str, discharged: str | None, age: str = "70") -> dict[str, str]:
    return episode(patient_id=patient, age=age, admitted_at=f"{admitted} 08:00",
                   discharged_at=f"{discharged} 12:00" if discharged else "")  # fmt: skip


def test_readmission_on_day_30_counts_and_on_day_31_does_not() -> None:
    table = table_of(
        _stay("P-A", "2020-02-25", "2020-03-01"),
        _stay("P-A", "2020-03-31", "2020-04-05"),  # day 30 after 1 March
        _stay("P-B", "2020-02-25", "2020-03-01", age="80"),
        _stay("P-B", "2020-04-01", "2020-04-05", age="80"),  # day 31
        _stay("P-C", "2020-02-25", "2020-03-01", age="64"),
        _stay("P-C", "2020-03-05", "2020-03-08", age="64"),  # under 65: in neither count
        _stay("P-D", "2020-03-05", "2020-03-10", age="66"),
        _stay("P-D", "2020-03-20", None, age="66"),  # still in hospital: still a readmission
    )
    assert cell(table, "readmissions_65", month="2020-03") == pytest.approx((2, 3, 2 / 3))
    # April: P-A's and P-B's second stays, neither followed by another
    assert cell(table, "readmissions_65", month="2020-04") == (0, 2, 0)


def test_a_readmission_is_the_next_admission_whatever_the_file_s_order() -> None:
    stays = [
        _stay("P-A", "2020-03-20", "2020-03-25"),
        _stay("P-B", "2020-03-01", "2020-03-03"),
        _stay("P-A", "2020-02-25", "2020-03-01"),
        _stay("P-A", "2020-05-20", "2020-05-22"),
    ]
    measures = episode_measures(frame(*stays))
    # In the file's order: only P-A's February stay had an admission within 30 days after it.
    assert measures["readmitted_30"].to_list() == [False, False, True, False]
    assert measures["episode_id"].to_list() == frame(*stays)["episode_id"].to_list()


def test_readmission_to_another_municipality_counts_for_the_first_stay() -> None:
    table = table_of(
        _stay("P-A", "2020-02-25", "2020-03-01"),
        episode(patient_id="P-A", municipality="1980", admitted_at="2020-03-02 08:00"),
    )
    assert cell(table, "readmissions_65", month="2020-03") == (1, 1, 1)


def test_age_at_admission_from_personnummer_and_samordningsnummer() -> None:
    rows = frame(
        # born 15 March 1955: 64 the day before the birthday, 65 on it
        episode(patient_id="19550315-2380", age="", admitted_at="2020-03-14 08:00",
                discharged_at=OUT),
        # the personnummer wins over an `age` cell
        episode(patient_id="19550315-2380", age="40", admitted_at="2020-03-15 08:00",
                discharged_at=OUT),
        # samordningsnummer, born 10 March 1955 (day 70): 65 on 15 March
        episode(patient_id="195503701236", age="", admitted_at="2020-03-15 08:00",
                discharged_at=OUT),
        episode(patient_id="P-X", age="", discharged_at=OUT),  # pseudonym of unknown age
        episode(patient_id="P-Y", age="65", discharged_at=OUT),
    )  # fmt: skip
    assert episode_measures(rows)["aged_65"].to_list() == [False, True, True, False, True]


def test_admission_notice_within_24_elapsed_hours() -> None:
    rows = frame(
        episode(admitted_at="2020-03-01 08:00", admission_notice_at="2020-03-02 08:00",
                discharged_at=OUT),  # exactly 24 h
        episode(admitted_at="2020-03-01 08:00", admission_notice_at="2020-03-02 08:01",
                discharged_at=OUT),
        # clocks went forward on 29 March: 10:30 the next day is 23.5 hours later
        episode(admitted_at="2020-03-28 11:00", admission_notice_at="2020-03-29 10:30",
                discharged_at="2020-03-30 10:00"),
        # and back on 25 October: 09:30 the next day is 24.5 hours later
        episode(admitted_at="2020-10-24 10:00", admission_notice_at="2020-10-25 09:30",
                discharged_at="2020-10-30 10:00"),
        episode(discharged_at=OUT),  # no notice
    )  # fmt: skip
    assert episode_measures(rows)["notice_within_24h"].to_list() == [
        True, False, True, False, False
    ]  # fmt: skip


def test_notice_share_in_the_table() -> None:
    table = table_of(
        episode(admission_notice_at="2020-03-01 20:00", discharged_at=OUT),
        episode(admission_notice_at="2020-03-03 08:00", discharged_at=OUT),
    )
    assert cell(table, "notice_within_24h", month="2020-03") == (1, 2, 0.5)


def test_sip_summons_by_the_end_of_the_third_day_after_readiness() -> None:
    ready = {"ready_at": "2020-03-02 23:00", "discharged_at": OUT}
    table = table_of(
        episode(**ready, sip_needed="true", sip_summoned_at="2020-03-05 23:59"),  # in time
        episode(**ready, sip_needed="true", sip_summoned_at="2020-03-06 00:10"),  # late
        episode(**ready, sip_summoned_at="2020-03-03 09:00"),  # summoned: a SIP was needed
        episode(**ready, sip_needed="true"),  # needed, never summoned: late
        episode(**ready, sip_needed="false"),  # not needed
        episode(sip_needed="true", discharged_at=OUT),  # never ready: no deadline
    )
    assert cell(table, "summons_within_3_days", month="2020-03") == pytest.approx((2, 4, 0.5))


def test_named_contact_before_discharge_where_primary_care_is_involved() -> None:
    table = table_of(
        episode(primary_care_unit="VC", named_contact_at="2020-03-05 10:00", discharged_at=OUT),
        episode(primary_care_unit="VC", named_contact_at=OUT, discharged_at=OUT),  # same minute
        episode(primary_care_unit="VC", named_contact_at="2020-03-21 10:00", discharged_at=OUT),
        episode(primary_care_unit="VC", discharged_at=OUT),
        episode(discharged_at=OUT),  # no primary care: not due
    )
    assert cell(table, "named_contact_before_discharge", month="2020-03") == (2, 4, 0.5)


def test_measures_have_one_row_per_closed_episode_and_no_personnummer() -> None:
    rows = frame(
        episode(patient_id="19121212-1212", ready_at="2020-03-02 10:00", discharged_at=OUT),
        episode(ready_at="2020-03-02 10:00"),
    )
    measures = episode_measures(rows)
    assert measures.height == 1
    assert measures.columns[:6] == [
        "episode_id", "month", "municipality", "unit", "primary_care_unit", "care"
    ]  # fmt: skip
    assert "patient_id" not in measures.columns
    assert measures.select("ready_days", "care_days").row(0) == (18, 19)
    assert measures.schema["ready_days"] == pl.Int64
    assert all(measures.schema[flag] == pl.Boolean for flag in FLAGS)
