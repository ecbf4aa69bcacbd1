"""Export the whole database as an episode file, import it into an empty one: the same invoices
and the same indicators come out, so the file is a complete record of what the money rests on."""

from __future__ import annotations

import polars as pl
import pytest
from django.db import transaction

from utskrivning.domain.demo import generate_episodes
from utskrivning.domain.episodes import EpisodeFileError, read_episode_texts, read_episodes
from utskrivning.domain.indicators import indicator_table
from utskrivning.episodes.episode_file import export_episode_file, export_frame
from utskrivning.episodes.models import Episode, EpisodeEvent
from utskrivning.episodes.selectors import episode_frame
from utskrivning.imports.services import import_episode_file
from utskrivning.payment.basis import invoice_basis

from .conftest import ADMITTED, demo_file_for

MONTHS = ["2020-03", "2020-07", "2020-11"]


def _money_and_indicators(cast) -> tuple[list[pl.DataFrame], pl.DataFrame]:
    bases = [
        invoice_basis(municipality=municipality, month=month)
        for municipality in (cast.municipality_a, cast.municipality_b)
        for month in MONTHS
    ]
    frames = [frame for b in bases for frame in (b.invoice_frame, b.line_frame)]
    indicators = indicator_table(episode_frame(queryset=Episode.objects.all()))
    return frames, indicators.sort(pl.all())


def test_export_and_import_into_an_empty_database_gives_the_same_invoices_and_indicators(cast):
    with transaction.atomic():
        demo = generate_episodes(400, 2020, seed=11, municipalities=["2080", "2081"])
        import_episode_file(data=demo_file_for(cast, demo), region=cast.region)
        cast.notify(cast.admit(), ADMITTED.replace(hour=10))  # one from the service itself
        before, indicators_before = _money_and_indicators(cast)
        exported = export_episode_file(queryset=Episode.objects.all())
        transaction.set_rollback(True)
    assert not Episode.objects.exists() and not EpisodeEvent.objects.exists()
    assert sum(frame.height for frame in before) > 0  # there was money to compare

    result = import_episode_file(data=exported.encode(), region=cast.region)

    assert result.imported == exported.count("\n") - 1
    after, indicators_after = _money_and_indicators(cast)
    assert all(a.equals(b) for a, b in zip(after, before, strict=True))
    assert indicators_after.equals(indicators_before)
    # As the engine reads it (an unknown SIP need is written "", which reads as false), in the
    # order of the ids: the database's order among equal admission times is its own.
    assert _as_read(export_episode_file(queryset=Episode.objects.all())).equals(_as_read(exported))


def _as_read(text: str) -> pl.DataFrame:
    return read_episodes(text.encode()).frame.drop("line").sort("episode_id")


def test_the_engine_reads_stored_episodes_as_it_reads_their_file(cast):
    """`episode_frame` skips the file's text: the frame is the one the file gives, line by line
    (a name with a comma, a quote and a leading '=' included, written straight to the store)."""
    demo = generate_episodes(300, 2020, seed=5, municipalities=["2080", "2081"])
    import_episode_file(data=demo_file_for(cast, demo), region=cast.region)
    cast.notify(cast.admit(), ADMITTED.replace(hour=10))
    cast.ward.__class__.objects.filter(pk=cast.ward.pk).update(name='=Avd "4", norr')
    episodes = Episode.objects.order_by("pk")
    file = read_episodes(export_episode_file(queryset=episodes).encode()).frame
    texts = read_episode_texts(export_frame(episodes)).frame
    assert texts.height == Episode.objects.count() > 300
    assert (file["unit"] == '\'=Avd "4", norr').any()  # the file's cell, made formula-safe
    assert texts.drop("unit").equals(file.drop("unit"))
    assert texts["unit"].equals(file["unit"].str.strip_prefix("'"))


def test_a_stored_value_the_reader_refuses_raises_as_from_the_file():
    texts = pl.DataFrame({"episode_id": ["E1"], "patient_id": ["19121212-1212"],
                          "municipality": ["2080"], "care_type": ["somatic"],
                          "admitted_at": ["2020-13-01T08:00:00"]})  # fmt: skip
    with pytest.raises(EpisodeFileError, match="admitted_at"):
        read_episode_texts(texts)
