"""Background tasks of the foundation (Django tasks API; the ``django-tasks`` backport)."""

from __future__ import annotations

from django_tasks import task


@task()
def purge_idempotency_keys_task() -> dict:
    """Forget idempotency keys past their lifetime (a request no longer needs to see them)."""
    from .idempotency import purge_expired

    return {"deleted": purge_expired()}


@task()
def deliver_notices_task() -> dict:
    """Push the 站内消息 not pushed yet through the configured senders (outside the quiet hours)."""
    from .notices import deliver

    return {"sent": deliver()}


@task()
def audit_anchor_task() -> dict:
    """Once a day, copy the audit chain's head outside the database (ANMIN_AUDIT_ANCHOR_FILE and/or
    ANMIN_AUDIT_ANCHOR_COMMAND); the scheduler enqueues it every round, it writes once a day."""
    from .audit_anchors import anchor_due, write_anchor

    if not anchor_due():
        return {"written": None}
    return {"written": write_anchor()}
