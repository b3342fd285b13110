"""Background tasks of the case engine (Django tasks API; the ``django-tasks`` backport until
Django 6, where only this import changes to ``django.tasks``)."""

from __future__ import annotations

from django_tasks import task


@task()
def sweep_task() -> dict:
    """Run one warning/overdue/supervision sweep; the result is kept with the task result."""
    from .actions import sweep

    return sweep().as_dict()


@task()
def partitions_task() -> dict:
    """Keep the year partitions ahead (``anmin partitions --ahead 1``): enqueued every round, it creates
    a partition about once a year (and moves rows that landed in DEFAULT); otherwise it only looks."""
    from django.db import connection

    from .partitions import ensure

    if connection.vendor != "postgresql":
        return {"created": {}}
    return {"created": {p.state.table: p.create for p in ensure(ahead=1) if p.create}}
