"""anmin scheduler: every ANMIN_SWEEP_INTERVAL seconds (default 300), enqueue each periodic task the
apps registered in ``core.registry.periodic_tasks`` (the case engine's warning/督办 sweep, the
follow-up sweep of the people registers …).

``anmin serve`` starts it beside the task worker (``db_worker``), which runs what it enqueues. A task
still waiting or running is not enqueued twice. Stops cleanly on SIGTERM or Ctrl+C.
"""

from __future__ import annotations

import logging
import os
import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection

log = logging.getLogger("anmin.workflow.scheduler")

MIN_INTERVAL = 10


class Command(BaseCommand):
    help = "定时把预警/督办巡检任务放入后台任务队列"

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=int, default=int(os.environ.get("ANMIN_SWEEP_INTERVAL", "300")),
            help="间隔秒数（默认取环境变量 ANMIN_SWEEP_INTERVAL，否则 300）",
        )
        parser.add_argument("--max-runs", type=int, default=0, help="最多入队次数后退出（0 表示一直运行）")

    def handle(self, *args, **opts):
        from django_tasks import TaskResultStatus
        from django_tasks.exceptions import TaskResultDoesNotExist

        from anmin.core.registry import periodic_tasks

        interval = opts["interval"]
        if interval < MIN_INTERVAL:
            raise CommandError(f"--interval 不能小于 {MIN_INTERVAL} 秒")
        stop = threading.Event()

        def _stop(signum, frame):
            log.info("workflow.scheduler.stop signal=%s", signum)
            stop.set()

        previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        jobs = list(periodic_tasks)
        self.stdout.write(f"定时任务（{'、'.join(j.label or j.key for j in jobs)}）：每 {interval} 秒入队一次")
        runs = 0
        last_ids: dict[str, str] = {}

        def tidy_connections():
            # A long-running process drops stale connections between rounds (never inside a
            # transaction, e.g. when a test calls the command).
            if not connection.in_atomic_block:
                close_old_connections()

        try:
            while not stop.is_set():
                tidy_connections()
                for job in jobs:
                    last_id = last_ids.get(job.key)
                    busy = False
                    if last_id is not None:
                        try:
                            status = job.task.get_result(last_id).status
                            busy = status in (TaskResultStatus.READY, TaskResultStatus.RUNNING)
                        except TaskResultDoesNotExist:
                            busy = False
                    if busy:
                        log.info("workflow.scheduler.skip task=%s reason=previous_run_pending id=%s", job.key, last_id)
                        continue
                    last_ids[job.key] = job.task.enqueue().id
                    log.info("workflow.scheduler.enqueued task=%s id=%s", job.key, last_ids[job.key])
                runs += 1
                if opts["max_runs"] and runs >= opts["max_runs"]:
                    break
                stop.wait(interval)
        finally:
            tidy_connections()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write(f"定时调度已停止（共 {runs} 轮）")
