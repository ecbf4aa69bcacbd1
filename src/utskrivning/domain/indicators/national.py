"""The seven national indicators (Västmanland §3.2 1–7, as vantetider.se publishes them)."""

from __future__ import annotations

import polars as pl

from utskrivning.domain.indicators.aggregate import Aggregate, count, ready_count

_ready_days = pl.col("ready_days").sum()
_care_days = pl.col("care_days").sum()

AGGREGATES: dict[str, Aggregate] = {
    "episodes": (pl.len(), None),
    "care_days": (_care_days, None),
    "ready_bed_day_share": (_ready_days, _care_days),
    "same_day_discharges": (count("same_day"), None),
    "ready_one_day_or_more": (count("ready_one_day_or_more"), None),
    "ready_days": (_ready_days, None),
    "mean_ready_days": (_ready_days, ready_count),
}
