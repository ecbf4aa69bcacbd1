"""Deviations reported and proposed, and the outbox worker: each event processed once, in
batches, all or nothing, and on PostgreSQL two workers never take the same event."""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta

import pytest
from django.db import connection, transaction

from episodes.conftest import ADMITTED
from utskrivning.deviations import services
from utskrivning.deviations.services import (
    deviation_report,
    deviations_propose,
    outbox_drain,
    outbox_process_batch,
)
from utskrivning.domain.identity import valid_personal_number
from utskrivning.episodes.models import Deviation, EpisodeEvent
from utskrivning.service import commands

LATER = ADMITTED + timedelta(days=3)  # the admission notice's 24 hours have passed
H = timedelta(hours=1)


def another(n: int) -> str:
    """Another patient: one personnummer has one open stay at a time (docs/process.md)."""
    return valid_personal_number(date(1940, 1, 1), n)


def _unprocessed() -> int:
    return EpisodeEvent.objects.filter(processed=False).count()


def test_a_pass_flags_every_event_and_proposes_the_missed_deadlines_once(cast):
    episode = cast.admit()
    cast.admit(at=ADMITTED + timedelta(hours=1), personal_number=another(1))
    assert _unprocessed() == 2
    assert outbox_drain(now=LATER) == 2
    assert _unprocessed() == 0
    proposed = Deviation.objects.filter(episode=episode, proposed=True)
    assert proposed.filter(deadline_kind="admission_notice").count() == 1
    count = Deviation.objects.count()
    assert outbox_drain(now=LATER) == 0
    assert deviations_propose(now=LATER) == []
    assert Deviation.objects.count() == count


def test_batches_take_the_oldest_events_first(cast):
    for hour in range(5):
        cast.admit(at=ADMITTED + timedelta(hours=hour), personal_number=another(hour))
    first = list(EpisodeEvent.objects.order_by("pk").values_list("pk", flat=True))
    assert [outbox_process_batch(now=LATER, batch=2) for _ in range(4)] == [2, 2, 1, 0]
    assert set(EpisodeEvent.objects.filter(processed=True).values_list("pk", flat=True)) == set(
        first
    )


def test_a_crash_mid_batch_leaves_nothing_half_done_and_the_rerun_does_it_once(cast, monkeypatch):
    cast.admit()
    cast.admit(at=ADMITTED + timedelta(hours=1), personal_number=another(1))
    propose = services._propose_for

    def propose_then_crash(episodes, now):
        propose(episodes, now)  # the proposals are written, then the worker dies
        raise RuntimeError("worker killed")

    monkeypatch.setattr(services, "_propose_for", propose_then_crash)
    with pytest.raises(RuntimeError):
        outbox_process_batch(now=LATER)
    assert _unprocessed() == 2
    assert not Deviation.objects.exists()
    monkeypatch.setattr(services, "_propose_for", propose)
    assert outbox_drain(now=LATER) == 2
    assert Deviation.objects.filter(deadline_kind="admission_notice").count() == 2


def test_deviations_are_proposed_in_batches_with_the_same_result(cast):
    for hour in range(3):
        cast.admit(at=ADMITTED + timedelta(hours=hour), personal_number=another(hour))
    one_by_one = deviations_propose(now=LATER, batch=1)
    assert len({d.episode_id for d in one_by_one}) == 3
    assert deviations_propose(now=LATER) == []


def test_the_worker_command_runs_one_pass(cast, capsys):
    cast.admit()
    commands.worker(once=True)
    assert _unprocessed() == 0
    assert "1 event(s) processed" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_take_the_same_event():
    if not connection.features.has_select_for_update_skip_locked:
        pytest.skip("SQLite has one writer at a time; run with DATABASE_URL=postgres://…")
    from episodes.conftest import Cast

    cast = Cast()
    for hour in range(4):
        cast.admit(at=ADMITTED + timedelta(hours=hour), personal_number=another(hour))
    holding, release = threading.Event(), threading.Event()
    taken: list[int] = []

    def first_worker():
        try:
            with transaction.atomic():
                locked = (
                    EpisodeEvent.objects.filter(processed=False)
                    .order_by("pk")
                    .select_for_update(skip_locked=True)[:2]
                )
                taken.extend(e.pk for e in locked)
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=first_worker)
    thread.start()
    assert holding.wait(10)
    try:
        assert outbox_process_batch(now=LATER) == 2
        second = set(EpisodeEvent.objects.filter(processed=True).values_list("pk", flat=True))
        assert second.isdisjoint(taken)
    finally:
        release.set()
        thread.join()
    assert outbox_drain(now=LATER) == 2


def test_missed_deadlines_are_proposed_once(cast):
    episode = cast.admit()
    later = ADMITTED + timedelta(days=3)
    first = deviations_propose(now=later)
    assert first and all(d.category == "missed_deadline" and d.proposed for d in first)
    assert deviations_propose(now=later) == []
    assert Deviation.objects.filter(episode=episode).count() == len(first)


def test_a_reported_deviation_is_an_event_and_a_deviation(cast):
    episode = cast.admit()
    deviation = deviation_report(
        episode=episode,
        membership=cast.nurse,
        category="step_not_done",
        text="Ingen läkemedelslista",
        at=ADMITTED + H,
        recorded_at=ADMITTED + H,
        idempotency_key="dev-1",
    )
    again = deviation_report(
        episode=episode,
        membership=cast.nurse,
        category="step_not_done",
        text="Ingen läkemedelslista",
        at=ADMITTED + H,
        recorded_at=ADMITTED + H,
        idempotency_key="dev-1",
    )
    assert deviation.pk == again.pk
    assert deviation.event.type == "deviation_reported"


@pytest.mark.django_db(transaction=True)
def test_a_long_outbox_on_sqlite_lets_a_web_write_in_between_its_batches():
    """SQLite has one writer, and its busy handler only polls: a worker taking batch after
    batch at once kept the lock through 20 000 imported events, and the web's writes waited
    out their timeout as 500 "database is locked" (issue 15, SQLite that holds up)."""
    if connection.vendor != "sqlite":
        pytest.skip("the single writer's lock is SQLite's")
    from episodes.conftest import Cast

    cast = Cast()
    for hour in range(6):
        cast.admit(at=ADMITTED + timedelta(hours=hour), personal_number=another(hour))
    started, drained = threading.Event(), threading.Event()

    def heavy(ids: list[int], now: object) -> None:  # a batch's notices take their time
        started.set()
        time.sleep(0.4)

    def worker() -> None:
        try:
            outbox_drain(now=LATER, batch=1, handlers=(heavy,))
        finally:
            drained.set()
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert started.wait(10)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 1500")  # shorter than the whole drain
        with transaction.atomic():
            Deviation.objects.filter(pk=0).update(text="")  # BEGIN IMMEDIATE: the write lock
        assert not drained.is_set(), "the write went in between the batches, not after them"
    finally:
        thread.join(30)
    assert _unprocessed() == 0
