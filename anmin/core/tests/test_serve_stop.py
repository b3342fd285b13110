"""``anmin serve`` stops its children as soon as they have gone, not after their grace has run out."""

from __future__ import annotations

import signal
import subprocess
import time

from anmin.core.management.commands.serve import Child, kill_group


def test_a_child_that_obeys_sigterm_is_collected_at_once():
    # An exited child stays a zombie — its process group still "alive" — until its parent waits for
    # it: a stop that only watched the group waited out the whole grace and then the SIGKILL's five
    # seconds (17 s for Ctrl+C on `anmin serve`, or for systemd's stop).
    proc = subprocess.Popen(["sleep", "600"], process_group=0)
    started = time.monotonic()
    kill_group(proc.pid, grace=60, reap=proc.poll)
    assert proc.returncode == -signal.SIGTERM  # collected, ended by the SIGTERM, not a SIGKILL
    assert time.monotonic() - started < 60  # and not after the grace


def test_a_child_that_ignores_sigterm_is_killed_after_its_grace():
    proc = subprocess.Popen(["sh", "-c", "trap '' TERM; sleep 600"], process_group=0)
    time.sleep(0.3)  # the trap is set
    kill_group(proc.pid, grace=0.5, reap=proc.poll)
    assert proc.wait(timeout=5) == -signal.SIGKILL


def test_serve_stops_a_child_and_collects_it():
    child = Child("sleeper", ["sleep", "600"], {})
    child.start()
    child.stop(grace=60)
    assert child.proc.returncode == -signal.SIGTERM


def test_loading_the_application_opens_no_connection_and_starts_no_thread():
    """``serve`` preloads the application in gunicorn's master and forks the workers from it: what the
    load leaves behind is shared by every worker, so it must be neither a database connection nor a
    thread (a fresh interpreter, as the master is)."""
    import sys

    code = ("import threading; from anmin.wsgi import application; from django.db import connections; "
            "open_ = [a for a in connections if connections[a].connection is not None]; "
            "print(len(open_), threading.active_count())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.split()[-2:] == ["0", "1"], out.stdout + out.stderr
