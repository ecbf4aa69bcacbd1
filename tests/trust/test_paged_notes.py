"""The notes of an episode through the API are a list like any other (issue 14 class 13): a page
of `limit` (1–500, default 50), counted in `X-Total-Count`, the next page in `Link`; a page or
limit outside the bounds or in other digits is refused naming it. Unpaged, one party could make
every other party's answer as large as it liked (4 000 characters a note, without end)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from utskrivning.domain.process import Party
from utskrivning.episodes.notes import note_send

from .conftest import ADMITTED, auth, notified

__all__ = ["notified"]

NOW = ADMITTED + timedelta(hours=2)


@time_machine.travel(NOW, tick=False)
def test_the_notes_come_a_page_at_a_time(client, cast, notified):
    for n in range(60):
        note_send(
            episode=notified, membership=cast.nurse, text=f"{n}", parties={Party.MUNICIPALITY}
        )
    first = client.get(f"/api/episodes/{notified.pk}/notes", **auth(cast.officer_a))
    assert first.status_code == 200
    assert [n["text"] for n in first.json()] == [f"{n}" for n in range(50)]
    assert first["X-Total-Count"] == "60"
    assert 'page=2&limit=50>; rel="next"' in first["Link"]
    second = client.get(f"/api/episodes/{notified.pk}/notes?page=2", **auth(cast.officer_a))
    assert [n["text"] for n in second.json()] == [f"{n}" for n in range(50, 60)]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("query", "field"),
    [("limit=501", "limit"), ("limit=٥", "limit"), ("page=0", "page"), ("page=１", "page"),
     ("page=99999999999999999999", "page")],
)  # fmt: skip
def test_a_page_out_of_bounds_is_refused_naming_it(client, cast, notified, query, field):
    answer = client.get(f"/api/episodes/{notified.pk}/notes?{query}", **auth(cast.officer_a))
    assert (answer.status_code, answer.json()["field"]) == (422, field), answer.content
