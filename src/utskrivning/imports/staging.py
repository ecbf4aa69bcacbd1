"""An import's planned rows, staged in a temporary table of the import's own connection.

The rows are checked and folded one by one outside any transaction (so progress is committed
as it goes) and wait in the database, not in the worker's memory: a 100 000-row file's facts
alone are over 100 MB of Python strings. The one transaction that stores them is then a few
set-based statements (`store_staged`), short whatever the file. On SQLite a temporary table is
a database of its own, so staging takes no lock the service's other writers wait for.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import DateTimeField, Model

from utskrivning.domain.process import EpisodeFacts
from utskrivning.episodes.models import Episode, EpisodeEvent, Patient
from utskrivning.episodes.services import _columns
from utskrivning.imports.rows import Row, insert_rows

TABLE = "utskrivning_import_staging"
# The columns an import writes (every other is null, a default of the database, or the id).
PROJECTION = tuple(_columns(EpisodeFacts()))
EPISODE_COLUMNS = (
    "external_id", "region_id", "ward_id", "home_municipality_id", "placing_municipality_id",
    "primary_care_id", "care_type", "admitted_at", "version", "created",
    *(Episode._meta.get_field(name).column for name in PROJECTION),
)  # fmt: skip
EVENT_COLUMNS = ("type", "at", "actor_id", "organisation_id", "payload", "created", "processed")
# A staged row: its line in the file, its patient, then the episode's and the event's columns.
COLUMNS = (
    "line", "personal_number", "home_id", *EPISODE_COLUMNS, *(f"event_{c}" for c in EVENT_COLUMNS)
)  # fmt: skip


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _fields(model: type[Model], columns: Iterable[str], prefix: str = "") -> dict[str, object]:
    by_column = {f.column: f for f in model._meta.concrete_fields}
    return {f"{prefix}{c}": by_column[c] for c in columns}


_FIELDS = _fields(Episode, EPISODE_COLUMNS) | _fields(EpisodeEvent, EVENT_COLUMNS, "event_")
TIMES = frozenset(c for c, f in _FIELDS.items() if isinstance(f, DateTimeField))


def stage_begin() -> None:
    """An empty staging table (a failed import's rows, on a reused connection, are dropped)."""
    types = {"line": "bigint", "personal_number": "varchar(12)", "home_id": "bigint"} | {
        column: field.db_type(connection)  # type: ignore[attr-defined]
        for column, field in _FIELDS.items()
    }
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_q(TABLE)}")
        definition = ", ".join(f"{_q(c)} {types[c]}" for c in COLUMNS)
        cursor.execute(f"CREATE TEMPORARY TABLE {_q(TABLE)} ({definition})")


def stage(rows: Iterable[Row]) -> None:
    insert_rows(TABLE, COLUMNS, rows, times=TIMES)


def stage_end() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_q(TABLE)}")


def store_staged(region_id: int) -> tuple[int, list[str]]:
    """In the caller's transaction: the staged episodes not stored meanwhile (by another import)
    with their patients (a new patient's home municipality from their first row) and their
    events; returns how many episodes, and their personnummer, one each."""
    staging, episodes = _q(TABLE), _q(Episode._meta.db_table)
    patients, events = _q(Patient._meta.db_table), _q(EpisodeEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE INDEX {_q(TABLE + '_patient')} ON {staging} (personal_number, line)"
        )
        cursor.execute(
            f"DELETE FROM {staging} WHERE external_id IN "
            f"(SELECT external_id FROM {episodes} WHERE region_id = %s)",
            [region_id],
        )
        cursor.execute(
            f"INSERT INTO {patients} (personal_number, name, address, home_municipality_id) "
            f"SELECT s.personal_number, '', '', s.home_id FROM {staging} s "
            f"WHERE s.line = (SELECT MIN(t.line) FROM {staging} t "
            f"WHERE t.personal_number = s.personal_number) "
            f"AND NOT EXISTS (SELECT 1 FROM {patients} p "
            f"WHERE p.personal_number = s.personal_number)"
        )
        columns = ", ".join(_q(c) for c in EPISODE_COLUMNS)
        staged = ", ".join(f"s.{_q(c)}" for c in EPISODE_COLUMNS)
        cursor.execute(
            f"INSERT INTO {episodes} ({columns}, patient_id) SELECT {staged}, p.id "
            f"FROM {staging} s JOIN {patients} p ON p.personal_number = s.personal_number"
        )
        stored = cursor.rowcount
        columns = ", ".join(_q(c) for c in EVENT_COLUMNS)
        staged = ", ".join(f"s.{_q('event_' + c)}" for c in EVENT_COLUMNS)
        cursor.execute(
            f"INSERT INTO {events} ({columns}, episode_id) SELECT {staged}, e.id "
            f"FROM {staging} s JOIN {episodes} e "
            f"ON e.region_id = %s AND e.external_id = s.external_id",
            [region_id],
        )
        cursor.execute(f"SELECT DISTINCT personal_number FROM {staging}")
        return stored, [number for (number,) in cursor.fetchall()]
