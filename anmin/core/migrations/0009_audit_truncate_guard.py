# The append-only trigger of 0002 is per row: TRUNCATE fires no row trigger. A statement-level
# trigger refuses TRUNCATE of the audit log too (PostgreSQL only).

from django.db import migrations

TRUNCATE_GUARD_SQL = """
CREATE TRIGGER core_auditentry_no_truncate
    BEFORE TRUNCATE ON core_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION core_auditentry_append_only();
"""
DROP_TRUNCATE_GUARD_SQL = "DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry;"


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRUNCATE_GUARD_SQL, params=None)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRUNCATE_GUARD_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0008_heartbeats")]

    operations = [migrations.RunPython(install, remove)]
