"""The worklist cache: the same rows within the minute while nothing changes, a step seen at
once, and every read audited whether the rows were kept or computed."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from episodes.conftest import ADMITTED
from utskrivning.audit.services import entries_naming
from utskrivning.domain.identity import PersonalNumber
from utskrivning.episodes.worklist import current_worklist, presented_worklist

NOW = ADMITTED + timedelta(hours=3, seconds=10)


def _worklist(cast, now=NOW):
    with CaptureQueriesContext(connection) as queries:
        rows = current_worklist(organisation=cast.ward, now=now, actor=cast.nurse.user)
    return rows, len(queries)


def test_within_the_minute_the_rows_are_kept_and_cost_two_queries(cast):
    cast.notify(cast.admit(), ADMITTED + timedelta(hours=1))
    first, computed = _worklist(cast)
    again, kept = _worklist(cast, NOW + timedelta(seconds=40))
    assert again is first
    assert kept == 2 < computed  # the ids and versions, and the audit entries


def test_a_step_is_on_the_worklist_at_once(cast):
    episode = cast.admit()
    (before,), _ = _worklist(cast)
    cast.notify(episode, ADMITTED + timedelta(hours=1))
    (after,), _ = _worklist(cast)
    assert (before.state, after.state) == ("admitted", "notified")


def test_the_next_minute_is_computed_anew(cast):
    cast.admit()
    first, _ = _worklist(cast)
    later, _ = _worklist(cast, NOW + timedelta(minutes=1))
    assert later is not first


def test_every_read_is_audited_kept_or_not(cast):
    episode = cast.admit()
    _worklist(cast)
    _worklist(cast)
    patient = PersonalNumber(episode.patient.personal_number)
    reads = entries_naming(patient).filter(purpose="worklist")
    assert list(reads.values_list("user", flat=True)) == [cast.nurse.user.pk] * 2


_computations = itertools.count(1)


def _numbered(rows):
    """Each computation of a presentation gets the next number."""
    return next(_computations)


def test_what_a_caller_makes_of_the_rows_is_kept_with_them(cast):
    episode = cast.admit()
    made = [
        presented_worklist(organisation=cast.ward, now=NOW, actor=None, present=_numbered)
        for _ in range(3)
    ]
    cast.notify(episode, ADMITTED + timedelta(hours=1))
    made.append(presented_worklist(organisation=cast.ward, now=NOW, actor=None, present=_numbered))
    assert made[:3] == [made[0]] * 3 and made[3] == made[0] + 1
