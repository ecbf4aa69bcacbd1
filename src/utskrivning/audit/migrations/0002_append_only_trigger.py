"""On PostgreSQL the database itself refuses UPDATE and DELETE of audit entries (`triggers`)."""

from django.db import migrations

from utskrivning.audit.triggers import on_postgresql

CREATE = """
CREATE FUNCTION audit_auditentry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only: % refused', TG_OP;
END
$$;
CREATE TRIGGER audit_auditentry_append_only
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_auditentry_refuse_change();
"""

DROP = """
DROP TRIGGER audit_auditentry_append_only ON audit_auditentry;
DROP FUNCTION audit_auditentry_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = (("audit", "0001_initial"),)

    operations = (migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP)),)
