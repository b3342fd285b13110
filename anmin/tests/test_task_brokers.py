"""The same background work on both queues (core/taskqueue.py): the database queue, the default, and
Redis (RQ) when ``ANMIN_TASK_BROKER_URL`` is set. Every test runs once per queue; the Redis one uses a
Redis database leased for this run (core.testing.redisdb). (Top layer: it runs the domains' sweeps.)"""

from __future__ import annotations

import pytest
from django_tasks import TaskResultStatus, task

from anmin.core import taskqueue
from anmin.core.management.commands import scheduler as scheduler_cmd
from anmin.core.registry import periodic_tasks
from anmin.core.testing import redisdb


@task()
def failing_task() -> None:
    raise ValueError("不应成功")


@pytest.fixture(params=["db", "rq"])
def broker(request, settings, db):
    """The queue under test; ``broker.work()`` runs what is queued, in this process and transaction."""
    if request.param == "db":
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        yield _DatabaseQueue()
        return
    reason = redisdb.unavailable()
    if reason:
        pytest.skip(reason)
    with redisdb.leased_database() as url:
        settings.RQ_QUEUES = {"default": {"URL": url, "DEFAULT_TIMEOUT": 600}}
        settings.TASKS = {"default": {"BACKEND": taskqueue.RQ_BACKEND, "QUEUES": ["default"]}}
        yield _RedisQueue()


class _DatabaseQueue:
    name = "db"

    def work(self) -> int:
        from django.utils.crypto import get_random_string

        from anmin.core.management.commands.worker import SupervisedWorker

        worker = SupervisedWorker(queue_names=["default"], interval=0, batch=True, backend_name="default",
                                  startup_delay=False, max_tasks=None, worker_id=get_random_string(32),
                                  excluded_queue_names=[])
        ran = 0
        while worker.one_round():
            ran += 1
        return ran


class _RedisQueue:
    name = "rq"

    def work(self) -> int:
        import django_rq
        from django_tasks_rq import Job
        from rq import SimpleWorker  # no fork: the task runs in this test's transaction

        class _Worker(SimpleWorker):
            def subscribe(self) -> None:
                """No command channel (stop/kill messages are not under test): its listener thread
                reads with a 60 s timeout, and closing it under a full run's load waited that out."""

        queue = django_rq.get_queue("default", job_class=Job)
        before = queue.count
        _Worker([queue], connection=queue.connection, job_class=Job).work(burst=True)
        return before - queue.count


def test_the_configured_queue_is_the_one_used(broker):
    assert taskqueue.broker() == broker.name


def test_the_sweep_runs_on_a_worker_and_its_result_is_kept(broker, world):
    from anmin.workflow.tasks import sweep_task

    result = sweep_task.enqueue()
    assert result.status == TaskResultStatus.READY
    assert broker.work() == 1
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert set(result.return_value) >= {"warned", "overdue", "supervisions"}


def test_a_failing_task_is_reported_failed_with_its_error(broker, db):
    result = failing_task.enqueue()
    broker.work()
    result.refresh()
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[-1].exception_class_path.endswith("ValueError")


def test_a_periodic_task_still_queued_is_not_queued_again_and_is_after_it_ran(broker, world):
    jobs = list(periodic_tasks)
    first = scheduler_cmd.one_round(jobs)
    assert set(first) == {j.key for j in jobs}
    assert scheduler_cmd.one_round(jobs) == []  # every run still pending: nothing piles up
    assert broker.work() == len(jobs)
    assert set(scheduler_cmd.one_round(jobs)) == {j.key for j in jobs}


@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_on_redis_share_the_queue_and_run_each_task_once(settings):
    """``anmin worker`` as RQ workers, two processes at once (as on two machines): every task runs
    once, in a process of its own, against the same database."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("worker processes need a database they can share with the test (the PostgreSQL pass)")
    reason = redisdb.unavailable()
    if reason:
        pytest.skip(reason)
    import os
    import subprocess
    import sys
    import time

    from anmin.core.tasks import purge_idempotency_keys_task

    db = connection.settings_dict
    database_url = (f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
                    f"{db['NAME']}")
    with redisdb.leased_database() as url:
        settings.RQ_QUEUES = {"default": {"URL": url, "DEFAULT_TIMEOUT": 600}}
        settings.TASKS = {"default": {"BACKEND": taskqueue.RQ_BACKEND, "QUEUES": ["default"]}}
        results = [purge_idempotency_keys_task.enqueue() for _ in range(6)]
        env = {**os.environ, "ANMIN_TASK_BROKER_URL": url, "DATABASE_URL": database_url}
        manage = str(settings.PROJECT_DIR / "manage.py")
        workers = [subprocess.Popen([sys.executable, manage, "worker", "--burst", "--worker-id", f"w{n}"],
                                    env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                   for n in (1, 2)]
        started, logs = time.monotonic(), []
        for w in workers:
            _out, err = w.communicate(timeout=240)
            assert w.returncode == 0, err[-2000:]
            logs.append(f"{time.monotonic() - started:.1f}s: {err[-1500:]}")
        # A burst worker stops as soon as the queue is empty: RQ's command channel, read 60 s at a time,
        # kept one of the two a minute longer (AnminRQWorker.subscribe).
        assert time.monotonic() - started < 30, "\n---\n".join(logs)
        for result in results:
            result.refresh()
            assert result.status == TaskResultStatus.SUCCESSFUL
            assert result.return_value == {"deleted": 0}
            assert len(result.worker_ids) == 1  # ran once
        assert {wid for r in results for wid in r.worker_ids} <= {"w1", "w2"}
