"""anmin serve: the web server (gunicorn), the background task worker and the scheduler, supervised.

* Each child runs in a process group of its own (gunicorn's workers share their master's). A child
  that dies is restarted after a backoff (1 s, 2 s, 4 s … 30 s); one that dies more than
  ``--max-restarts`` times (5) within a minute makes ``serve`` stop everything and exit 1.
* When the gunicorn master dies (even by ``kill -9``) its whole group is killed before it is
  restarted, so orphaned workers never hold the port ("Connection in use").
* On exit (SIGTERM, Ctrl+C, giving up) every child's group gets SIGTERM, then SIGKILL after 10 s.
  The children also die with ``serve`` itself (Linux parent-death signal), and the groups of a
  ``serve`` that was killed outright are cleaned up by the next start (``$ANMIN_VAR_DIR/run/``).
* Access-log lines mask query strings and personal numbers (``anmin.core.accesslog``).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from anmin.core import clock

MAX_BACKOFF = 30.0
RESTART_WINDOW = 60.0


def _die_with_parent() -> None:
    """In the child, before exec: get SIGTERM when ``serve`` dies (Linux prctl PR_SET_PDEATHSIG)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _group_members(pgid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()
            if int(fields[2]) == pgid:
                out.append(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
    return out


def _is_ours(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
    except OSError:
        return False
    return b"anmin" in cmdline or b"gunicorn" in cmdline


def kill_group(pgid: int, *, grace: float = 10.0, reap: Callable[[], object] | None = None) -> None:
    """SIGTERM the group, SIGKILL what is left after ``grace`` seconds, wait until it is gone.
    ``reap``: collects the group's leader when it is serve's own child (``Popen.poll``) — an exited
    child stays a zombie, and so its group alive, until its parent waits for it: without it every stop
    waited out the grace and the SIGKILL's five seconds (15 s for Ctrl+C or systemd's stop)."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, sig)
        deadline = time.monotonic() + wait
        while True:
            if reap is not None:
                reap()
            if not _group_alive(pgid):
                return
            if time.monotonic() >= deadline:
                break
            time.sleep(0.1)


class Child:
    def __init__(self, name: str, argv: list[str], env: dict[str, str], *, essential: bool = False):
        self.name, self.argv, self.env, self.essential = name, argv, env, essential
        self.proc: subprocess.Popen | None = None
        self.deaths: deque[float] = deque()
        self.restart_at: float | None = None
        self.backoff = 1.0

    def start(self) -> None:
        # preexec_fn is fine here: serve is single-threaded.
        self.proc = subprocess.Popen(self.argv, env=self.env, process_group=0,
                                     preexec_fn=_die_with_parent)
        self.restart_at = None

    @property
    def pgid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def stop(self, *, grace: float = 10.0) -> None:
        if self.proc is None:
            return
        kill_group(self.proc.pid, grace=grace, reap=self.proc.poll)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=1)


class Command(BaseCommand):
    help = "启动 Web 服务与后台任务进程（并守护它们：退出即重启）"

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("ANMIN_HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("ANMIN_PORT", "8000"))
        # One gunicorn process per core, a few threads each (gthread): on the 2-core machine 2 × 4 served
        # the capacity mix at 40 requests/s with a p95 of 0.65 s where 4 × 8 queued for 10 s — more
        # threads than cores only contend for the GIL and the database (docs/scaling.md).
        parser.add_argument("--workers", type=int,
                            default=int(os.environ.get("ANMIN_WEB_WORKERS") or os.cpu_count() or 2))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("ANMIN_WEB_THREADS", "4")))
        parser.add_argument("--no-worker", action="store_true", help="不启动后台任务进程与定时调度")
        parser.add_argument("--no-web", action="store_true", help="只启动后台任务进程与定时调度")
        parser.add_argument("--max-restarts", type=int, default=5,
                            help="一分钟内某个进程退出超过此次数则全部停止并以非零状态退出（默认 5）")
        parser.add_argument("--access-logfile", default="-", help="访问日志文件（默认标准输出；查询串与号码已遮蔽）")

    def children(self, opts) -> list[Child]:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "anmin.settings")}
        py = [sys.executable, "-m", "anmin.cli"]
        out = []
        if not opts["no_worker"] and "django_tasks_db" in settings.INSTALLED_APPS:
            out.append(Child("worker", [*py, "worker"], env))
            if "scheduler" in get_commands():
                out.append(Child("scheduler", [*py, "scheduler"], env))
        if not opts["no_web"]:
            bind = f"{opts['host']}:{opts['port']}"
            out.append(Child("web", [
                sys.executable, "-m", "gunicorn", "anmin.wsgi:application", "--bind", bind,
                "--workers", str(opts["workers"]), "--worker-class", "gthread", "--threads", str(opts["threads"]),
                # Each response closes its connection (nginx in front opens a new one on loopback): a gthread
                # worker keeps every connection it accepted, busy or not, so kept-alive connections piled
                # up in one worker and one core served the lot — 32 clients reporting: 1,463 against 172
                # CPU ticks, 118–123 reports/s; closed after each response 721 / 748 ticks, 179–183/s.
                "--keep-alive", "0",
                # The master loads the application once and forks its workers from it: after a restart the
                # workers are up as soon as the one import is done (three imports on two busy cores took
                # half a minute in `make chaos`), a worker that died is replaced at once, and the workers
                # share the loaded code. Loading opens no connection and starts no thread (checked by
                # core/tests/test_serve_stop.py); a new release is a restart, not a HUP.
                "--preload",
                "--graceful-timeout", "5",
                "--access-logfile", opts["access_logfile"], "--logger-class", "anmin.core.accesslog.GunicornLogger",
            ], env, essential=True))
        return out

    def state_file(self, opts) -> Path:
        run_dir = Path(settings.VAR_DIR if hasattr(settings, "VAR_DIR") else "var") / "run"
        run_dir.mkdir(parents=True, exist_ok=True)
        return run_dir / f"serve-{opts['host']}-{opts['port']}.json"

    def clean_up_after_a_killed_serve(self, path: Path) -> None:
        try:
            previous = json.loads(path.read_text())
        except (OSError, ValueError):
            return
        for name, pgid in (previous.get("groups") or {}).items():
            members = [p for p in _group_members(int(pgid)) if _is_ours(p)]
            if members:
                self.stderr.write(f"清理上次遗留的进程组 {name}（{len(members)} 个进程）")
                kill_group(int(pgid), grace=5)

    def handle(self, *args, **opts):
        if settings.PRODUCTION and clock.is_shifted():
            raise CommandError(
                "业务时钟已移动（如从演示库恢复的数据）：生产环境须用真实时钟，请先执行 anmin clock --real")
        if opts["no_web"] and opts["no_worker"]:
            raise CommandError("--no-web 与 --no-worker 不能同时使用")
        children = self.children(opts)
        state = self.state_file(opts)
        self.clean_up_after_a_killed_serve(state)

        stopping = {"signal": None}

        def _stop(signum, frame):
            stopping["signal"] = signum

        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, _stop)

        def save_state():
            groups = {c.name: c.pgid for c in children if c.pgid}
            state.write_text(json.dumps({"serve_pid": os.getpid(), "groups": groups}))

        for child in children:
            child.start()
        save_state()
        if not opts["no_web"]:
            self.stdout.write(self.style.SUCCESS(f"安民已启动：http://{opts['host']}:{opts['port']}/  （Ctrl+C 退出）"))
        if clock.is_shifted():
            moment = timezone.localtime(clock.now())
            self.stdout.write(self.style.WARNING(
                f"业务时钟已移动：现在按 {moment:%Y-%m-%d %H:%M} 计（演示环境）；生产环境请执行 anmin clock --real"))
        self.stdout.flush()
        exit_code = 0
        try:
            exit_code = self.supervise(children, opts, stopping, save_state)
        finally:
            for child in reversed(children):
                child.stop()
            with contextlib.suppress(OSError):
                state.unlink()
        if exit_code:
            raise CommandError("子进程反复退出，已全部停止", returncode=exit_code)

    def supervise(self, children: list[Child], opts, stopping, save_state) -> int:
        while stopping["signal"] is None:
            now = time.monotonic()
            for child in children:
                if child.restart_at is not None:
                    if now >= child.restart_at:
                        self.stderr.write(f"重启 {child.name}")
                        child.start()
                        save_state()
                    continue
                code = child.proc.poll()
                if code is None:
                    if child.deaths and now - child.deaths[-1] > RESTART_WINDOW:
                        child.backoff = 1.0  # ran a while: start the backoff again
                    continue
                # Died. Whatever it left in its group (gunicorn's workers) goes with it.
                kill_group(child.pgid, grace=0.5)
                child.deaths.append(now)
                while child.deaths and now - child.deaths[0] > RESTART_WINDOW:
                    child.deaths.popleft()
                if len(child.deaths) > opts["max_restarts"]:
                    self.stderr.write(self.style.ERROR(
                        f"{child.name} 在 {RESTART_WINDOW:.0f} 秒内退出 {len(child.deaths)} 次，放弃重启"))
                    return 1
                self.stderr.write(self.style.WARNING(
                    f"{child.name} 已退出（状态 {code}），{child.backoff:.0f} 秒后重启"))
                child.restart_at = now + child.backoff
                child.backoff = min(child.backoff * 2, MAX_BACKOFF)
            time.sleep(0.2)
        return 0
