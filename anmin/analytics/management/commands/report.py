"""anmin report annual --year 2020 --format docx|pdf --out FILE
anmin report monthly --period 2020-11 --format docx --out FILE    (also quarterly --period 2020-Q4)

Generates the report from the records as the platform (the whole installation, or --region) and
prints the figures still missing (KPIs not registered yet)."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from anmin.analytics.reports.bulletin import render_bulletin
from anmin.analytics.reports.docx_writer import write_docx
from anmin.analytics.reports.render import render_report
from anmin.core import clock
from anmin.core.documents.pdf import PdfUnavailable, docx_to_pdf


class Command(BaseCommand):
    help = "生成年度工作总结或月度、季度通报（DOCX 或 PDF）"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["annual", "monthly", "quarterly"])
        parser.add_argument("--year", type=int, default=None)
        parser.add_argument("--period", default="", help="通报期间：2020-11 或 2020-Q4")
        parser.add_argument("--region", default=None, help="区划代码（默认全市）")
        parser.add_argument("--format", choices=["docx", "pdf", "txt"], default="docx")
        parser.add_argument("--out", type=Path, required=True)

    def handle(self, *args, **opts):
        t0 = time.monotonic()
        if opts["kind"] == "annual":
            doc = render_report("annual", year=opts["year"] or clock.today().year, region=opts["region"],
                                use_cache=False)
        else:
            if not opts["period"]:
                raise CommandError("--period 必填（如 2020-11 或 2020-Q4）")
            try:
                doc = render_bulletin(opts["kind"], period=opts["period"], region=opts["region"], use_cache=False)
            except ValueError as exc:
                raise CommandError(f"--period：{exc}") from exc
        if opts["format"] == "txt":
            opts["out"].write_text(doc.text, encoding="utf-8")
        else:
            data = write_docx(doc)
            if opts["format"] == "pdf":
                try:
                    data = docx_to_pdf(data)
                except PdfUnavailable as exc:
                    raise CommandError(str(exc)) from exc
            opts["out"].write_bytes(data)
        self.stdout.write(f"{opts['out']}：{doc.title}，用时 {time.monotonic() - t0:.1f} 秒")
        if doc.missing:
            self.stdout.write(f"暂无数据的指标 {len(doc.missing)} 项：" + "、".join(doc.missing))
