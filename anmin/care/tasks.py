"""Background tasks of care (Django tasks API; ``django-tasks`` until Django 6)."""

from __future__ import annotations

from django_tasks import task


@task()
def care_sweep_task() -> dict:
    """One follow-up sweep (warnings for due-soon and overdue follow-ups); idempotent."""
    from .actions import sweep

    return sweep().as_dict()
