"""Faults: a write that fails half-way leaves nothing, and a rerun stores everything once."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection

from utskrivning.audit.models import AuditAction, AuditEntry
from utskrivning.domain.demo import generate_episodes
from utskrivning.episodes.models import Episode, EpisodeEvent, Message, Patient
from utskrivning.imports.services import import_episode_file

from .conftest import ADMITTED, demo_file_for

N = 12


@pytest.fixture
def episode_file(cast) -> bytes:
    return demo_file_for(cast, generate_episodes(N, 2020, seed=7, municipalities=["2080", "2081"]))


def _refuse_on_call(number: int, real):
    """A stand-in for `real` that makes the database refuse its `number`th call."""
    calls = 0

    def refusing(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == number:
            raise DatabaseError("the database refuses (test)")
        return real(*args, **kwargs)

    return refusing


def _nothing_imported() -> bool:
    return not (
        Episode.objects.exists()
        or EpisodeEvent.objects.exists()
        or Patient.objects.exists()
        or AuditEntry.objects.filter(action=AuditAction.IMPORT).exists()
    )


def _rerun_stores_everything_once(cast, episode_file: bytes) -> None:
    first = import_episode_file(data=episode_file, region=cast.region)
    assert (first.imported, first.already_stored) == (N, 0)
    events = EpisodeEvent.objects.count()
    again = import_episode_file(data=episode_file, region=cast.region)
    assert (again.imported, again.already_stored) == (0, N)
    assert (Episode.objects.count(), EpisodeEvent.objects.count()) == (N, events)


_TRIGGER = {
    "postgresql": [
        "CREATE FUNCTION refuse_late_rows() RETURNS trigger AS $$ BEGIN "
        "IF (SELECT count(*) FROM {table}) >= {rows} THEN RAISE EXCEPTION 'refused'; END IF; "
        "RETURN NEW; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER refuse_late_rows BEFORE INSERT ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION refuse_late_rows()",
    ],
    "sqlite": [
        "CREATE TRIGGER refuse_late_rows BEFORE INSERT ON {table} "
        "WHEN (SELECT count(*) FROM {table}) >= {rows} BEGIN SELECT RAISE(ABORT, 'refused'); END"
    ],
}
_DROP = {
    "postgresql": "DROP TRIGGER refuse_late_rows ON {table}",
    "sqlite": "DROP TRIGGER refuse_late_rows",
}


def test_an_import_the_database_refuses_half_way_leaves_nothing_and_a_rerun_stores_once(
    cast, episode_file
):
    """The events are written last (one a row), so by the refusal half the rows are in."""
    table = EpisodeEvent._meta.db_table
    with connection.cursor() as cursor:
        for statement in _TRIGGER[connection.vendor]:
            cursor.execute(statement.format(table=table, rows=N // 2))
    with pytest.raises(DatabaseError):
        import_episode_file(data=episode_file, region=cast.region)
    assert _nothing_imported()
    with connection.cursor() as cursor:
        cursor.execute(_DROP[connection.vendor].format(table=table))
    _rerun_stores_everything_once(cast, episode_file)


def test_a_message_write_refused_half_way_leaves_nothing_and_a_retry_stores_once(cast, monkeypatch):
    episode = cast.admit()
    version = Episode.objects.get(pk=episode.pk).version
    writes = AuditEntry.objects.filter(action=AuditAction.WRITE).count()
    # Two recipients: the second message's write is refused after the event and the first.
    monkeypatch.setattr(
        Message.objects, "bulk_create", _refuse_on_call(1, Message.objects.bulk_create)
    )
    with pytest.raises(DatabaseError):
        cast.notify(episode, ADMITTED.replace(hour=10), idempotency_key="notice-1")
    assert list(EpisodeEvent.objects.values_list("type", flat=True)) == ["admitted"]
    assert not Message.objects.exists()
    assert Episode.objects.get(pk=episode.pk).version == version
    assert AuditEntry.objects.filter(action=AuditAction.WRITE).count() == writes
    monkeypatch.undo()
    first = cast.notify(episode, ADMITTED.replace(hour=10), idempotency_key="notice-1")
    second = cast.notify(episode, ADMITTED.replace(hour=10), idempotency_key="notice-1")
    assert first.pk == second.pk
    assert EpisodeEvent.objects.filter(type="admission_notice_sent").count() == 1
    assert Message.objects.count() == 2
    assert Episode.objects.get(pk=episode.pk).version == version + 1
