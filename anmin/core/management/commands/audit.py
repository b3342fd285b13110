"""anmin audit verify [--anchor SEQ:HASH]: check the audit log's hash chain.

Exit status 0 when the chain is intact; 1 naming the first broken entry (changed content, a
deleted entry leaving a gap, a broken link, or a head that no longer matches a recorded anchor).
"""

from __future__ import annotations

import re

from django.core.management.base import BaseCommand, CommandError

from anmin.core.audit import verify_chain

_ANCHOR = re.compile(r"^(\d+):([0-9a-f]{64})$")


class Command(BaseCommand):
    help = "审计日志：校验哈希链（verify）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="逐条校验审计日志的哈希链；完整时退出码为 0")
        verify.add_argument(
            "--anchor",
            metavar="SEQ:HASH",
            help="此前在平台之外留存的某条记录的序号与哈希（可发现日志末尾被截断）",
        )

    def handle(self, *args, **opts):
        anchor = None
        if opts.get("anchor"):
            match = _ANCHOR.match(opts["anchor"].strip().lower())
            if not match:
                raise CommandError("--anchor 的格式应为 序号:64位十六进制哈希")
            anchor = (int(match.group(1)), match.group(2))
        report = verify_chain(anchor=anchor)
        if not report.ok:
            raise CommandError(
                f"审计链在第 {report.broken_seq} 条处断开：{report.problem}（此前 {report.checked} 条完好）",
                returncode=1,
            )
        if report.head_seq is None:
            self.stdout.write("审计日志为空。")
        else:
            self.stdout.write(
                f"审计链完整：共 {report.checked} 条，最新序号 {report.head_seq}，哈希 {report.head_hash}"
            )
