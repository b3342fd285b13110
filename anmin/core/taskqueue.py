"""Which queue carries the background tasks, and what the scheduler and the worker need of it.

* **The database** (django-tasks-db) is the default: nothing to run beside PostgreSQL or SQLite.
* **Redis** (django-tasks-rq, RQ) when ``ANMIN_TASK_BROKER_URL`` is set (``redis://host:6379/1``):
  N workers on N machines take tasks from the one queue; ``anmin worker`` then runs an RQ worker
  (a fresh process per task) with the same heartbeat for ``/readyz``.

Whatever the queue, the tasks are the same functions (``@task()`` of the Django tasks API) and the
scheduler's rounds are claimed in the database (``claim_round``): several schedulers on several
machines enqueue the periodic tasks once per interval, not once each.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta

from django.conf import settings
from django.db import connections
from django.utils import timezone

log = logging.getLogger("anmin.tasks")

RQ_BACKEND = "django_tasks_rq.RQBackend"
ROUND_SLOT = "round:periodic"  # the Heartbeat row whose beat_at is when the next round is due


def broker() -> str:
    """``"rq"`` when the default task backend is Redis (RQ), else ``"db"``."""
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    return "rq" if backend == RQ_BACKEND else "db"


# ---- the scheduler ---------------------------------------------------------------------------


def claim_round(interval: float, now=None) -> bool:
    """Whether this scheduler runs the round now: the first to ask once the slot is due moves it one
    interval on, in one UPDATE (a compare-and-set on a database row), and the others find it taken.
    A scheduler that stops claiming (killed, its machine gone) is replaced by the next one that asks
    after its slot fell due."""
    from django.db.models import DateTimeField, Value
    from django.db.models.functions import Now

    from .models import Heartbeat

    # The database's clock, not each machine's: two schedulers whose clocks differ still agree.
    current = Now() if now is None else Value(now, output_field=DateTimeField())
    Heartbeat.objects.get_or_create(name=ROUND_SLOT, defaults={
        "kind": "round", "started_at": now or timezone.now(), "beat_at": now or timezone.now() - timedelta(
            seconds=1), "info": {"interval": interval}})
    # The winner sleeps one interval after its round, so it finds the slot due again; anyone asking
    # earlier finds it taken.
    won = Heartbeat.objects.filter(name=ROUND_SLOT, beat_at__lte=current).update(
        beat_at=current + timedelta(seconds=interval), last_run_at=current, pid=os.getpid(),
        host=socket.gethostname()[:100], info={"interval": interval})
    return bool(won)


def pending(task) -> bool:
    """Whether a run of ``task`` is still waiting or running in the queue (asked of the queue)."""
    if broker() == "rq":
        return _rq_pending(task)
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=task.module_path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]).exists()


def _rq_pending(task) -> bool:
    import django_rq
    from django_tasks_rq import Job
    from rq.registry import StartedJobRegistry

    queue = django_rq.get_queue(task.queue_name, job_class=Job)
    ids = list(queue.get_job_ids()) + list(StartedJobRegistry(queue=queue).get_job_ids())
    jobs = Job.fetch_many(ids, connection=queue.connection) if ids else []
    return any(job is not None and job.func_name == task.module_path for job in jobs)


def requeue_lost() -> int:
    """Put back the tasks of workers that stopped beating (the database queue; RQ keeps its own
    registry of jobs whose worker died)."""
    if broker() == "rq":
        return 0
    from . import background

    return background.requeue_lost()


# ---- the RQ worker ---------------------------------------------------------------------------


def rq_worker_class():
    from rq import Worker

    class AnminRQWorker(Worker):
        """Closes Django's connections before forking a task's process (a connection must never be
        shared by two processes); the task opens its own."""

        def fork_work_horse(self, job, queue):
            connections.close_all()
            return super().fork_work_horse(job, queue)

        def subscribe(self):
            """RQ's own, with the command channel read for at most a second at a time instead of 60.

            At the end of a run (``--burst``, a stop) RQ unsubscribes, waits a second for the channel's
            thread and then closes the channel, which waits for the thread's read to end: with RQ's
            60 s read one worker in two took a minute to stop (rq/rq#1613, #2172). A stop of
            ``anmin worker`` ends in about a second now; the cost is one idle read a second."""
            self.log.info("Worker %s: subscribing to channel %s", self.name, self.pubsub_channel_name)
            self.pubsub = self.connection.pubsub()
            self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
            self.pubsub_thread = self.pubsub.run_in_thread(
                sleep_time=1, daemon=True, exception_handler=self._pubsub_exception_handler)

    return AnminRQWorker


def run_rq_worker(*, worker_id: str, max_tasks: int | None, burst: bool = False) -> None:
    import django_rq
    from django_tasks_rq import Job

    from . import background

    queue = django_rq.get_queue("default", job_class=Job)
    worker = rq_worker_class()([queue], connection=queue.connection, job_class=Job, name=worker_id)
    heart = background.HeartbeatThread(f"worker:{worker_id}", kind="worker",
                                       info=lambda: {"broker": "rq", "queue": queue.name})
    heart.start()
    log.info("worker.start id=%s broker=rq", worker_id)
    try:
        worker.work(burst=burst, max_jobs=max_tasks, with_scheduler=False, logging_level="INFO")
    finally:
        heart.finish()
        log.info("worker.stop id=%s", worker_id)
