"""The demo episodes: every state, through the services, idempotent."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import Q

from utskrivning.domain.calendar import STOCKHOLM
from utskrivning.domain.process import Party
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


def test_the_demo_is_a_ward_s_morning_not_two_months_of_red(db):
    """Seeded relative to now: the patients on the wards came in the last days, some were
    declared ready this morning, most deadlines are kept and a few are missed."""
    seed_demo_organisations()
    seed_demo_episodes(count=72, now=NOW)
    on_ward = Episode.objects.filter(status="")
    assert on_ward.count() == 24
    assert not on_ward.filter(admitted_at__lt=NOW - timedelta(days=7)).exists()
    assert on_ward.filter(admitted_at__gte=NOW - timedelta(hours=20)).exists()  # last night's
    morning = datetime.combine(NOW.date(), time(0), tzinfo=STOCKHOLM)
    assert on_ward.filter(ready_at__gte=morning).exists()  # ready today
    for party in Party:
        late = on_ward.filter(**{f"{party}_due__lt": NOW}).count()
        assert late <= on_ward.count() // 4, party  # mostly kept
    missed = Q()
    for party in Party:
        missed |= Q(**{f"{party}_due__lt": NOW})
    assert on_ward.filter(missed).exists()  # a few missed
    # The region's history: closed stays over the last two months, for its invoices.
    closed = Episode.objects.exclude(status="")
    assert closed.count() == 48
    assert closed.filter(discharged_at__lt=NOW - timedelta(days=30)).exists()
    assert not Episode.objects.filter(discharged_at__gt=NOW).exists()
