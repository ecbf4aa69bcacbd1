"""The worker's pass costs nothing when there is nothing to do: no write (on SQLite a write
transaction locks the whole database) and a few queries however many episodes are open; an
episode is looked at again when its next deadline comes or an event changes it."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deviations.test_services import another
from episodes.conftest import ADMITTED
from utskrivning.episodes.models import Deviation
from utskrivning.service.commands import worker_pass

LATER = ADMITTED + timedelta(days=3)  # the admission notices' deadlines have passed
WRITES = ("INSERT", "UPDATE", "DELETE", "SAVEPOINT", "BEGIN")


def _pass(now):
    with time_machine.travel(now, tick=False), CaptureQueriesContext(connection) as queries:
        worker_pass()
    return [q["sql"] for q in queries]


def test_a_pass_with_nothing_to_do_writes_nothing_whatever_is_open(cast):
    for hour in range(12):
        cast.admit(at=ADMITTED + timedelta(hours=hour), personal_number=another(hour))
    first = _pass(LATER)
    assert any(sql.startswith("INSERT") for sql in first)
    assert Deviation.objects.filter(proposed=True).count() == 12
    idle = _pass(LATER + timedelta(minutes=1))
    assert not [sql for sql in idle if sql.upper().startswith(WRITES)], idle
    # The outbox, proposals and imports: 6; the notices (deadlines due today, a month's bases
    # to approve) and the webhooks due: 3 more (no SMTP server set: no e-mail query).
    assert len(idle) <= 9


def test_an_episode_is_looked_at_again_when_its_next_deadline_comes(cast):
    episode = cast.admit()
    cast.notify(episode, ADMITTED + timedelta(hours=1))
    _pass(ADMITTED + timedelta(hours=2))
    before = Deviation.objects.filter(episode=episode, proposed=True).count()
    episode.refresh_from_db()
    due = episode.deadlines_checked_until
    assert due is not None and due > ADMITTED + timedelta(hours=2)
    _pass(due + timedelta(days=30))
    assert Deviation.objects.filter(episode=episode, proposed=True).count() > before
