"""anmin care_sweep: warn once per patient and due date about follow-ups due soon or overdue, and
resolve warnings a follow-up has answered. Safe to run as often as wanted (idempotent).

Run it daily (cron, a systemd timer, or ``--enqueue`` for the task worker): see docs/care.md.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "严重精神障碍患者随访巡检：对即将到期和已逾期的随访各预警一次（可重复执行）"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按此日期巡检（如 2020-12-10；用于演示和核对）")
        parser.add_argument("--enqueue", action="store_true", help="放入后台任务队列，由任务进程执行")

    def handle(self, *args, **opts):
        if opts["enqueue"]:
            from anmin.care.tasks import care_sweep_task

            result = care_sweep_task.enqueue()
            self.stdout.write(f"已放入后台任务队列：{result.id}")
            return
        from anmin.care.actions import sweep

        today = None
        if opts["today"]:
            try:
                today = dt.date.fromisoformat(opts["today"])
            except ValueError:
                raise CommandError(f"--today 不是有效的日期：{opts['today']}") from None
        self.stdout.write(str(sweep(today=today)))
