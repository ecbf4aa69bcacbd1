"""The local indicators a–g (Västmanland §3.2), per clinic, vårdcentral, municipality, month."""

from __future__ import annotations

import polars as pl

from utskrivning.domain.indicators.aggregate import Aggregate, count, patients, ready_count

AGGREGATES: dict[str, Aggregate] = {
    "admission_notices": (count("admission_notice"), pl.len()),
    "unique_closed_episodes": (patients, pl.len()),
    "over_three_ready_days": (count("over_three_ready_days"), ready_count),
    "sip_not_within_30_days": (count("sip_not_within_30_days"), count("sip_summoned")),
    "sip_summoned": (count("sip_summoned"), pl.len()),
    "sip_held_during_stay": (count("sip_held_during_stay"), count("sip_held")),
    "kept_over_major_holiday": (count("kept_over_major_holiday"), ready_count),
    "discharged_over_major_holiday": (count("discharged_over_major_holiday"), ready_count),
}
