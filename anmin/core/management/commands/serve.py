"""anmin serve: the web server (gunicorn) and, beside it, the background task worker and scheduler."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import get_commands
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from anmin.core import clock


class Command(BaseCommand):
    help = "启动 Web 服务与后台任务进程"

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("ANMIN_HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("ANMIN_PORT", "8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("ANMIN_WEB_WORKERS", "2")))
        parser.add_argument("--no-worker", action="store_true", help="不启动后台任务进程")

    def handle(self, *args, **opts):
        if settings.PRODUCTION and clock.is_shifted():
            raise CommandError(
                "业务时钟已移动（如从演示库恢复的数据）：生产环境须用真实时钟，请先执行 anmin clock --real")
        procs: list[subprocess.Popen] = []
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "anmin.settings")}
        if not opts["no_worker"] and "django_tasks_db" in settings.INSTALLED_APPS:
            # --no-reload: the worker must not restart itself in the middle of a task.
            procs.append(subprocess.Popen([sys.executable, "-m", "anmin.cli", "db_worker", "--no-reload"], env=env))
            # Periodic jobs (e.g. the case engine's warning/supervision sweep) are enqueued by an app's
            # `scheduler` command, started by name: core imports no app.
            if "scheduler" in get_commands():
                procs.append(subprocess.Popen([sys.executable, "-m", "anmin.cli", "scheduler"], env=env))
        bind = f"{opts['host']}:{opts['port']}"
        self.stdout.write(self.style.SUCCESS(f"安民已启动：http://{bind}/  （Ctrl+C 退出）"))
        if clock.is_shifted():
            moment = timezone.localtime(clock.now())
            self.stdout.write(self.style.WARNING(
                f"业务时钟已移动：现在按 {moment:%Y-%m-%d %H:%M} 计（演示环境）；生产环境请执行 anmin clock --real"))
        web = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "anmin.wsgi:application",
                "--bind",
                bind,
                "--workers",
                str(opts["workers"]),
                "--access-logfile",
                "-",
                "--graceful-timeout",
                "5",
            ],
            env=env,
        )
        procs.append(web)

        # A process supervisor stops us with SIGTERM: stop the children too, not only on Ctrl+C.
        def _terminate(signum, frame):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, _terminate)
        try:
            web.wait()
        except KeyboardInterrupt:
            pass
        finally:
            for p in procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            for p in procs:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
