"""Small episode files, written out as CSV and read through the real reader like a region's."""

from __future__ import annotations

from datetime import date

import polars as pl

from utskrivning.domain.episodes import read_episodes
from utskrivning.domain.indicators import indicator_table

HEADER = (
    "episode_id", "patient_id", "municipality", "placing_municipality", "care_type", "unit",
    "primary_care_unit", "admitted_at", "admission_notice_at", "ready_at", "ready_declarations",
    "named_contact_at", "sip_needed", "sip_summoned_at", "sip_held_at", "discharged_at", "age",
)  # fmt: skip

_count = iter(range(1, 1_000_000))


def episode(**cells: str) -> dict[str, str]:
    """A somatic Falun patient of 70 admitted 1 March 2020, with `cells` set; the rest empty."""
    number = next(_count)
    return {
        "episode_id": f"E{number}",
        "patient_id": f"P{number}",
        "municipality": "2080",
        "care_type": "somatic",
        "admitted_at": "2020-03-01 08:00",
        "age": "70",
        **cells,
    }


def csv_text(*episodes: dict[str, str]) -> str:
    lines = [",".join(HEADER)]
    lines += [",".join(f'"{row.get(name, "")}"' for name in HEADER) for row in episodes]
    return "\n".join(lines) + "\n"


def frame(*episodes: dict[str, str]) -> pl.DataFrame:
    return read_episodes(csv_text(*episodes).encode(), today=date(2026, 1, 1)).frame


def cell(
    table: pl.DataFrame, indicator: str, *, month: str, key: str = "2080", care: str = "all"
) -> tuple[float | None, float | None, float | None]:
    """(numerator, denominator, value) of one row of an indicator table."""
    rows = table.filter(
        (pl.col("indicator") == indicator)
        & (pl.col("month") == month)
        & (pl.col("key") == key)
        & (pl.col("care") == care)
    )
    assert rows.height == 1, f"{indicator} {month} {key} {care}: {rows.height} rows"
    numerator, denominator, value = rows.select("numerator", "denominator", "value").row(0)
    return numerator, denominator, value


def table_of(*episodes: dict[str, str], by: str = "municipality") -> pl.DataFrame:
    return indicator_table(frame(*episodes), by=by)
