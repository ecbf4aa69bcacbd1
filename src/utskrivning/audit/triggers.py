"""PostgreSQL row triggers that make a table history in the database itself, not only in the
application (`append_only.py`): whoever holds a connection cannot rewrite it with raw SQL.

Row triggers, so TRUNCATE (how the test runner empties tables, and which needs the table owner's
rights) still works. SQLite has no role separation to protect with it, so it is skipped there.
Used by migrations: change what they emit only in a new migration.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

Operation = Callable[[StateApps, BaseDatabaseSchemaEditor], None]


def on_postgresql(sql: str) -> Operation:
    def run(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # None: the '%' is PL/pgSQL's, not a parameter

    return run
