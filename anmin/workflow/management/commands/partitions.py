"""anmin partitions [--ahead N] [--check]: the year partitions of the tables partitioned by time
(PostgreSQL; today the case timeline). Creates this year's and the next N years' partitions and those
of any year with rows waiting in the DEFAULT partition (moving the rows into it), then lists the
partitions with their rows and sizes. ``--check`` changes nothing and fails when something is
missing. The scheduler runs the same each round (``workflow.partitions``); it acts about once a year.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def _mb(n: int) -> str:
    return f"{n / 1048576:,.1f} MB"


class Command(BaseCommand):
    help = "按年分区：新建今年及以后 N 年的分区，把默认分区里已有年份分区的记录移入（PostgreSQL）"

    def add_arguments(self, parser):
        parser.add_argument("--ahead", type=int, default=1, help="提前建好以后几年的分区（默认 1）")
        parser.add_argument("--check", action="store_true", help="只检查，不改动；缺分区或默认分区有记录时以非零状态退出")

    def handle(self, *args, **opts):
        from anmin.workflow import partitions

        if opts["ahead"] < 0:
            raise CommandError("--ahead 不能小于 0")
        if connection.vendor != "postgresql":
            self.stdout.write("数据库不是 PostgreSQL：没有按年分区的表，无需处理")
            return
        if opts["check"]:
            plans = partitions.plan(opts["ahead"])
            problems = []
            for p in plans:
                if not p.state.partitioned:
                    problems.append(f"{p.state.table} 没有按年分区（迁移未执行？）")
                elif p.create:
                    waiting = "".join(f"；默认分区中有 {y} 年 {n} 行" for y, n in sorted(p.moves.items()))
                    problems.append(f"{p.state.table} 缺少分区：{', '.join(map(str, p.create))}{waiting}")
            self._report(plans, partitions)
            if problems:
                raise CommandError("；".join(problems))
            self.stdout.write("分区齐全")
            return
        plans = partitions.ensure(opts["ahead"])
        for p in plans:
            for year in p.create:
                moved = p.moves.get(year, 0)
                self.stdout.write(f"{p.state.table}：新建 {year} 年分区" + (f"，从默认分区移入 {moved} 行" if moved else ""))
            if p.state.partitioned and not p.create:
                self.stdout.write(f"{p.state.table}：分区齐全，无需新建")
        self._report(plans, partitions)

    def _report(self, plans, partitions) -> None:
        for p in plans:
            if not p.state.partitioned:
                self.stdout.write(f"{p.state.table}：未分区")
                continue
            self.stdout.write(f"{p.state.table} 的分区（行数为估计值）：")
            for name, rows, size in partitions.sizes(p.state.table):
                self.stdout.write(f"  {name:<32} 约 {rows:>12,} 行  {_mb(size):>12}")
