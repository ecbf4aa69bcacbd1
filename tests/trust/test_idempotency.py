"""Issue 14 class 3: an `Idempotency-Key` belongs to the caller and the operation; a different body
under it is refused; keys of any length count whole; concurrent retries write once (PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection, connections
from django.test import Client

from utskrivning.api.models import IdempotentAnswer
from utskrivning.domain.identity import valid_personal_number
from utskrivning.episodes.models import Deviation, EpisodeEvent

from .conftest import ADMITTED, auth

ANOTHER_PATIENT = valid_personal_number(date(1950, 1, 1), 123)


def _deviate(client, episode, headers, key: str, text: str):
    return client.post(
        f"/api/episodes/{episode.pk}/deviations",
        {"category": "other", "text": text},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
        **headers,
    )


def test_another_callers_key_is_their_own_request(client, cast, notified):
    """Before: the second ward got the first ward's stored deviation, and its write was lost."""
    other = cast.admit(
        ward=cast.other_ward, membership=cast.other_nurse, personal_number=ANOTHER_PATIENT
    )
    first = _deviate(client, notified, auth(cast.nurse), "shared", "Avdelning 12:s text")
    second = _deviate(client, other, auth(cast.other_nurse), "shared", "Avdelning 14:s text")
    assert (first.status_code, second.status_code) == (201, 201), second.content
    assert second.json()["text"] == "Avdelning 14:s text"
    assert "Avdelning 12" not in second.content.decode()
    assert Deviation.objects.count() == 2


def test_a_retry_gets_the_first_answer_and_writes_once(client, cast, notified):
    headers = auth(cast.nurse)
    first = _deviate(client, notified, headers, "retry-1", "Ingen läkemedelslista")
    again = _deviate(client, notified, headers, "retry-1", "Ingen läkemedelslista")
    assert again.status_code == 201 and again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert Deviation.objects.count() == 1


def test_the_same_key_with_another_body_is_refused_and_writes_nothing(client, cast, notified):
    headers = auth(cast.nurse)
    _deviate(client, notified, headers, "k", "Första")
    other = _deviate(client, notified, headers, "k", "Andra")
    assert other.status_code == 422
    assert other.json()["field"] == "Idempotency-Key"
    assert list(Deviation.objects.values_list("text", flat=True)) == ["Första"]


def test_the_same_key_on_another_operation_is_another_request(client, cast, notified):
    headers = auth(cast.nurse)
    _deviate(client, notified, headers, "k", "En")
    other = cast.admit(personal_number=ANOTHER_PATIENT)
    assert _deviate(client, other, headers, "k", "En").status_code == 201
    assert Deviation.objects.count() == 2


def test_keys_of_any_length_count_whole_and_are_not_stored(client, cast, notified):
    """Before: keys were cut at 200 characters, so two keys sharing those were one."""
    headers = auth(cast.nurse)
    stem = "x" * 5000
    assert _deviate(client, notified, headers, stem + "1", "En").status_code == 201
    assert _deviate(client, notified, headers, stem + "2", "Två").status_code == 201
    assert Deviation.objects.count() == 2
    stored = IdempotentAnswer.objects.values_list("scope_hash", "body_hash")
    assert all(len(a) == len(b) == 64 for a, b in stored)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
def test_twenty_concurrent_retries_write_once_and_all_get_the_same_answer(cast):
    """Before: 9 of 20 answered 500 from a transaction broken by the unique key's IntegrityError."""
    episode = cast.admit()
    cast.notify(episode, ADMITTED.replace(hour=10))
    headers = auth(cast.nurse) | {"HTTP_IDEMPOTENCY_KEY": "once"}
    body = {"category": "other", "text": "Samma avvikelse"}
    start = threading.Barrier(20, timeout=30)
    answers: list = [None] * 20

    def send(index: int) -> None:
        try:
            start.wait()
            answers[index] = Client().post(
                f"/api/episodes/{episode.pk}/deviations",
                body,
                content_type="application/json",
                **headers,
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert [a.status_code for a in answers] == [201] * 20, [a.content for a in answers]
    assert len({a.content for a in answers}) == 1
    assert Deviation.objects.count() == 1
    assert EpisodeEvent.objects.filter(type="deviation_reported").count() == 1
