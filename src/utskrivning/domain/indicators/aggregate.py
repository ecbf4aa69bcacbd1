"""The building blocks of an indicator's numerator and denominator over `episode_measures`."""

from __future__ import annotations

import polars as pl

# (numerator, denominator or None for a plain count), each an aggregation over one group.
Aggregate = tuple[pl.Expr, pl.Expr | None]


def count(flag: str | pl.Expr) -> pl.Expr:
    """How many episodes of the group have `flag`."""
    return (pl.col(flag) if isinstance(flag, str) else flag).sum()


ready_count = count("ready")
patients = pl.col("patient_key").n_unique()
