"""Background tasks of the case engine (Django tasks API; the ``django-tasks`` backport until
Django 6, where only this import changes to ``django.tasks``)."""

from __future__ import annotations

from django_tasks import task


@task()
def sweep_task() -> dict:
    """Run one warning/overdue/supervision sweep; the result is kept with the task result."""
    from .actions import sweep

    return sweep().as_dict()
