"""The synthetic episode file must be a valid contract file with the shapes the rules need."""

from datetime import date

import polars as pl
import pytest

from utskrivning.domain.demo import COLUMNS, TIME_COLUMNS, generate_episodes, write_episodes_csv
from utskrivning.domain.episodes import read_episodes
from utskrivning.domain.identity import parse_personal_number, personal_number_errors

DALARNA = ["2021", "2023", "2026", "2029", "2031", "2034", "2039", "2061", "2062", "2080", "2081",
           "2082", "2083", "2084", "2085"]  # fmt: skip


@pytest.fixture(scope="module")
def episodes() -> pl.DataFrame:
    return generate_episodes(200_000, 2020, seed=7)


@pytest.fixture(scope="module")
def times(episodes: pl.DataFrame) -> pl.DataFrame:
    return episodes.select(
        pl.exclude(TIME_COLUMNS),
        *(pl.col(name).str.strptime(pl.Datetime, "%Y-%m-%d %H:%M") for name in TIME_COLUMNS),
    )


def test_columns_are_the_contract_as_strings(episodes: pl.DataFrame) -> None:
    assert episodes.columns == list(COLUMNS)
    assert set(episodes.dtypes) == {pl.String}
    assert episodes["episode_id"].is_unique().all()
    for name in ("episode_id", "patient_id", "municipality", "care_type", "admitted_at"):
        assert episodes[name].null_count() == 0, name


def test_deterministic_for_a_seed() -> None:
    first = generate_episodes(2_000, 2020, seed=3)
    assert first.equals(generate_episodes(2_000, 2020, seed=3))
    assert not first.equals(generate_episodes(2_000, 2020, seed=4))


def test_times_are_ordered(times: pl.DataFrame) -> None:
    def violations(earlier: str, later: str) -> int:
        return times.filter(pl.col(earlier) > pl.col(later)).height

    assert violations("admitted_at", "admission_notice_at") == 0
    assert violations("admitted_at", "ready_at") == 0
    assert violations("ready_at", "discharged_at") == 0
    assert violations("admitted_at", "named_contact_at") == 0
    assert violations("named_contact_at", "discharged_at") == 0
    assert violations("admitted_at", "sip_summoned_at") == 0
    assert violations("sip_summoned_at", "sip_held_at") == 0


def test_every_time_exists_once_in_swedish_local_time(times: pl.DataFrame) -> None:
    """No 02:xx on the spring-forward night (missing) or the fall-back night (ambiguous)."""
    times.select(
        pl.col(TIME_COLUMNS).dt.replace_time_zone(
            "Europe/Stockholm", ambiguous="raise", non_existent="raise"
        )
    )


def test_personal_numbers_pass_the_check(episodes: pl.DataFrame) -> None:
    today = date(2021, 1, 1)
    errors = episodes.select(personal_number_errors(pl.col("patient_id"), today).alias("e"))
    assert errors["e"].null_count() == episodes.height
    for text in episodes["patient_id"].head(50):
        parse_personal_number(text, today=today)
    day = episodes["patient_id"].str.slice(6, 2).cast(pl.Int64)
    assert 0.002 < (day > 60).mean() < 0.03  # type: ignore[operator]


def test_patients_come_back_under_one_number(episodes: pl.DataFrame) -> None:
    per_patient = episodes.group_by("patient_id").agg(
        pl.len(), pl.col("municipality").n_unique().alias("homes")
    )
    assert per_patient["len"].max() > 1  # type: ignore[operator]
    assert per_patient["homes"].max() == 1


def test_care_types(episodes: pl.DataFrame) -> None:
    share = dict(episodes["care_type"].value_counts(normalize=True).iter_rows())
    assert 0.10 <= share["psychiatric"] <= 0.15
    assert 0.12 <= share["geriatric"] <= 0.18
    assert share["somatic"] == pytest.approx(1 - share["psychiatric"] - share["geriatric"])


def test_ready_days_have_a_day_zero_peak_and_a_long_tail(times: pl.DataFrame) -> None:
    days = (
        times.filter(pl.col("discharged_at").is_not_null())
        .select((pl.col("discharged_at").dt.date() - pl.col("ready_at").dt.date()).dt.total_days())
        .to_series()
    )
    assert 0.30 <= (days == 0).mean() <= 0.40  # type: ignore[operator]
    assert 0.02 <= (days > 7).mean() <= 0.08  # type: ignore[operator]
    assert (days > 30).sum() > 100


def test_readiness_on_both_sides_of_a_cutoff(times: pl.DataFrame) -> None:
    before_two = (times["ready_at"].dt.hour() < 14).mean()
    assert 0.4 <= before_two <= 0.8  # type: ignore[operator]


def test_withdrawn_readiness(episodes: pl.DataFrame) -> None:
    declarations = episodes["ready_declarations"].value_counts()
    assert set(declarations["ready_declarations"].drop_nulls()) == {"1", "2", "3"}
    withdrawn = episodes["ready_declarations"].is_in(["2", "3"]).fill_null(value=False)
    assert 0.03 <= withdrawn.mean() <= 0.08  # type: ignore[operator]


def test_year_and_still_admitted(times: pl.DataFrame) -> None:
    discharged = times.filter(pl.col("discharged_at").is_not_null())
    assert (discharged["discharged_at"].dt.year() == 2020).mean() > 0.95  # type: ignore[operator]
    assert (times["admitted_at"].dt.year() == 2020).mean() > 0.95  # type: ignore[operator]
    running = times.filter(pl.col("discharged_at").is_null())
    assert 0.005 <= running.height / times.height <= 0.05
    assert running["status"].null_count() == running.height
    recent = running["admitted_at"].dt.date() >= date(2020, 11, 1)
    assert recent.mean() > 0.9  # type: ignore[operator]
    status = discharged["status"]
    assert set(status.drop_nulls()) == {"UTFÖRD"}
    assert 0 < status.null_count() < 0.03 * discharged.height


def test_missing_preconditions(episodes: pl.DataFrame) -> None:
    closed = episodes.filter(pl.col("discharged_at").is_not_null())
    no_notice = closed["admission_notice_at"].is_null().mean()
    with_care = closed.filter(pl.col("primary_care_unit").is_not_null())
    no_contact = with_care["named_contact_at"].is_null().mean()
    sip = closed.filter(pl.col("sip_needed") == "true")
    no_summons = sip["sip_summoned_at"].is_null().mean()
    assert 0.02 <= no_notice <= 0.04  # type: ignore[operator]
    assert 0.02 <= no_contact <= 0.04  # type: ignore[operator]
    assert 0.035 <= no_summons <= 0.065  # type: ignore[operator]
    assert 0.25 <= sip.height / closed.height <= 0.35
    assert closed.filter(pl.col("sip_needed") == "false")["sip_summoned_at"].null_count() == (
        closed.height - sip.height
    )


def test_placing_municipality_and_districts(episodes: pl.DataFrame) -> None:
    placed = episodes.filter(pl.col("placing_municipality").is_not_null())
    assert 0.015 <= placed.height / episodes.height <= 0.025
    assert (placed["placing_municipality"] != placed["municipality"]).all()
    liable = pl.coalesce("placing_municipality", "municipality")
    stockholm = episodes.filter(liable == "0180")
    assert stockholm["district"].null_count() == 0
    assert stockholm["district"].n_unique() == 13
    assert episodes.filter(liable != "0180")["district"].null_count() == episodes.height - (
        stockholm.height
    )


def test_units_and_primary_care(episodes: pl.DataFrame) -> None:
    assert episodes["unit"].null_count() == 0
    assert (
        episodes.filter(pl.col("municipality") == "2080")["unit"]
        .str.starts_with("Falu lasarett, ")
        .all()
    )
    assert 0.8 <= episodes["primary_care_unit"].is_not_null().mean() <= 0.9  # type: ignore[operator]


def test_municipalities_weighted_by_population(episodes: pl.DataFrame) -> None:
    share = episodes["municipality"].value_counts(normalize=True)
    stockholm = share.filter(pl.col("municipality") == "0180")["proportion"].item()
    assert 0.08 <= stockholm <= 0.11  # 984 000 of 10.5 million


def test_restricted_to_a_county() -> None:
    frame = generate_episodes(5_000, 2020, seed=1, municipalities=DALARNA)
    counts = dict(frame["municipality"].value_counts().iter_rows())
    assert set(counts) <= set(DALARNA)
    assert counts["2080"] > 4 * counts["2034"]  # Falun 60 000, Orsa 6 900
    assert frame["placing_municipality"].drop_nulls().is_in(DALARNA).all()
    assert frame["district"].null_count() == frame.height


def test_rejects_unknown_or_no_municipalities() -> None:
    with pytest.raises(ValueError, match="9999"):
        generate_episodes(10, 2020, municipalities=["2080", "9999"])
    with pytest.raises(ValueError):
        generate_episodes(10, 2020, municipalities=[])


def test_empty_file() -> None:
    assert generate_episodes(0, 2020).columns == list(COLUMNS)


def test_written_file_round_trips(tmp_path: pytest.TempPathFactory) -> None:
    frame = generate_episodes(1_000, 2020, seed=2)
    path = tmp_path / "episodes.csv"  # type: ignore[operator]
    write_episodes_csv(frame, path)
    back = pl.read_csv(path, infer_schema=False)
    assert back.equals(frame)


def test_the_reader_accepts_every_row(tmp_path: pytest.TempPathFactory) -> None:
    frame = generate_episodes(20_000, 2020, seed=5)
    path = tmp_path / "episodes.csv"  # type: ignore[operator]
    write_episodes_csv(frame, path)
    read = read_episodes(path, today=date(2021, 1, 1))
    assert read.errors == []
    assert read.frame.height == frame.height
