"""A request's patients (`AuditEntry.patients`) stored without compression on PostgreSQL.

The references are HMACs in hex: random, so pglz finds nothing to gain and stores them as they
were, but only after trying the whole value, which for a region's follow-up (38 000 references,
2.5 MB) took 370 ms of every such request's audit insert; not trying took 50 ms. The size on
disk is the same.
"""

from django.db import migrations

from utskrivning.audit.triggers import on_postgresql

TABLE = "ALTER TABLE audit_auditentry ALTER COLUMN patients SET STORAGE"


class Migration(migrations.Migration):
    dependencies = (("audit", "0005_request_audit"),)

    operations = (
        migrations.RunPython(
            on_postgresql(f"{TABLE} EXTERNAL"), on_postgresql(f"{TABLE} EXTENDED")
        ),
    )
