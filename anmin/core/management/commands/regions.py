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

    def handle(self, *args, **opts):
        for f in opts["files"]:
            if not f.is_file():
                raise CommandError(f"文件不存在：{f}")
        try:
            result = load_regions(opts["files"])
        except RegionFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}")
