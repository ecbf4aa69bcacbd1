"""Two writers at once on PostgreSQL, each on its own connection: the loser of a race on the
episode's version gets a 409 naming `expected_version` (retries with one key: test_idempotency)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from episodes.test_api import token_for
from utskrivning.episodes import services
from utskrivning.episodes.models import Episode, EpisodeEvent

from .conftest import ADMITTED

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
]


def _both_read_before_either_writes(monkeypatch) -> None:
    """Each writer waits after reading the episode until the other has read it too, so the race
    is the real one: both hold the same version when they write."""
    barrier = threading.Barrier(2, timeout=10)
    real = services.episode_row_facts

    def facts_after_both_read(episode):
        barrier.wait()
        return real(episode)

    monkeypatch.setattr(services, "episode_row_facts", facts_after_both_read)


def _post_at_once(requests: list[tuple[str, dict, dict]]) -> list:
    responses: list = [None] * len(requests)

    def send(index: int, path: str, body: dict, headers: dict) -> None:
        try:
            responses[index] = Client().post(path, body, content_type="application/json", **headers)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=send, args=(i, *request)) for i, request in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return responses


def _headers(membership, key: str | None = None) -> dict:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_for(membership)}"}
    return headers | ({"HTTP_IDEMPOTENCY_KEY": key} if key else {})


@pytest.fixture
def episode(cast):
    episode = cast.admit()
    cast.notify(episode, ADMITTED.replace(hour=10))
    return Episode.objects.get(pk=episode.pk)


def test_two_users_changing_one_episode_at_once_one_wins_the_other_gets_409(
    cast, episode, monkeypatch
):
    _both_read_before_either_writes(monkeypatch)
    path = f"/api/episodes/{episode.pk}/events"
    # Both are messages: their time is the service's, none is given.
    responses = _post_at_once(
        [
            (
                path,
                {"type": "estimated_discharge_changed", "estimated_discharge": "2026-10-14",
                 "expected_version": episode.version},
                _headers(cast.nurse),
            ),
            (
                path,
                {"type": "ready_declared", "expected_version": episode.version},
                _headers(cast.physician),
            ),
        ]
    )  # fmt: skip
    assert sorted(r.status_code for r in responses) == [201, 409], [r.content for r in responses]
    loser = next(r for r in responses if r.status_code == 409).json()
    assert loser["field"] == "expected_version" and loser["detail"]
    winner = next(r for r in responses if r.status_code == 201).json()
    assert EpisodeEvent.objects.filter(episode=episode).latest("pk").pk == winner["id"]
    assert EpisodeEvent.objects.filter(episode=episode).count() == 3
    assert Episode.objects.get(pk=episode.pk).version == episode.version + 1
