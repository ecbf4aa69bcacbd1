"""The seven national indicators (Västmanland §3.2 1–7) on a hand-worked March 2020.

E1 somatic   admitted 1 Mar, ready 5 Mar 15:00, out 5 Mar   care 4, ready 0 (day zero)
E2 geriatric admitted 2 Mar, ready 4 Mar 16:00, out 7 Mar   care 5, ready 3 (no cut-off)
E3 somatic   admitted 25 Feb, ready 27 Feb, out 3 Mar       care 7, ready 5 (leap year; March's)
E4 somatic   admitted 10 Mar, never ready, out 12 Mar       care 2
E5 psych.    admitted 1 Mar, ready 20 Mar, out 30 Mar       care 29, ready 10
E6 somatic   admitted 20 Mar, ready 25 Mar, still in        in no month
E7 somatic   admitted 28 Mar, ready 30 Mar, out 1 Apr       April's: care 4, ready 2
"""

from __future__ import annotations

import polars as pl
import pytest

from .files import cell, episode, table_of

EPISODES = (
    episode(ready_at="2020-03-05 15:00", discharged_at="2020-03-05 18:00"),
    episode(care_type="geriatric", admitted_at="2020-03-02 08:00", ready_at="2020-03-04 16:00",
            discharged_at="2020-03-07 10:00"),
    episode(admitted_at="2020-02-25 08:00", ready_at="2020-02-27 09:00",
            discharged_at="2020-03-03 11:00"),
    episode(admitted_at="2020-03-10 08:00", discharged_at="2020-03-12 10:00"),
    episode(care_type="psychiatric", ready_at="2020-03-20 10:00", discharged_at="2020-03-30 10:00"),
    episode(admitted_at="2020-03-20 08:00", ready_at="2020-03-25 10:00"),
    episode(admitted_at="2020-03-28 08:00", ready_at="2020-03-30 10:00",
            discharged_at="2020-04-01 09:00"),
)  # fmt: skip


@pytest.fixture(scope="module")
def table() -> pl.DataFrame:
    return table_of(*EPISODES)


@pytest.mark.parametrize(
    ("indicator", "care", "expected"),
    [
        ("episodes", "somatic", (4, None, 4)),
        ("episodes", "psychiatric", (1, None, 1)),
        ("episodes", "all", (5, None, 5)),
        ("care_days", "somatic", (18, None, 18)),
        ("care_days", "psychiatric", (29, None, 29)),
        ("care_days", "all", (47, None, 47)),
        ("ready_bed_day_share", "somatic", (8, 18, 8 / 18)),
        ("ready_bed_day_share", "psychiatric", (10, 29, 10 / 29)),
        ("ready_bed_day_share", "all", (18, 47, 18 / 47)),
        ("same_day_discharges", "somatic", (1, None, 1)),
        ("same_day_discharges", "psychiatric", (0, None, 0)),
        ("ready_one_day_or_more", "somatic", (2, None, 2)),
        ("ready_one_day_or_more", "all", (3, None, 3)),
        ("ready_days", "somatic", (8, None, 8)),
        ("ready_days", "psychiatric", (10, None, 10)),
        ("ready_days", "all", (18, None, 18)),
        ("mean_ready_days", "somatic", (8, 3, 8 / 3)),
        ("mean_ready_days", "psychiatric", (10, 1, 10)),
        ("mean_ready_days", "all", (18, 4, 4.5)),
    ],
)
def test_march_by_care_type(
    table: pl.DataFrame, indicator: str, care: str, expected: tuple[float, ...]
) -> None:
    assert cell(table, indicator, month="2020-03", care=care) == pytest.approx(expected)


def test_episode_discharged_in_april_belongs_to_april_with_its_march_days(
    table: pl.DataFrame,
) -> None:
    assert cell(table, "episodes", month="2020-04") == (1, None, 1)
    assert cell(table, "care_days", month="2020-04") == (4, None, 4)
    assert cell(table, "ready_days", month="2020-04") == (2, None, 2)


def test_no_psychiatric_rows_where_there_were_no_psychiatric_episodes(table: pl.DataFrame) -> None:
    april = table.filter(month="2020-04")
    assert set(april["care"]) == {"somatic", "all"}


def test_still_admitted_episode_is_in_no_month(table: pl.DataFrame) -> None:
    assert set(table["month"]) == {"2020-03", "2020-04"}


def test_mean_is_empty_without_ready_episodes() -> None:
    table = table_of(episode(discharged_at="2020-03-04 10:00"))
    assert cell(table, "mean_ready_days", month="2020-03") == (0, 0, None)
    assert cell(table, "ready_days", month="2020-03") == (0, None, 0)
