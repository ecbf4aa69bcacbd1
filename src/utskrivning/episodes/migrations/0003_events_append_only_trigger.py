"""On PostgreSQL the database itself keeps the episodes' history (`audit.triggers`): no DELETE,
and an UPDATE only of what the model lets change after the fact, the outbox flag `processed`,
or a deleted membership's reference set to NULL (the column's declared SET_NULL)."""

from django.db import migrations

from utskrivning.audit.triggers import on_postgresql

CREATE = """
CREATE FUNCTION episodes_episodeevent_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND to_jsonb(NEW) - 'processed' - 'membership_id'
            = to_jsonb(OLD) - 'processed' - 'membership_id'
        AND (NEW.membership_id IS NULL OR NEW.membership_id = OLD.membership_id)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'episode events are append-only: % refused', TG_OP;
END
$$;
CREATE TRIGGER episodes_episodeevent_append_only
    BEFORE UPDATE OR DELETE ON episodes_episodeevent
    FOR EACH ROW EXECUTE FUNCTION episodes_episodeevent_refuse_change();
"""

DROP = """
DROP TRIGGER episodes_episodeevent_append_only ON episodes_episodeevent;
DROP FUNCTION episodes_episodeevent_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = (("episodes", "0002_import_job"),)

    operations = (migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP)),)
