"""The demo episodes: every state, through the services, idempotent."""

from __future__ import annotations

from datetime import datetime

from utskrivning.domain.calendar import STOCKHOLM
from utskrivning.episodes.demo import TARGETS, seed_demo_episodes
from utskrivning.episodes.models import Episode, EpisodeEvent
from utskrivning.organisations.demo import seed_demo_organisations

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=STOCKHOLM)


def test_demo_episodes_cover_every_state_and_run_once(db):
    seed_demo_organisations()
    assert seed_demo_episodes(count=27, now=NOW) == 27
    assert set(Episode.objects.values_list("state", flat=True)) == set(TARGETS)
    events = EpisodeEvent.objects.count()
    assert seed_demo_episodes(count=27, now=NOW) == 0
    assert EpisodeEvent.objects.count() == events
