"""Supervised background work with real processes: ``anmin serve`` restarts a killed worker and a
killed gunicorn master (no "Connection in use" from orphaned workers), and the periodic sweep still
runs after the worker was killed and every database connection was cut (a PostgreSQL restart, as
seen by the clients: each backend of this test database is terminated with pg_terminate_backend)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from anmin.core.testing import plaintext_watch

SWEEP = "anmin.workflow.tasks.sweep_task"
PG_ONLY = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs PostgreSQL")


def wait_for(predicate, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def child_env(tmp_path: Path, **extra) -> dict[str, str]:
    env = {**os.environ, "ANMIN_VAR_DIR": str(tmp_path / "var"), "ANMIN_HEARTBEAT_SECONDS": "1",
           "ANMIN_SWEEP_INTERVAL": "2", "ANMIN_DATA_KEY_FILE": os.environ.get(
               "ANMIN_DATA_KEY_FILE", str(Path(__file__).resolve().parents[3] / "var" / "keys" / "data-keys.json"))}
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        env["DATABASE_URL"] = f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'unused.sqlite3'}"
    env.update(extra)
    return env


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(tmp_path: Path, *args: str, **env) -> subprocess.Popen:
    log = (tmp_path / "serve.log").open("wb")
    return subprocess.Popen([sys.executable, "-m", "anmin.cli", "serve", *args], env=child_env(tmp_path, **env),
                            stdout=log, stderr=subprocess.STDOUT, process_group=0)


def stop(proc: subprocess.Popen) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=40)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310 (loopback only)
            return resp.status
    except OSError:
        return 0


@PG_ONLY
@pytest.mark.django_db(transaction=True)
def test_the_sweep_still_runs_after_the_worker_is_killed_and_the_database_restarted(tmp_path):
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from anmin.core.models import Heartbeat

    def swept_since(moment):
        return DBTaskResult.objects.filter(task_path=SWEEP, status=TaskResultStatus.SUCCESSFUL,
                                           enqueued_at__gt=moment).exists()

    began = timezone.now()
    proc = serve(tmp_path, "--no-web", "--port", str(free_port()))
    try:
        wait_for(lambda: swept_since(began), timeout=120, what="the first sweep")
        worker = wait_for(lambda: Heartbeat.objects.filter(kind="worker").first(), timeout=30, what="a worker")
        os.kill(worker.pid, signal.SIGKILL)
        with connection.cursor() as cursor:  # the database goes away under everyone else
            cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        outage = timezone.now()
        wait_for(lambda: swept_since(outage), timeout=120, what="a sweep after the outage")
        replacement = wait_for(lambda: Heartbeat.objects.filter(kind="worker").exclude(name=worker.name).first(),
                               timeout=30, what="the restarted worker")
        assert replacement.pid != worker.pid
    finally:
        code = stop(proc)
    log = (tmp_path / "serve.log").read_text(errors="replace")
    assert code == 0, log[-3000:]
    assert "worker 已退出" in log
    assert "重启 worker" in log
    # A clean stop leaves no live heartbeat of a process behind (the killed worker's last one is stale).
    # The scheduler's round slot is no process: its "beat" is when the next round is due (taskqueue),
    # which a stop in two seconds finds still ahead (with the old 17-s stop it had always passed).
    recent = Heartbeat.objects.filter(beat_at__gt=timezone.now() - timezone.timedelta(seconds=1.5))
    assert not recent.exclude(kind="round").exists()


def test_serve_restarts_a_killed_gunicorn_master_on_the_same_port_and_logs_no_number(tmp_path):
    port = free_port()
    access = tmp_path / "access.log"
    proc = serve(tmp_path, "--no-worker", "--port", str(port), "--workers", "2", "--access-logfile", str(access))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: get(f"{base}/healthz") == 200, timeout=120, what="gunicorn")
        state = next((tmp_path / "var" / "run").glob("serve-*.json"))
        import json

        master = json.loads(state.read_text())["groups"]["web"]
        assert get(f"{base}/healthz?id_number=11010519491231002X&phone=13812345678") == 200
        os.kill(master, signal.SIGKILL)
        killed = time.monotonic()
        wait_for(lambda: get(f"{base}/healthz") == 200 and json.loads(state.read_text())["groups"]["web"] != master,
                 timeout=120, what="gunicorn restarted")
        # (how long depends on how fast the machine imports the app in fresh workers; the wait_for
        # above already bounds it — what matters is that the port was free for the new master)
        recovery = time.monotonic() - killed
        assert recovery < 40
    finally:
        code = stop(proc)
    log = (tmp_path / "serve.log").read_text(errors="replace")
    assert code == 0, log[-3000:]
    assert "Connection in use" not in log
    # The access log is read by the plaintext watch like every other log of the run.
    text = access.read_text()
    assert "/healthz?…" in text
    assert plaintext_watch.scan(text) == []
    assert plaintext_watch.scan(log) == []
