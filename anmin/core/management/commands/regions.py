"""anmin regions load FILE [FILE…]: load a jurisdiction tree from CSV (see core/regions_io.py)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from anmin.core.regions_io import RegionFileError, load_regions


class Command(BaseCommand):
    help = "导入行政区划（CSV：code,name,kind 或 code,name,township_code）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="导入一个或多个 CSV 文件（先市/乡镇，再村/社区）")
        load.add_argument("files", nargs="+", type=Path)
        geo = sub.add_parser("load-geo", help="导入区划边界与中心点（GeoJSON，要素属性含区划代码 code）")
        geo.add_argument("files", nargs="+", type=Path)
        geo.add_argument("--code-property", default="code", help="要素中区划代码的属性名（默认 code）")

    def handle(self, *args, **opts):
        for f in opts["files"]:
            if not f.is_file():
                raise CommandError(f"文件不存在：{f}")
        if opts["action"] == "load-geo":
            from anmin.core.regions_geo import load_geojson

            try:
                result = load_geojson(opts["files"], code_property=opts["code_property"])
            except RegionFileError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"边界 {result.boundaries}，中心点 {result.centres}，未知区划代码 {result.unknown}")
            return
        try:
            result = load_regions(opts["files"])
        except RegionFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}")
