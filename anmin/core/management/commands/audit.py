"""anmin audit verify | anchor: check the audit log's hash chain; copy its head outside the database.

``verify`` exits 0 when the chain is intact; 1 naming the first broken entry (changed content, a
deleted entry leaving a gap, a broken link, a head that no longer matches a recorded anchor). An
EMPTY log fails too — the log of a platform in use is never empty, so an empty one was wiped —
unless ``--new`` says it is a new installation. ``--anchor-file`` checks every anchor written by
``anchor`` (or the daily task) to that file.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from anmin.core.audit import verify_chain
from anmin.core.audit_anchors import read_anchors, write_anchor

_ANCHOR = re.compile(r"^(\d+):([0-9a-f]{64})$")


class Command(BaseCommand):
    help = "审计日志：校验哈希链（verify）；把链头留存到库外（anchor）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="逐条校验审计日志的哈希链；完整时退出码为 0")
        verify.add_argument(
            "--anchor", metavar="SEQ:HASH", action="append", default=[],
            help="此前在平台之外留存的某条记录的序号与哈希（可发现日志末尾被截断；可多次给出）",
        )
        verify.add_argument("--anchor-file", metavar="PATH", help="逐条核对该文件中留存的锚点（anchor 命令写入的）")
        verify.add_argument("--new", action="store_true", help="新安装：审计日志为空不算错误")
        anchor = sub.add_parser("anchor", help="把当前链头（序号:哈希）写到库外的文件或命令")
        anchor.add_argument("--file", metavar="PATH", help="追加到该文件（默认 ANMIN_AUDIT_ANCHOR_FILE）")
        anchor.add_argument("--command", metavar="CMD",
                            help="把锚点行通过标准输入交给该命令（默认 ANMIN_AUDIT_ANCHOR_COMMAND）")

    def handle(self, *args, **opts):
        if opts["action"] == "anchor":
            return self.anchor(opts)
        return self.verify(opts)

    def anchor(self, opts):
        line = write_anchor(path=Path(opts["file"]) if opts.get("file") else None, command=opts.get("command"))
        if line is None:
            raise CommandError("没有写出锚点：审计日志为空，或未指定 --file/--command"
                               "（也未配置 ANMIN_AUDIT_ANCHOR_FILE/COMMAND）")
        self.stdout.write(f"已留存锚点：{line}")

    def verify(self, opts):
        anchors: list[tuple[int, str]] = []
        for value in opts.get("anchor") or []:
            match = _ANCHOR.match(value.strip().lower())
            if not match:
                raise CommandError("--anchor 的格式应为 序号:64位十六进制哈希")
            anchors.append((int(match.group(1)), match.group(2)))
        if opts.get("anchor_file"):
            path = Path(opts["anchor_file"])
            if not path.exists():
                raise CommandError(f"锚点文件不存在：{path}", returncode=1)
            from_file = [(seq, h) for _at, seq, h in read_anchors(path)]
            if not from_file:
                raise CommandError(f"锚点文件中没有锚点：{path}", returncode=1)
            anchors += from_file
        report = verify_chain(anchors=anchors)
        if not report.ok:
            raise CommandError(
                f"审计链在第 {report.broken_seq} 条处断开：{report.problem}（此前 {report.checked} 条完好）",
                returncode=1,
            )
        if report.head_seq is None:
            if not opts.get("new"):
                raise CommandError(
                    "审计日志为空：使用中的平台不会没有审计记录（可能已被清空）。新安装请加 --new。", returncode=1)
            self.stdout.write("审计日志为空（新安装）。")
            return
        self.stdout.write(
            f"审计链完整：共 {report.checked} 条，最新序号 {report.head_seq}，哈希 {report.head_hash}"
            + (f"；核对锚点 {len(anchors)} 个" if anchors else "")
        )
