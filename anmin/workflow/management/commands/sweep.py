"""anmin sweep: one pass of warnings, overdue marks and automatic 督办 (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime


class Command(BaseCommand):
    help = "执行一次临期预警、逾期标记和自动督办（重复执行不会重复督办）"

    def add_arguments(self, parser):
        parser.add_argument("--now", help="按此时间执行（ISO 格式，如 2020-12-10T09:00+08:00；用于演示和核对）")
        parser.add_argument("--verbose-list", action="store_true", help="列出每个预警和逾期事项的编号")

    def handle(self, *args, **opts):
        from anmin.workflow.actions import sweep

        now = None
        if opts["now"]:
            now = parse_datetime(opts["now"])
            if now is None:
                raise CommandError(f"--now 不是有效的时间：{opts['now']}")
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        result = sweep(now=now)
        self.stdout.write(str(result))
        if opts["verbose_list"]:
            for number in result.warned:
                self.stdout.write(f"  预警 {number}")
            for number in result.overdue:
                self.stdout.write(f"  逾期 {number}")
