"""On PostgreSQL the database itself keeps the episodes' history (`audit.triggers`): no DELETE,
and an UPDATE only of what the model lets change after the fact, the outbox flag `processed`,
or a deleted membership's reference set to NULL (the column's declared SET_NULL)."""

from django.db import migrations

from utskrivning.audit.triggers import append_only

UPDATE_ALLOWED = """
to_jsonb(NEW) - 'processed' - 'membership_id' = to_jsonb(OLD) - 'processed' - 'membership_id'
AND (NEW.membership_id IS NULL OR NEW.membership_id = OLD.membership_id)
"""


class Migration(migrations.Migration):
    dependencies = (("episodes", "0002_import_job"),)

    operations = (
        append_only("episodes_episodeevent", rows="episode events", update_allowed=UPDATE_ALLOWED),
    )
