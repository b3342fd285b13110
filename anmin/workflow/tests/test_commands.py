"""`anmin sweep`, the periodic task and its scheduler."""

from __future__ import annotations

import io

from django.core.management import call_command

from anmin.workflow.models import Supervision

from .conftest import assigned


def test_sweep_command_reports_and_is_idempotent(world):
    case = assigned(world)
    out = io.StringIO()
    call_command("sweep", now="2020-12-05T08:00+08:00", verbose_list=True, stdout=out)
    text = out.getvalue()
    assert "逾期 1 件" in text
    assert "自动督办 1 件" in text
    assert case.number in text
    again = io.StringIO()
    call_command("sweep", now="2020-12-05T08:00+08:00", stdout=again)
    assert "逾期 0 件" in again.getvalue()
    assert Supervision.objects.count() == 1
    # The audit log names what the sweep did and to which case (its entry had no record number).
    from anmin.core.models import AuditEntry

    entry = AuditEntry.objects.filter(after__step="sweep:overdue").get()
    assert (entry.action_label, entry.object_label) == ("修改：逾期标记", case.number)


def test_the_sweep_task_runs_the_sweep(world):
    from anmin.workflow.tasks import sweep_task

    result = sweep_task.call()
    assert set(result) >= {"warned", "overdue", "supervisions"}


def test_the_scheduler_enqueues_the_sweep_on_the_task_queue(world):
    from django_tasks_db.models import DBTaskResult

    out = io.StringIO()
    # No heartbeat thread: inside the test's transaction the main thread's beat holds the heartbeat row,
    # and a thread's beat waiting for it outlived the test (its join timed out), then met pytest's
    # closed database in a later test. The heartbeat is tested with real processes (test_supervision).
    call_command("scheduler", interval=10, max_runs=1, no_heartbeat=True, stdout=out)
    queued = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert "anmin.workflow.tasks.sweep_task" in queued
    assert "anmin.care.tasks.care_sweep_task" in queued
    assert "共 1 轮" in out.getvalue()
