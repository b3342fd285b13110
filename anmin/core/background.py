"""Supervised background work: heartbeats, task leases, riding out a database restart, readiness.

* The task worker (``anmin worker``) and the scheduler (``anmin scheduler``) write a ``Heartbeat``
  every ``ANMIN_HEARTBEAT_SECONDS`` (5) from a thread of their own, so a worker busy with a long task
  still beats. ``/readyz`` calls a worker or scheduler dead once its last beat is older than one
  heartbeat plus ``GRACE`` seconds.
* A task is leased to the worker that claimed it for as long as that worker beats: a task left
  RUNNING by a worker whose heartbeat stopped (killed, its machine gone), or running longer than
  ``ANMIN_TASK_MAX_SECONDS`` (3600), is put back in the queue (``requeue_lost``). The periodic tasks
  are idempotent (sweeps), so running one again is safe.
* Every loop survives a lost database connection: ``retrying(...)`` closes the connections and waits
  with exponential backoff (1 s … ``MAX_BACKOFF``) until the database answers again.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections, connections
from django.utils import timezone

log = logging.getLogger("anmin.background")

GRACE = 2.0  # seconds a heartbeat may be late (a slow write) before its process counts as dead
MAX_BACKOFF = 30.0

# Errors that mean "the database went away" (restart, network, terminated backend), not a bug.
DATABASE_DOWN = (OperationalError, InterfaceError)


def heartbeat_seconds() -> float:
    return float(getattr(settings, "ANMIN_HEARTBEAT_SECONDS", 5))


def task_max_seconds() -> float:
    return float(getattr(settings, "ANMIN_TASK_MAX_SECONDS", 3600))


def stale_after() -> timedelta:
    return timedelta(seconds=heartbeat_seconds() + GRACE)


def drop_connections() -> None:
    """Forget every connection of this thread (after the database went away)."""
    for conn in connections.all(initialized_only=True):
        with contextlib.suppress(DatabaseError):
            conn.close()
        conn.connection = None  # a dead socket that close() could not close


class Backoff:
    """1, 2, 4 … ``MAX_BACKOFF`` seconds; ``reset()`` after a success."""

    def __init__(self, first: float = 1.0, ceiling: float = MAX_BACKOFF):
        self.first, self.ceiling, self.next = first, ceiling, first

    def wait(self, stop: threading.Event | None = None) -> float:
        delay = self.next
        self.next = min(self.next * 2, self.ceiling)
        if stop is not None:
            stop.wait(delay)
        else:
            time.sleep(delay)
        return delay

    def reset(self) -> None:
        self.next = self.first


def retrying(fn: Callable[[], Any], *, what: str, stop: threading.Event | None = None,
             backoff: Backoff | None = None) -> Any:
    """Call ``fn`` until it gets through to the database (or ``stop`` is set: returns None)."""
    backoff = backoff or Backoff()
    while stop is None or not stop.is_set():
        try:
            result = fn()
        except DATABASE_DOWN as exc:
            drop_connections()
            delay = backoff.next
            log.warning("background.db_unavailable what=%s error=%s retry_in=%.0fs", what,
                        type(exc).__name__, delay)
            backoff.wait(stop)
            continue
        backoff.reset()
        return result
    return None


# ---- heartbeats ------------------------------------------------------------------------------


def beat(name: str, *, kind: str, started_at, last_run_at=None, info: dict | None = None) -> None:
    from .models import Heartbeat

    now = timezone.now()
    defaults: dict[str, Any] = {"kind": kind, "pid": os.getpid(), "host": socket.gethostname()[:100],
                                "started_at": started_at, "beat_at": now}
    if last_run_at is not None:
        defaults["last_run_at"] = last_run_at
    if info is not None:
        defaults["info"] = info
    Heartbeat.objects.update_or_create(name=name, defaults=defaults)


def forget(name: str) -> None:
    from .models import Heartbeat

    Heartbeat.objects.filter(name=name).delete()


class HeartbeatThread(threading.Thread):
    """Beats every ``heartbeat_seconds()`` with a connection of its own, whatever the main thread
    is doing; a database outage only delays the beats."""

    def __init__(self, name: str, *, kind: str, info: Callable[[], dict] | None = None):
        super().__init__(name=f"heartbeat-{name}", daemon=True)
        self.beat_name, self.kind, self.info = name, kind, info
        self.started_at = timezone.now()
        self.stop = threading.Event()
        self.last_run_at = None

    def beat_once(self) -> None:
        beat(self.beat_name, kind=self.kind, started_at=self.started_at, last_run_at=self.last_run_at,
             info=self.info() if self.info else None)

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                retrying(self.beat_once, what=f"heartbeat {self.beat_name}", stop=self.stop)
                self.stop.wait(heartbeat_seconds())
        finally:
            drop_connections()

    def finish(self) -> None:
        """Stop beating and remove the heartbeat (a clean exit is not a dead process)."""
        self.stop.set()
        self.join(timeout=heartbeat_seconds() + 5)
        with contextlib.suppress(DatabaseError):
            forget(self.beat_name)


# ---- task leases -----------------------------------------------------------------------------


def requeue_lost(now=None) -> int:
    """Put back in the queue every RUNNING task whose worker stopped beating, or that has run
    longer than ``task_max_seconds()``. Returns how many."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from .models import Heartbeat

    now = now or timezone.now()
    alive = set(Heartbeat.objects.filter(kind="worker", beat_at__gt=now - stale_after())
                .values_list("name", flat=True))
    requeued = 0
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only(
            "id", "worker_ids", "started_at"):
        owner = f"worker:{result.worker_ids[-1]}" if result.worker_ids else None
        too_long = result.started_at is not None and now - result.started_at > timedelta(seconds=task_max_seconds())
        if owner in alive and not too_long:
            continue
        # Only if it is still RUNNING under the same claim (a worker may just have finished it).
        changed = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING,
                                              started_at=result.started_at).update(
            status=TaskResultStatus.READY, started_at=None)
        if changed:
            requeued += 1
            log.warning("background.task_requeued id=%s owner=%s reason=%s", result.pk, owner,
                        "ran_too_long" if too_long else "worker_gone")
    return requeued


# ---- readiness -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def readiness(now=None) -> list[Check]:
    """The database answers; a task worker beats; the scheduler beats and ran a round lately."""
    from .models import Heartbeat

    now = now or timezone.now()
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        beats = list(Heartbeat.objects.all())
    except DatabaseError as exc:
        drop_connections()
        return [Check("database", False, type(exc).__name__), Check("worker", False, "unknown"),
                Check("scheduler", False, "unknown")]
    checks = [Check("database", True, "ok")]
    limit = stale_after()
    workers = [b for b in beats if b.kind == "worker"]
    live = [b for b in workers if now - b.beat_at <= limit]
    if live:
        checks.append(Check("worker", True, f"{len(live)} alive"))
    else:
        last = max((b.beat_at for b in workers), default=None)
        checks.append(Check("worker", False, f"no heartbeat since {last.isoformat()}" if last else "never seen"))
    scheduler = next((b for b in beats if b.kind == "scheduler"), None)
    if scheduler is None:
        checks.append(Check("scheduler", False, "never seen"))
    elif now - scheduler.beat_at > limit:
        checks.append(Check("scheduler", False, f"no heartbeat since {scheduler.beat_at.isoformat()}"))
    else:
        interval = float((scheduler.info or {}).get("interval", 300))
        last_run = scheduler.last_run_at
        if last_run is None or now - last_run > timedelta(seconds=2 * interval + 30):
            checks.append(Check("scheduler", False, f"last round {last_run.isoformat() if last_run else 'never'}"))
        else:
            checks.append(Check("scheduler", True, f"last round {last_run.isoformat()}"))
    return checks


def tidy_connections() -> None:
    """Between two rounds of a long-running loop: drop stale connections (never inside a
    transaction, e.g. when a test calls the command)."""
    if not connections["default"].in_atomic_block:
        close_old_connections()
