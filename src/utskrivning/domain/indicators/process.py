"""The process indicators: readiness moved (Västmanland §3.3), readmissions of patients 65+
(Stockholm's action plan, goals), and the law's deadlines (24 h notice, 3-day summons, named
contact before discharge)."""

from __future__ import annotations

import polars as pl

from utskrivning.domain.indicators.aggregate import Aggregate, count, patients

AGGREGATES: dict[str, Aggregate] = {
    # §3.3 "antal/andel inskrivna där utskrivning flyttas relaterat till totalt antal inskrivna":
    # over every admitted (closed) episode, not only the ready ones.
    "ready_date_moved": (count("ready_date_moved"), pl.len()),
    "ready_moves_per_patient": (pl.col("ready_moves").filter("ready").sum(), patients),
    "readmissions_65": (count(pl.col("readmitted_30") & pl.col("aged_65")), count("aged_65")),
    "notice_within_24h": (count("notice_within_24h"), pl.len()),
    "summons_within_3_days": (count("summons_within_3_days"), count("summons_due")),
    "named_contact_before_discharge": (
        count("named_contact_before_discharge"),
        count("named_contact_due"),
    ),
}
