"""Many rows into one table at once, for an import of a region's year (100 000 episodes).

Django's `bulk_create` builds a model object per row and prepares every value through its field
(a second of Python per 10 000 episodes, and the objects' memory); here each row is a tuple of
values already in the column's type, written by PostgreSQL's COPY (psycopg writes the rows in C)
or SQLite's `executemany`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from django.db import connection

Row = Sequence[Any]  # in `columns`' order: ids, text, aware datetimes, bools, JSON as text


def _sqlite_time(value: datetime | None) -> str | None:
    """As Django's SQLite backend stores an aware time: UTC, naive, `str`'s layout."""
    return None if value is None else str(value.astimezone(UTC).replace(tzinfo=None))


def insert_rows(
    table: str, columns: Sequence[str], rows: Iterable[Row], *, times: Collection[str] = ()
) -> None:
    """Insert `rows` into `table`'s `columns`; `times` names the columns holding datetimes."""
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    table = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        at = [i for i, column in enumerate(columns) if column in times]

        def adapted(row: Row) -> list[Any]:
            values = list(row)
            for i in at:
                values[i] = _sqlite_time(values[i])
            return values

        placeholders = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({placeholders})", (adapted(r) for r in rows)
        )
