"""PostgreSQL row triggers that make a table history in the database itself, not only in the
application (`append_only.py`): whoever holds a connection cannot rewrite it with raw SQL.

Row triggers, so TRUNCATE (how the test runner empties tables, and which needs the table owner's
rights) still works. SQLite has no role separation to protect with it, so it is skipped there.
Used by migrations: a database keeps what one emitted when it ran, so a change of meaning needs
a new migration.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

Operation = Callable[[StateApps, BaseDatabaseSchemaEditor], None]


def on_postgresql(sql: str) -> Operation:
    def run(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # None: the '%' is PL/pgSQL's, not a parameter

    return run


def append_only(table: str, *, rows: str, update_allowed: str = "FALSE") -> migrations.RunPython:
    """Refuses DELETE, and UPDATE unless `update_allowed` (SQL over OLD and NEW) holds."""
    create = f"""
CREATE FUNCTION {table}_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND ({update_allowed}) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{rows} are append-only: % refused', TG_OP;
END
$$;
CREATE TRIGGER {table}_append_only
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_refuse_change();
"""
    drop = f"""
DROP TRIGGER {table}_append_only ON {table};
DROP FUNCTION {table}_refuse_change();
"""
    return migrations.RunPython(on_postgresql(create), on_postgresql(drop))
