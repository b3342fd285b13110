"""anmin demo: migrate, build the Yuzhou demo world (idempotent), print one login per role, serve."""

from __future__ import annotations

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from anmin.core import clock, registry
from anmin.core.demo import DEMO_LOGINS, DEMO_NOW, DEMO_PASSWORD


class Command(BaseCommand):
    help = "构建禹州演示环境（可重复运行，不会重复添加数据）并启动服务"

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="只构建，不启动服务")
        parser.add_argument("--scale", type=float, default=1.0, help="数据量倍数（基准测试用）")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, **opts):
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        # The demo world stands on 2020-12-10: its business clock reads that moment from now on.
        clock.set_business_time(DEMO_NOW, note="演示环境")
        for builder in sorted(registry.demo_builders, key=lambda b: b.order):
            t0 = time.monotonic()
            with transaction.atomic():
                stats = builder.build(scale=opts["scale"])
            added = ", ".join(f"{k} +{v}" for k, v in (stats or {}).items())
            self.stdout.write(f"  {builder.describe or builder.key}: {added} ({time.monotonic() - t0:.1f}s)")
        self.stdout.write(self.style.SUCCESS(f"演示环境就绪（{time.monotonic() - started:.1f}s）"))
        moment = clock.now().astimezone(DEMO_NOW.tzinfo)
        self.stdout.write(f"业务时钟：{moment:%Y-%m-%d %H:%M}（演示世界的“今天”，随真实时间走动）")
        self.print_logins()
        if not opts["no_serve"]:
            call_command("serve", host=opts["host"], port=opts["port"])

    def print_logins(self) -> None:
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        width = max(len(lg.username) for lg in DEMO_LOGINS)
        for lg in DEMO_LOGINS:
            self.stdout.write(f"  {lg.username.ljust(width)}  {lg.role}  ·  {lg.org}")
        for builder in sorted(registry.demo_builders, key=lambda b: b.order):
            for note in builder.notes:
                self.stdout.write(f"  {note}")
        self.stdout.write("")
