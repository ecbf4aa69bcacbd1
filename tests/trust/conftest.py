"""The trust tests reuse the episodes' fixed cast and the API's token helper; nothing is copied."""

from __future__ import annotations

import polars as pl
import pytest

from episodes.conftest import ADMITTED, Cast, cast, fast_password_hasher
from episodes.test_api import admit_json, auth

__all__ = ["ADMITTED", "Cast", "admit_json", "auth", "cast", "fast_password_hasher"]


def demo_file_for(cast: Cast, frame: pl.DataFrame) -> bytes:
    """A generated file with its units and vårdcentraler put on the cast's own, which the
    import requires (a national hospital's names are no ward of the test region)."""
    return (
        frame.with_columns(
            unit=pl.when(pl.int_range(pl.len()) % 2 == 0)
            .then(pl.lit(cast.ward.name))
            .otherwise(pl.lit(cast.other_ward.name)),
            primary_care_unit=pl.when(pl.col("primary_care_unit").is_not_null()).then(
                pl.lit(cast.primary_care.name)
            ),
        )
        .write_csv()
        .encode()
    )


@pytest.fixture
def notified(cast: Cast):
    """An episode the ward, municipality A and the primary-care unit all see; B must not."""
    episode = cast.admit()
    cast.notify(episode, ADMITTED.replace(hour=10))
    episode.refresh_from_db()
    return episode
