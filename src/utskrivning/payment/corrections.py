"""A dispute's correction applied to the engine's input, never to the engine.

The corrected basis is the same rules run on corrected episodes: an episode left out is a row
dropped from the frame, a corrected readiness time replaces the row's `ready_at`. So the average,
the two-of-three-months history and the individual calculation all follow from the correction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import polars as pl


@dataclass(frozen=True)
class EpisodeCorrection:
    episode_id: str  # the episode file's id (vårdtillfälle)
    exclude: bool = False
    ready_at: datetime | None = None  # local time, naive, as the frame holds it


def apply_corrections(
    frame: pl.DataFrame, corrections: Iterable[EpisodeCorrection]
) -> pl.DataFrame:
    """The frame with the corrections applied; a left-out episode wins over a moved readiness."""
    corrections = list(corrections)
    excluded = {c.episode_id for c in corrections if c.exclude}
    moved = {c.episode_id: c.ready_at for c in corrections if c.ready_at and not c.exclude}
    corrected = frame.filter(~pl.col("episode_id").is_in(excluded))
    if not moved:
        return corrected
    times = pl.DataFrame(
        {"episode_id": list(moved), "corrected_ready_at": list(moved.values())},
        schema={"episode_id": pl.String, "corrected_ready_at": frame.schema["ready_at"]},
    )
    return (
        corrected.join(times, on="episode_id", how="left", maintain_order="left")
        .with_columns(ready_at=pl.coalesce("corrected_ready_at", "ready_at"))
        .drop("corrected_ready_at")
    )
