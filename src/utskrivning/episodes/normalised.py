"""Stored episodes in the normalised shape of `read_episodes`, for the engine's explanation.

The one reader defines the shape and the rules, so an episode is written as an episode-file row
and read back. For a screen of a few dozen episodes the reader's fixed cost (planning its Polars
queries, some milliseconds) is most of the page's time, so rows already read are kept: a row is a
function of its exported text alone, which is the key, and any change to the episode changes it.
"""

from __future__ import annotations

from typing import Any

from utskrivning.domain.episodes import read_episodes
from utskrivning.episodes.episode_file import episode_file_text, export_row
from utskrivning.episodes.models import Episode
from utskrivning.lib.kept import Kept

MAX_KEPT = 20_000  # a county's open episodes many times over; a few kB each
_kept: Kept[tuple[Any, ...], dict[str, Any]] = Kept(most=MAX_KEPT)  # gunicorn's threads share it


def normalised_rows(episodes: list[Episode]) -> list[dict[str, Any]]:
    """The reader's row of each episode (organisations loaded: `episode_file.EXPORT_RELATED`)."""
    rows = [export_row(e) for e in episodes]
    keys = [tuple(row.values()) for row in rows]
    found = _kept.get_many(keys)
    missing = {key: row for key, row in zip(keys, rows, strict=True) if key not in found}
    if missing:
        frame = read_episodes(episode_file_text(missing.values()).encode()).frame.drop("line")
        read = dict(zip(missing, frame.iter_rows(named=True), strict=True))
        found.update(read)
        _kept.put_many(read)
    return [found[key] for key in keys]
