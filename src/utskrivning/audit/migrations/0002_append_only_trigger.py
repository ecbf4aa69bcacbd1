"""On PostgreSQL the database itself refuses UPDATE and DELETE of audit entries (`triggers`)."""

from django.db import migrations

from utskrivning.audit.triggers import append_only


class Migration(migrations.Migration):
    dependencies = (("audit", "0001_initial"),)

    operations = (append_only("audit_auditentry", rows="audit entries"),)
