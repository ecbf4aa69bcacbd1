"""What one worklist request costs does not grow with the organisation's episodes: the API's
page, its counters and the screen each ask the database as many times for a ward, a
municipality and primary care whether they have three patients or six, each with notes unread,
on a page of them or all of them. (Time is the bench's: benchmarks/service.py.)"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from utskrivning.domain.identity import valid_personal_number
from utskrivning.domain.process import Party
from utskrivning.episodes import worklist
from utskrivning.episodes.notes import note_send

from .conftest import ADMITTED
from .test_api import auth

NOW = ADMITTED + timedelta(hours=3)


def _admit(cast, k):
    admitted = ADMITTED - timedelta(hours=k + 1)
    personal_number = valid_personal_number(date(1940, 3, 1), k + 1)
    episode = cast.admit(at=admitted, personal_number=personal_number)
    cast.notify(episode, admitted + timedelta(minutes=10))
    others = [Party.MUNICIPALITY, Party.PRIMARY_CARE]
    note_send(episode=episode, membership=cast.nurse, text="Hemtjänst?", parties=others)
    ward = [Party.INPATIENT_CARE]
    note_send(episode=episode, membership=cast.officer_a, text="Ja.", parties=ward)


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("who", ["nurse", "officer_a", "head"])
@pytest.mark.parametrize(
    "path",
    [
        "/api/episodes/worklist",
        "/api/episodes/worklist?limit=2",  # a full page: counted
        "/api/episodes/worklist?unread=1&sort=name",
        "/api/episodes/worklist/summary",
        "/",
        "/?limit=2&mine=1",
    ],
)
def test_a_worklist_request_asks_as_often_for_more_episodes(client, cast, who, path):
    membership = getattr(cast, who)
    headers = auth(membership) if path.startswith("/api") else {}
    client.force_login(membership.user)

    def queries() -> int:
        worklist._kept.clear()  # computed anew each time: the rows' cost counted too
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, **headers)
        assert response.status_code == 200, response.content
        return len(captured)

    for k in range(3):
        _admit(cast, k)
    queries()  # what a process reads once (its rulebooks) is not the list's cost
    few = queries()
    for k in range(3, 6):
        _admit(cast, k)
    assert queries() == few


def test_the_window_is_compiled_once_unless_it_depends_on_the_clock_or_unread_notes(client, cast):
    """Its SQL is kept per organisation, query and page (issue 15): the same poll again reuses
    it; a filter by the clock (`due`) or by the notes unread now is built each time."""
    _admit(cast, 0)
    headers = auth(cast.nurse)
    worklist._compiled.clear()
    for path in ["", "", "?page=1&limit=50", "?due=overdue", "?unread=1", "?mine=1"]:
        assert client.get(f"/api/episodes/worklist{path}", **headers).status_code == 200
    assert len(worklist._compiled) == 2  # the first (its page named or not) and mine=1
