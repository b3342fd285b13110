"""anmin assessment compute --year 2019 [--unit-type township|department] [--format json|table]

Scores, ranks, grades and designations of a year's assessment (a published year: its frozen
results)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from anmin.assessment import engine
from anmin.assessment.models import Scheme, UnitType


class Command(BaseCommand):
    help = "计算考核评估结果（得分、排名、等次、优秀单位与先进个人）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        c = sub.add_parser("compute", help="计算并输出某年度的考核结果")
        c.add_argument("--year", type=int, required=True)
        c.add_argument("--unit-type", choices=UnitType.values, default=None)
        c.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, **opts):
        schemes = Scheme.objects.filter(year=opts["year"]).order_by("unit_type")
        if opts["unit_type"]:
            schemes = schemes.filter(unit_type=opts["unit_type"])
        if not schemes.exists():
            raise CommandError(f"{opts['year']}年度没有考核方案")
        out = [engine.summary(s) for s in schemes]
        if opts["format"] == "json":
            payload = {"year": opts["year"], "schemes": out,
                       "excellent_units": {s["unit_type"]: s["excellent_units"] for s in out},
                       "excellent_individuals": sum(s["individuals"] for s in out)}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        for s in out:
            self.stdout.write(f"{s['scheme']}（{s['status']}）：优秀单位 {s['excellent_units']}，先进个人 {s['individuals']}")
            for r in s["results"]:
                star = "★" if r["excellent"] else " "
                self.stdout.write(f"  {r['rank']:>3} {star} {r['unit']}\t{r['total']:.2f}\t{r['grade']}")
