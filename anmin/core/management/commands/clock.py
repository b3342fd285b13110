"""anmin clock: show or move the business clock (core.clock)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from anmin.core import clock


class Command(BaseCommand):
    help = "查看或设置业务时钟（演示环境停在 2020-12-10；生产环境应使用真实时钟）"

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--set", dest="moment", help="业务时间此刻为（ISO 格式，如 2020-12-10T09:00+08:00）")
        group.add_argument("--real", action="store_true", help="恢复真实时钟")

    def handle(self, *args, **opts):
        if opts["moment"] or opts["real"]:
            moment = None
            if opts["moment"]:
                try:
                    moment = dt.datetime.fromisoformat(opts["moment"])
                except ValueError as exc:
                    raise CommandError(
                        f"--set：时间格式应为 ISO 8601，如 2020-12-10T09:00+08:00（收到 {opts['moment']}）"
                    ) from exc
            clock.set_business_time(moment, note="anmin clock")
        now = timezone.localtime(clock.now())
        state = "已移动" if clock.is_shifted() else "真实时钟"
        self.stdout.write(f"业务时钟：{now:%Y-%m-%d %H:%M:%S %Z}（{state}）")
