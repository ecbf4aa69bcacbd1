"""The payment run with no checks at all: what is left of the 2× target for validating the file.

Not a reader: it parses what the engine needs (the times in the generated file's one layout,
the spellings) and takes every row on trust, which the contract forbids. Twice the bare read
minus this run is the time the contract's checks (personnummer, kommunkod, spellings, order of
times, Swedish local time, distinct ids, the messages) may take for the target to be met.
"""

from __future__ import annotations

import time
from pathlib import Path

import polars as pl

from utskrivning.domain.care import SPELLINGS
from utskrivning.domain.episodes import TIME_COLUMNS
from utskrivning.domain.payment import compute_payment
from utskrivning.domain.rulebooks import load_rulebook

_LAYOUT = "%Y-%m-%d %H:%M"  # the generated file's only layout


def _unchecked(path: Path) -> pl.DataFrame:
    return (
        pl.scan_csv(path, infer_schema=False, row_index_name="line", row_index_offset=2)
        .with_columns(
            *(
                pl.col(name).str.strptime(pl.Datetime("us"), _LAYOUT, strict=False, cache=False)
                for name in TIME_COLUMNS
            ),
            care_type=pl.col("care_type").replace_strict(SPELLINGS, default=None),
            sip_needed=pl.col("sip_needed") == "true",
            status=pl.col("status").replace({"UTFÖRD": "done"}),
            liable_municipality=pl.coalesce("placing_municipality", "municipality"),
            liable_district=pl.when(pl.col("placing_municipality").is_null()).then("district"),
        )
        .collect()
    )


def unchecked_run(path: Path, rulebook: str) -> dict[str, float]:
    start = time.perf_counter()
    episodes = _unchecked(path)
    read = time.perf_counter()
    compute_payment(episodes, load_rulebook(rulebook))
    return {"read, unchecked": read - start, "compute_payment": time.perf_counter() - read}
