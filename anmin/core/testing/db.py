"""Test-database adjustments (the root conftest applies them once per test database)."""

from __future__ import annotations

from django.db import connections

TRUNCATE_GUARD = "core_auditentry_no_truncate"


def allow_test_flush() -> None:
    """Transactional tests end with Django's flush, a TRUNCATE of every table, which the audit
    log's statement-level guard refuses (migration core 0008). In a TEST database only, the guard is
    switched off; ``test_audit`` switches it back on inside a savepoint to show it holds."""
    for conn in connections.all():
        if conn.vendor == "postgresql":
            with conn.cursor() as cursor:
                cursor.execute(f"ALTER TABLE core_auditentry DISABLE TRIGGER {TRUNCATE_GUARD}")
