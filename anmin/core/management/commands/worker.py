"""anmin worker: the background task worker (django-tasks-db's, supervised).

What it adds to ``db_worker``:

* a heartbeat every ``ANMIN_HEARTBEAT_SECONDS`` from a thread of its own (``Heartbeat`` "worker:<id>"),
  which ``/readyz`` reads and which leases the worker's running task to it;
* at start and every few heartbeats, tasks left RUNNING by a worker that stopped beating are put
  back in the queue (``background.requeue_lost``);
* with ``ANMIN_TASK_BROKER_URL`` set, it is an RQ worker on that Redis instead (core/taskqueue.py),
  with the same heartbeat;
* a database restart does not kill it: it drops its connections, waits with backoff (1 s … 30 s)
  and carries on; the task it was running when the database went away goes back in the queue.
"""

from __future__ import annotations

import logging
import time

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from anmin.core import background, taskqueue

log = logging.getLogger("anmin.worker")


class SupervisedWorker(Worker):
    current: str | None = None

    def run_task(self, db_task_result) -> None:
        self.current = str(db_task_result.pk)
        try:
            super().run_task(db_task_result)
        finally:
            self.current = None

    def one_round(self) -> bool:
        """Claim and run one task; False when the queue was empty."""
        from django.db import OperationalError

        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        task_result = None
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
            except OperationalError as exc:
                if not is_locked_database_exception(exc):
                    raise
                task_result = None
        if task_result is None:
            return False
        self.run_task(task_result)
        return True

    def give_back(self, task_id: str) -> None:
        from django_tasks import TaskResultStatus

        DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None)
        log.warning("worker.task_requeued id=%s reason=database_lost", task_id)

    def run(self) -> None:
        heart = background.HeartbeatThread(f"worker:{self.worker_id}", kind="worker",
                                           info=lambda: {"running": self.current})
        heart.start()
        log.info("worker.start id=%s", self.worker_id)
        backoff = background.Backoff()
        last_requeue = 0.0
        try:
            while self.running:
                lost_task = None
                try:
                    background.tidy_connections()
                    if time.monotonic() - last_requeue >= 3 * background.heartbeat_seconds():
                        background.requeue_lost()
                        last_requeue = time.monotonic()
                    ran = self.one_round()
                    backoff.reset()
                except background.DATABASE_DOWN as exc:
                    lost_task = self.current
                    self.current = None
                    background.drop_connections()
                    log.warning("worker.db_unavailable error=%s retry_in=%.0fs", type(exc).__name__, backoff.next)
                    backoff.wait()
                    if lost_task:
                        background.retrying(lambda t=lost_task: self.give_back(t), what="give back a task")
                    continue
                if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    return
                if self.running and not ran:
                    time.sleep(self.interval)
        finally:
            heart.finish()
            log.info("worker.stop id=%s", self.worker_id)


class Command(BaseCommand):
    help = "后台任务进程（断库自动重连、心跳、接管失联任务）"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="队列为空时的轮询间隔秒数")
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--worker-id", default=None)
        parser.add_argument("--burst", action="store_true", help="（Redis 队列）队列取空后退出")

    def handle(self, *args, **opts):
        if taskqueue.broker() == "rq":  # ANMIN_TASK_BROKER_URL: tasks come from Redis
            taskqueue.run_rq_worker(worker_id=opts["worker_id"] or get_random_string(32),
                                    max_tasks=opts["max_tasks"], burst=opts["burst"])
            return
        worker = SupervisedWorker(
            queue_names=["default"], interval=opts["interval"], batch=False, backend_name="default",
            startup_delay=False, max_tasks=opts["max_tasks"],
            worker_id=opts["worker_id"] or get_random_string(32), excluded_queue_names=[],
        )
        worker.configure_signals()
        worker.run()
