"""anmin scheduler: every ANMIN_SWEEP_INTERVAL seconds (default 300), enqueue each periodic task the
apps registered in ``core.registry.periodic_tasks`` (the case engine's warning/督办 sweep, the
follow-up sweep of the people registers, the purge of expired idempotency keys …).

``anmin serve`` starts it beside the task worker (``anmin worker``), which runs what it enqueues.

* A task still waiting or running in the queue is not enqueued twice — asked of the queue itself,
  not remembered in memory, so a restarted scheduler does not pile up runs.
* A run lost with its worker never wedges the job: each round first puts back in the queue the tasks
  whose worker stopped beating (``background.requeue_lost``).
* Several schedulers (one per app server) share the rounds: each round is claimed in the database
  (``taskqueue.claim_round``), so the periodic tasks are enqueued once per interval, whichever
  scheduler claims it; when that one stops, another takes the next round.
* A database restart only delays a round (reconnect with backoff); the scheduler beats
  (``Heartbeat`` "scheduler", with the time of its last round) for ``/readyz``.

Stops cleanly on SIGTERM or Ctrl+C.
"""

from __future__ import annotations

import logging
import os
import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from anmin.core import background, taskqueue

log = logging.getLogger("anmin.scheduler")

MIN_INTERVAL = 1


def pending(job) -> bool:
    """Whether a run of ``job`` is still waiting or running in the queue (the database's or Redis's)."""
    return taskqueue.pending(job.task)


def one_round(jobs) -> list[str]:
    """Re-queue lost runs, then enqueue every job that has no run pending; returns their keys."""
    taskqueue.requeue_lost()
    enqueued = []
    for job in jobs:
        if pending(job):
            log.info("scheduler.skip task=%s reason=previous_run_pending", job.key)
            continue
        result = job.task.enqueue()
        enqueued.append(job.key)
        log.info("scheduler.enqueued task=%s id=%s", job.key, result.id)
    return enqueued


class Command(BaseCommand):
    help = "定时把预警/督办巡检等周期任务放入后台任务队列"

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=float(os.environ.get("ANMIN_SWEEP_INTERVAL", "300")),
            help="间隔秒数（默认取环境变量 ANMIN_SWEEP_INTERVAL，否则 300）",
        )
        parser.add_argument("--max-runs", type=int, default=0, help="最多入队次数后退出（0 表示一直运行）")
        parser.add_argument("--no-heartbeat", action="store_true", help="不写心跳（测试中直接调用时）")

    def handle(self, *args, **opts):
        from anmin.core.registry import periodic_tasks

        interval = opts["interval"]
        if interval < MIN_INTERVAL:
            raise CommandError(f"--interval 不能小于 {MIN_INTERVAL} 秒")
        stop = threading.Event()

        def _stop(signum, frame):
            log.info("scheduler.stop signal=%s", signum)
            stop.set()

        in_main_thread = threading.current_thread() is threading.main_thread()
        previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)} if in_main_thread else {}
        jobs = list(periodic_tasks)
        self.stdout.write(f"定时任务（{'、'.join(j.label or j.key for j in jobs)}）：每 {interval:g} 秒入队一次")
        heart = None
        if not opts["no_heartbeat"]:
            heart = background.HeartbeatThread("scheduler", kind="scheduler", info=lambda: {"interval": interval})
            heart.start()
        runs = 0
        try:
            while not stop.is_set():
                background.tidy_connections()
                claimed = background.retrying(lambda: taskqueue.claim_round(interval), what="scheduler claim",
                                              stop=stop)
                if claimed is None and stop.is_set():
                    break
                if not claimed:
                    log.info("scheduler.skip reason=round_claimed_elsewhere")
                    stop.wait(interval)
                    continue
                done = background.retrying(lambda: one_round(jobs), what="scheduler round", stop=stop)
                if done is None and stop.is_set():
                    break
                runs += 1
                if heart is not None:
                    heart.last_run_at = timezone.now()
                    background.retrying(heart.beat_once, what="scheduler heartbeat", stop=stop)
                if opts["max_runs"] and runs >= opts["max_runs"]:
                    break
                stop.wait(interval)
        finally:
            if heart is not None:
                heart.finish()
            background.tidy_connections()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write(f"定时调度已停止（共 {runs} 轮）")
