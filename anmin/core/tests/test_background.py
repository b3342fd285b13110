"""Supervised background work, in-process: task leases, readiness, the scheduler never wedging on a
lost run, loops riding out a lost database connection, ``anmin serve`` giving up on a crashing child."""

from __future__ import annotations

import sys
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from anmin.core import background
from anmin.core.management.commands import scheduler as scheduler_cmd
from anmin.core.models import Heartbeat

pytestmark = pytest.mark.django_db


def enqueue_sweep():
    from anmin.core.registry import periodic_tasks

    job = next(j for j in periodic_tasks if j.key == "core.idempotency_purge")
    return job, DBTaskResult.objects.get(pk=job.task.enqueue().id)


def running_under(result, worker_id: str, started=None):
    result.status = TaskResultStatus.RUNNING
    result.started_at = started or timezone.now()
    result.worker_ids = [worker_id]
    result.save()


def beat_as(name: str, kind: str, *, ago: float = 0, last_run_ago: float | None = None, info=None):
    now = timezone.now()
    Heartbeat.objects.update_or_create(name=name, defaults={
        "kind": kind, "pid": 1, "started_at": now - timedelta(seconds=ago + 60),
        "beat_at": now - timedelta(seconds=ago),
        "last_run_at": None if last_run_ago is None else now - timedelta(seconds=last_run_ago),
        "info": info or {}})


def test_a_task_of_a_worker_that_stopped_beating_goes_back_in_the_queue(settings):
    settings.ANMIN_HEARTBEAT_SECONDS = 5
    _job, alive_task = enqueue_sweep()
    _job, dead_task = enqueue_sweep()
    running_under(alive_task, "alive")
    running_under(dead_task, "dead")
    beat_as("worker:alive", "worker", ago=1)
    beat_as("worker:dead", "worker", ago=8)  # one beat (5 s) + grace (2 s) ago: gone
    assert background.requeue_lost() == 1
    alive_task.refresh_from_db()
    dead_task.refresh_from_db()
    assert alive_task.status == TaskResultStatus.RUNNING
    assert dead_task.status == TaskResultStatus.READY
    assert dead_task.started_at is None


def test_a_task_running_past_the_ceiling_goes_back_even_if_its_worker_beats(settings):
    settings.ANMIN_TASK_MAX_SECONDS = 60
    _job, task = enqueue_sweep()
    running_under(task, "busy", started=timezone.now() - timedelta(seconds=61))
    beat_as("worker:busy", "worker")
    assert background.requeue_lost() == 1


def test_the_scheduler_does_not_wedge_on_a_run_lost_with_its_worker():
    """The run is RUNNING forever under a killed worker: the next round puts it back in the queue
    (so a worker runs it) instead of skipping the job for ever; nothing piles up."""
    job, task = enqueue_sweep()
    running_under(task, "killed")
    assert scheduler_cmd.one_round([job]) == []  # re-queued, still pending: not enqueued twice
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    task.status = TaskResultStatus.SUCCESSFUL
    task.save()
    assert scheduler_cmd.one_round([job]) == [job.key]
    assert DBTaskResult.objects.filter(task_path=job.task.module_path).count() == 2


def test_a_loop_rides_out_a_lost_database_connection():
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("server closed the connection unexpectedly")
        return "done"

    waits = []
    with (mock.patch.object(background.Backoff, "wait", lambda self, stop=None: waits.append(self.next)),
          mock.patch.object(background, "drop_connections")):  # (the test's own connection stays)
        assert background.retrying(flaky, what="test") == "done"
    assert len(calls) == 3
    assert len(waits) == 2


def test_healthz_is_alive_without_login_and_readyz_names_what_is_missing(client, settings):
    settings.ANMIN_HEARTBEAT_SECONDS = 5
    assert client.get("/healthz").json() == {"status": "alive"}
    resp = client.get("/readyz")
    assert resp.status_code == 503
    checks = resp.json()["checks"]
    assert checks["database"]["ok"] is True
    assert checks["worker"] == {"ok": False, "detail": "never seen"}
    assert checks["scheduler"]["ok"] is False
    beat_as("worker:w1", "worker", ago=1)
    beat_as("scheduler", "scheduler", ago=1, last_run_ago=30, info={"interval": 300})
    assert client.get("/readyz").status_code == 200
    # One heartbeat (+ grace) without a beat: the worker is reported dead.
    beat_as("worker:w1", "worker", ago=7.5)
    resp = client.get("/readyz")
    assert resp.status_code == 503
    assert resp.json()["checks"]["worker"]["ok"] is False
    assert resp.json()["checks"]["scheduler"]["ok"] is True


def test_readyz_reports_a_scheduler_whose_rounds_stopped(client):
    beat_as("worker:w1", "worker")
    beat_as("scheduler", "scheduler", last_run_ago=700, info={"interval": 300})
    resp = client.get("/readyz")
    assert resp.status_code == 503
    assert resp.json()["checks"]["scheduler"]["ok"] is False


def test_serve_gives_up_and_exits_non_zero_when_a_child_keeps_dying(tmp_path):
    from anmin.core.management.commands.serve import Child, Command

    child = Child("worker", [sys.executable, "-c", "raise SystemExit(3)"], {"PATH": "/usr/bin:/bin"})
    child.start()
    child.backoff = 0.05
    with mock.patch("anmin.core.management.commands.serve.MAX_BACKOFF", 0.1):
        started = time.monotonic()
        code = Command().supervise([child], {"max_restarts": 2}, {"signal": None}, lambda: None)
    assert code == 1
    assert time.monotonic() - started < 10
    assert len(child.deaths) == 3
