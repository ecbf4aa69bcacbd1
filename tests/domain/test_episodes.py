import io
from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest

from utskrivning.domain import episodes
from utskrivning.domain.episodes import (
    EpisodeFile,
    EpisodeFileError,
    RowError,
    read_episodes,
)

TODAY = date(2024, 6, 1)
HEADER = "episode_id,patient_id,municipality,care_type,admitted_at,ready_at,discharged_at"
GOOD = "E1,19121212-1212,2080,somatic,2020-01-01 10:00,2020-01-03 13:00,2020-01-05 09:00"

SCHEMA = {
    "line": pl.Int64,
    "episode_id": pl.String,
    "patient_id": pl.String,
    "municipality": pl.String,
    "placing_municipality": pl.String,
    "district": pl.String,
    "liable_municipality": pl.String,
    "liable_district": pl.String,
    "care_type": pl.String,
    "unit": pl.String,
    "primary_care_unit": pl.String,
    "admitted_at": pl.Datetime("us"),
    "admission_notice_at": pl.Datetime("us"),
    "ready_at": pl.Datetime("us"),
    "named_contact_at": pl.Datetime("us"),
    "sip_summoned_at": pl.Datetime("us"),
    "sip_held_at": pl.Datetime("us"),
    "discharged_at": pl.Datetime("us"),
    "ready_declarations": pl.Int64,
    "sip_needed": pl.Boolean,
    "status": pl.String,
    "age": pl.Int64,
}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def read(*rows: str, header: str = HEADER, skip_invalid: bool = False) -> EpisodeFile:
    return read_episodes(csv(*rows, header=header), today=TODAY, skip_invalid=skip_invalid)


def errors(*rows: str, header: str = HEADER) -> list[str]:
    with pytest.raises(EpisodeFileError) as caught:
        read(*rows, header=header)
    return [str(error) for error in caught.value.errors]


def one(*rows: str, header: str = HEADER) -> dict[str, object]:
    frame = read(*rows, header=header).frame
    assert frame.height == 1
    return frame.row(0, named=True)


# Format


def test_a_valid_file_gives_the_normalised_schema() -> None:
    result = read(GOOD)
    assert dict(result.frame.schema) == SCHEMA
    assert result.errors == []
    assert result.skipped_rows == 0
    row = result.frame.row(0, named=True)
    assert row["line"] == 2
    assert row["patient_id"] == "191212121212"
    assert row["admitted_at"] == at("2020-01-01 10:00")
    assert row["ready_declarations"] == 1
    assert row["sip_needed"] is False
    assert row["placing_municipality"] is None


def test_a_header_only_file_gives_an_empty_frame_with_the_schema() -> None:
    frame = read().frame
    assert frame.height == 0
    assert dict(frame.schema) == SCHEMA


def test_path_bytes_and_binary_stream_sources_read_alike(tmp_path: Path) -> None:
    path = tmp_path / "episodes.csv"
    path.write_bytes(csv(GOOD))
    frames = [
        read_episodes(path, today=TODAY).frame,
        read_episodes(str(path), today=TODAY).frame,
        read_episodes(io.BytesIO(csv(GOOD)), today=TODAY).frame,
        read_episodes(csv(GOOD), today=TODAY).frame,
    ]
    assert all(frame.equals(frames[0]) for frame in frames)


def test_utf8_bom_and_semicolons_as_swedish_excel_writes_them() -> None:
    data = "\ufeff" + HEADER.replace(",", ";") + "\n" + GOOD.replace(",", ";") + "\n"
    frame = read_episodes(data.encode(), today=TODAY).frame
    assert frame["episode_id"].to_list() == ["E1"]


def test_header_names_are_case_insensitive_stripped_in_any_order_and_extra_columns_ignored() -> (
    None
):
    header = (
        " Discharged_At ,NOTE,Ready_at,admitted_at,Care_Type,MUNICIPALITY,patient_id,episode_id"
    )
    row = (
        "2020-01-05 09:00,anything,2020-01-03 13:00,2020-01-01 10:00,somatic,2080,19121212-1212,E1"
    )
    assert one(row, header=header)["discharged_at"] == at("2020-01-05 09:00")


def test_empty_and_blank_cells_are_null() -> None:
    row = one("E1,19121212-1212,2080,somatic,2020-01-01 10:00,  ,")
    assert row["ready_at"] is None
    assert row["discharged_at"] is None
    assert row["ready_declarations"] == 0


def test_cells_are_stripped() -> None:
    row = one(" E1 , 19121212-1212 , 2080 , Somatic , 2020-01-01 10:00 ,,")
    assert (row["episode_id"], row["patient_id"], row["municipality"], row["care_type"]) == (
        "E1",
        "191212121212",
        "2080",
        "somatic",
    )
    assert row["admitted_at"] == at("2020-01-01 10:00")


def test_rows_of_bare_separators_are_ignored() -> None:
    result = read(GOOD, ",,,,,,", "   ,,,,,,")
    assert result.frame.height == 1
    assert result.errors == []


@pytest.mark.parametrize(
    ("written", "care_type"),
    [
        ("somatisk", "somatic"),
        ("Geriatrisk", "geriatric"),
        ("PSYKIATRISK", "psychiatric"),
        ("Psychiatric", "psychiatric"),
    ],
)
def test_swedish_and_english_care_types_in_any_case(written: str, care_type: str) -> None:
    assert one(GOOD.replace("somatic", written))["care_type"] == care_type


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("UTFÖRD", "done"),
        ("UTFO\u0308RD", "done"),  # decomposed Ö: the same letters to a reader
        ("utförd", "done"),
        ("Utford", "done"),
        ("done", "done"),
        ("pågår", "PÅGÅR"),
    ],
)
def test_status_utford_is_done_and_others_are_upper_cased(written: str, status: str) -> None:
    assert one(GOOD + "," + written, header=HEADER + ",status")["status"] == status


@pytest.mark.parametrize(
    ("written", "needed"),
    [("true", True), ("JA", True), ("1", True), ("yes", True), ("nej", False), ("0", False)],
)
def test_sip_needed_accepts_yes_and_no_in_swedish_and_english(written: str, needed: bool) -> None:
    assert one(GOOD + "," + written, header=HEADER + ",sip_needed")["sip_needed"] is needed


def test_quoted_fields_may_hold_separators_quotes_and_newlines() -> None:
    header = HEADER + ",unit"
    result = read(
        GOOD + ',"Medicin, avd 5"',
        GOOD.replace("E1", "E2") + ',"Avd ""7""\nplan 2"',
        GOOD.replace("E1", "E3") + ",Ortopedi",
        GOOD.replace("E1", "E4").replace("2080", "x") + ",Kirurgi",
        header=header,
        skip_invalid=True,
    )
    assert result.frame["unit"].to_list() == ["Medicin, avd 5", 'Avd "7"\nplan 2', "Ortopedi"]
    assert result.frame["line"].to_list() == [2, 3, 5]
    assert [error.line for error in result.errors] == [6]


@pytest.mark.parametrize(
    ("written", "local"),
    [
        ("2020-01-01", "2020-01-01 00:00"),
        ("2020-01-01T10:00", "2020-01-01 10:00"),
        ("2020-01-01 10:00:30", "2020-01-01 10:00:30"),
        ("2020-01-01T10:00:30.123456789", "2020-01-01 10:00:30.123456"),
        ("2020-01-01T09:00:00Z", "2020-01-01 10:00"),  # CET, UTC+1
        ("2020-07-01T08:00Z", "2020-07-01 10:00"),  # CEST, UTC+2
        ("2020-07-01T10:00:00+02:00", "2020-07-01 10:00"),
        ("2020-07-01T03:00:00-05:00", "2020-07-01 10:00"),
        ("2020-03-29T01:30:00Z", "2020-03-29 03:30"),  # the instant after the clocks jumped
    ],
)
def test_time_formats_and_offsets_become_stockholm_wall_time(written: str, local: str) -> None:
    row = one(f"E1,19121212-1212,2080,somatic,2019-12-31 10:00,{written},")
    assert row["ready_at"] == at(local)


def test_a_column_may_mix_time_formats() -> None:
    result = read(
        GOOD,
        "E2,19121212-1212,2080,somatic,2020-01-01T10:00:00+01:00,2020-01-02,",
        "E3,19121212-1212,2080,somatic,2020-01-01 11:00,,",
    )
    assert result.frame["admitted_at"].to_list() == [
        at("2020-01-01 10:00"),
        at("2020-01-01 10:00"),
        at("2020-01-01 11:00"),
    ]


def test_the_autumn_hour_that_happens_twice_is_accepted() -> None:
    assert one("E1,19121212-1212,2080,somatic,2020-10-25 02:30,,")["admitted_at"] == at(
        "2020-10-25 02:30"
    )


def test_a_pseudonym_is_kept_as_given_and_a_short_number_gets_its_century() -> None:
    result = read(
        GOOD.replace("19121212-1212", "P-000123"),
        GOOD.replace("E1", "E2").replace("19121212-1212", "121212-1212"),
        GOOD.replace("E1", "E3").replace("19121212-1212", " 4f9a1c "),
    )
    assert result.frame["patient_id"].to_list() == ["P-000123", "201212121212", "4f9a1c"]


def test_liable_municipality_is_the_placing_one_and_districts_belong_to_the_home_one() -> None:
    header = HEADER + ",placing_municipality,district"
    result = read(GOOD + ",,Norrmalm", GOOD.replace("E1", "E2") + ",0180,Norrmalm", header=header)
    assert result.frame["liable_municipality"].to_list() == ["2080", "0180"]
    assert result.frame["liable_district"].to_list() == ["Norrmalm", None]


def test_ready_declarations_default_to_one_when_ready_and_zero_otherwise() -> None:
    header = HEADER + ",ready_declarations"
    result = read(
        GOOD + ",",
        GOOD.replace("E1", "E2") + ",3",
        "E3,19121212-1212,2080,somatic,2020-01-01 10:00,,,",
        header=header,
    )
    assert result.frame["ready_declarations"].to_list() == [1, 3, 0]


def test_age_is_read_as_a_whole_number() -> None:
    assert one(GOOD + ",87", header=HEADER + ",age")["age"] == 87


# Bad input


def test_a_missing_required_column_is_reported_on_line_one() -> None:
    header = "episode_id,patient_id,care_type,admitted_at"
    with pytest.raises(EpisodeFileError) as caught:
        read("E1,19121212-1212,somatic,2020-01-01 10:00", header=header)
    assert caught.value.errors == [RowError(1, "municipality", "missing required column")]


def test_a_column_given_twice_is_reported_on_line_one() -> None:
    with pytest.raises(EpisodeFileError) as caught:
        read(GOOD + ",1", header=HEADER + ",Age,AGE")
    assert caught.value.errors == [RowError(1, "age", "the column appears 2 times")]


def test_the_message_names_line_and_column() -> None:
    assert errors(
        GOOD, GOOD.replace("E1", "E2").replace("2020-01-01 10:00", "2020-13-01 10:00")
    ) == [
        "line 3, column admitted_at: "
        "unparseable time '2020-13-01 10:00' (expected YYYY-MM-DD HH:MM)"
    ]


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (",19121212-1212,2080,somatic,2020-01-01 10:00,,", "episode_id", "missing required value"),
        ("E1,,2080,somatic,2020-01-01 10:00,,", "patient_id", "missing required value"),
        ("E1,19121212-1212,,somatic,2020-01-01 10:00,,", "municipality", "missing required value"),
        ("E1,19121212-1212,2080,,2020-01-01 10:00,,", "care_type", "missing required value"),
        ("E1,19121212-1212,2080,somatic,,,", "admitted_at", "missing required value"),
        ("E1,19121212-1212,2080,somatic,  ,,", "admitted_at", "missing required value"),
        ("E1,19121212-1212,2080,somatic,2020-02-30 10:00,,", "admitted_at", "unparseable time"),
        ("E1,19121212-1212,2080,somatic,2020-01-01 24:00,,", "admitted_at", "unparseable time"),
        ("E1,19121212-1212,2080,somatic,1/1/2020 10:00,,", "admitted_at", "unparseable time"),
        ("E1,19121212-1212,2080,somatic,2020-01-01 10:00,tomorrow,", "ready_at", "unparseable"),
        (
            "E1,19121212-1212,2080,somatic,2020-01-01T10:00+25:00,,",
            "admitted_at",
            "unparseable time",
        ),
        (
            "E1,19121212-1212,2080,somatic,2020-03-29 02:30,,",
            "admitted_at",
            "time does not exist in Swedish local time (daylight-saving gap)",
        ),
        ("E1,19121212-1212,2080,surgical,2020-01-01 10:00,,", "care_type", "unknown care type"),
        ("E1,19121212-1212,9999,somatic,2020-01-01 10:00,,", "municipality", "invalid kommunkod"),
        (
            "E1,19121212-1212,180,somatic,2020-01-01 10:00,,",
            "municipality",
            "invalid kommunkod '180' (the leading zero lost? '0180')",
        ),
        (
            "E1,19121212-1213,2080,somatic,2020-01-01 10:00,,",
            "patient_id",
            "invalid personnummer or samordningsnummer: wrong check digit",
        ),
        (
            "E1,20190230-1234,2080,somatic,2020-01-01 10:00,,",
            "patient_id",
            "invalid personnummer or samordningsnummer: no such date 2019-02-30",
        ),
        (
            "E1,19121212-1212,2080,somatic,2020-01-05 10:00,,2020-01-04 10:00",
            "discharged_at",
            "discharge before admission",
        ),
        (
            "E1,19121212-1212,2080,somatic,2020-01-05 10:00,2020-01-04 10:00,",
            "ready_at",
            "readiness before admission",
        ),
        (
            "E1,19121212-1212,2080,somatic,2020-01-01 10:00,2020-01-06 10:00,2020-01-05 10:00",
            "ready_at",
            "readiness after discharge",
        ),
    ],
)
def test_each_bad_value_is_reported_with_its_column(row: str, column: str, reason: str) -> None:
    with pytest.raises(EpisodeFileError) as caught:
        read(row)
    assert [(e.line, e.column) for e in caught.value.errors] == [(2, column)]
    assert caught.value.errors[0].reason.startswith(reason)


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("placing_municipality", "0999", "invalid kommunkod '0999'"),
        ("sip_needed", "kanske", "not a yes/no value: 'kanske'"),
        ("age", "131", "not an age"),
        ("age", "-1", "not an age"),
        ("age", "4.5", "not an age"),
        ("ready_declarations", "-1", "not a whole number"),
        ("ready_declarations", "two", "not a whole number"),
        ("ready_declarations", "0", "must be at least 1 when ready_at is set"),
    ],
)
def test_bad_optional_values_are_reported(column: str, value: str, reason: str) -> None:
    with pytest.raises(EpisodeFileError) as caught:
        read(f"{GOOD},{value}", header=f"{HEADER},{column}")
    assert [(e.line, e.column) for e in caught.value.errors] == [(2, column)]
    assert caught.value.errors[0].reason.startswith(reason)


def test_the_personal_number_is_not_quoted_in_its_error() -> None:
    (message,) = errors(GOOD.replace("19121212-1212", "19121212-1213"))
    assert "1213" not in message


def test_equal_times_are_no_error() -> None:
    row = one("E1,19121212-1212,2080,somatic,2020-01-01 10:00,2020-01-01 10:00,2020-01-01 10:00")
    assert row["ready_at"] == row["discharged_at"]


def test_duplicates_report_second_and_later_occurrences_naming_the_first_line() -> None:
    assert errors(GOOD, GOOD.replace("E1", "E2"), GOOD, GOOD) == [
        "line 4, column episode_id: duplicate episode_id 'E1' (first on line 2)",
        "line 5, column episode_id: duplicate episode_id 'E1' (first on line 2)",
    ]


def test_a_row_reports_all_its_errors_in_column_order() -> None:
    row = "E1,19121212-1213,180,surgical,2020-01-05 10:00,2020-01-04 10:00,2020-01-03 10:00"
    assert [message.split(": ")[0] for message in errors(row)] == [
        "line 2, column patient_id",
        "line 2, column municipality",
        "line 2, column care_type",
        "line 2, column ready_at",
        "line 2, column ready_at",
        "line 2, column discharged_at",
    ]


def test_skip_invalid_keeps_the_good_rows_and_counts_the_bad_lines() -> None:
    result = read(
        GOOD,
        "E2,19121212-1213,180,somatic,2020-01-01 10:00,,",  # two errors, one line
        GOOD.replace("E1", "E3"),
        "E4,19121212-1212,2080,somatic,never,,",
        skip_invalid=True,
    )
    assert result.frame["episode_id"].to_list() == ["E1", "E3"]
    assert result.frame["line"].to_list() == [2, 4]
    assert [(e.line, e.column) for e in result.errors] == [
        (3, "patient_id"),
        (3, "municipality"),
        (5, "admitted_at"),
    ]
    assert result.skipped_rows == 2


def test_a_row_with_too_many_fields_is_a_bad_row() -> None:
    result = read(GOOD, GOOD.replace("E1", "E2") + ",Medicin, avd 5", skip_invalid=True)
    assert result.frame["episode_id"].to_list() == ["E1"]
    assert [str(error) for error in result.errors] == [
        "line 3: 9 fields, more than the header has (an unquoted separator?)"
    ]


def test_a_stray_quote_inside_a_value_is_read_as_a_character() -> None:
    assert one(GOOD + ',Avd 5 "norra"', header=HEADER + ",unit")["unit"] == 'Avd 5 "norra"'


def test_an_unclosed_quote_is_reported() -> None:
    with pytest.raises(EpisodeFileError) as caught:
        read(GOOD, GOOD.replace("E1", "E2") + ',"Avd 5', header=HEADER + ",unit")
    (error,) = caught.value.errors
    assert error.line == 3
    assert error.reason.startswith("malformed CSV")


def test_a_file_that_is_not_utf8_is_rejected_naming_the_line() -> None:
    data = csv(GOOD, GOOD.replace("E1", "E2") + ",Södermalm", header=HEADER + ",district")
    with pytest.raises(EpisodeFileError) as caught:
        read_episodes(data.decode().encode("cp1252"), today=TODAY)
    (error,) = caught.value.errors
    assert error.line == 3
    assert "must be UTF-8" in error.reason
    assert "Windows-1252" in error.reason


def test_file_error_message_names_the_first_error() -> None:
    with pytest.raises(EpisodeFileError, match="line 2, column care_type"):
        read(GOOD.replace("somatic", "x"))


def test_values_unlike_the_first_rows_take_the_general_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(episodes, "_SAMPLE", 1)
    result = read(
        GOOD,
        "E2,19121212-1212,2080,Geriatrisk,2020-01-01T10:00:00Z,2020-01-02,",
        "E3,19121212-1212,2080,surgical,2020-01-01 10:00,,",
        skip_invalid=True,
    )
    assert result.frame["care_type"].to_list() == ["somatic", "geriatric"]
    assert result.frame["admitted_at"].to_list() == [at("2020-01-01 10:00"), at("2020-01-01 11:00")]
    assert [(e.line, e.column) for e in result.errors] == [(4, "care_type")]
