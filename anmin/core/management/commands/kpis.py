"""anmin kpis: every registered KPI (``core.registry.kpis``) computed from the records.

    anmin kpis --year 2020                       # a table
    anmin kpis --year 2020 --region 411081106000 --format json
    anmin kpis --year 2020 --app people --by township

Core imports no app: the figures come from what apps registered in their ``AppConfig.ready()``.
"""

from __future__ import annotations

import json
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from anmin.core import clock, registry
from anmin.core.models import Region


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


class Command(BaseCommand):
    help = "计算并输出各项指标（按年度、区划）"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="年度（默认今年）")
        parser.add_argument("--region", default=None, help="区划代码（默认全部）")
        parser.add_argument("--app", action="append", default=[], help="只输出这些应用的指标（可重复）")
        parser.add_argument("--key", action="append", default=[], help="只输出这些指标（可重复）")
        parser.add_argument("--by", choices=["township", "village"], default=None, help="按乡镇或村(社区)分列")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, **opts):
        year = opts["year"] or clock.today().year
        region = opts["region"]
        if region and not Region.objects.filter(code=region).exists():
            raise CommandError(f"--region：不存在区划代码 {region}")
        items = [
            k
            for k in registry.kpis
            if (not opts["app"] or k.app in opts["app"]) and (not opts["key"] or k.key in opts["key"])
        ]
        if opts["by"]:
            areas = Region.objects.townships() if opts["by"] == "township" else Region.objects.villages()
            if region:
                areas = areas.inside(region)
            columns = [(a.code, a.name) for a in areas.order_by("code")]
        else:
            columns = [(region, None)]
        rows = []
        for kpi in items:
            values = {code: _plain(kpi.compute(year=year, region=code, user=None)) for code, _name in columns}
            row = {"key": kpi.key, "label": str(kpi.label), "unit": kpi.unit, "app": kpi.app}
            if opts["by"]:
                row["values"] = {code: values[code] for code, _n in columns}
            else:
                row["value"] = values[region]
            rows.append(row)
        if opts["format"] == "json":
            payload = {"year": year, "region": region, "kpis": rows}
            if opts["by"]:
                payload["areas"] = dict(columns)
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{year}年度指标" + (f"（区划 {region}）" if region else ""))
        for row in rows:
            if opts["by"]:
                self.stdout.write(f"{row['label']}（{row['key']}）")
                for code, name in columns:
                    self.stdout.write(f"    {name}\t{row['values'][code]} {row['unit']}")
            else:
                self.stdout.write(f"  {row['label']}\t{row['value']} {row['unit']}\t{row['key']}")
