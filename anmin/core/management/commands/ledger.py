"""anmin ledger: a ledger's import and export from the command line, for administrators' bulk loads —
through the same framework, actions and scoping as the pages.

    anmin ledger import disputes 台账.xlsx --as township_admin --dry-run --format json
    anmin ledger import disputes 台账.xls --as township_admin --mapping mapping.json --mode valid_only
    anmin ledger export disputes --out 台账.xlsx --as township_admin     # .csv writes CSV
    anmin ledger list

``KIND`` is a ledger's key (``disputes.ledger``), its app (``disputes``) or the part after the dot
(``residents``). ``--mapping`` is a JSON object {field: column label or 0-based index} (the dry run
prints the detected mapping in that shape). The JSON report holds the detected mapping and every row's
errors as {"row", "field", "column", "value", "message"}; exit status 1 when the file or a row has
errors and nothing was imported.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from anmin.core import audit, ledgers
from anmin.core.ledgers.export import in_chunks


class Command(BaseCommand):
    help = "台账导入、导出（与页面相同的检查、权限和辖区）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        imp = sub.add_parser("import", help="导入台账（先预检）")
        imp.add_argument("kind")
        imp.add_argument("file")
        imp.add_argument("--as", dest="username", required=True, help="以该用户的身份、权限和辖区导入")
        imp.add_argument("--dry-run", action="store_true", help="只预检，不导入")
        imp.add_argument("--mapping", help="列对应 JSON 文件：{字段: 列名或列序号}")
        imp.add_argument("--mode", choices=list(ledgers.MODES), default=ledgers.VALID_ONLY)
        imp.add_argument("--format", choices=["json", "table"], default="table")
        exp = sub.add_parser("export", help="导出台账（该用户可见的全部记录）")
        exp.add_argument("kind")
        exp.add_argument("--out", required=True, help="输出文件（.xlsx 或 .csv）")
        exp.add_argument("--as", dest="username", required=True, help="以该用户的身份和辖区导出")
        sub.add_parser("list", help="列出所有台账")

    def handle(self, *args, **opts):
        if opts["what"] == "list":
            for key, cls in sorted(ledgers.all_ledgers().items()):
                self.stdout.write(f"{key}\t{cls.title}")
            return
        try:
            cls = ledgers.find_ledger(opts["kind"])
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        user = self._user(opts["username"])
        if opts["what"] == "import":
            return self._import(cls, user, opts)
        return self._export(cls, user, opts)

    def _user(self, username: str):
        from anmin.core.models import User

        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"--as：没有名为“{username}”的在用账号")
        return user

    def _import(self, cls, user, opts):
        path = Path(opts["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件：{exc}") from None
        mapping = None
        if opts["mapping"]:
            try:
                mapping = json.loads(Path(opts["mapping"]).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(f"--mapping：不是有效的 JSON 文件（{exc}）") from None
            if not isinstance(mapping, dict):
                raise CommandError("--mapping：应为 {字段: 列名或列序号}")
        ledger = cls(user=user)

        def progress(phase: str, done: int, total: int) -> None:
            if total >= 5000:
                sys.stderr.write(f"\r{'检查' if phase == 'check' else '导入'} {done}/{total}")
                if done >= total:
                    sys.stderr.write("\n")

        report = ledger.dry_run(data, filename=path.name, mapping=mapping, progress=progress)
        out = report.as_dict()
        out["mapping_file"] = {f: spec["column"] or spec["index"] for f, spec in out["mapping"].items()}
        status = 0
        if not opts["dry_run"]:
            try:
                result = ledger.run_import(report, mode=opts["mode"], progress=progress)
                out["imported"] = result.imported
                out["message"] = result.message
                if mapping:
                    from anmin.core.ledgers.pages import remember

                    remember(ledger, report)
            except ledgers.LedgerImportError as exc:
                out["imported"] = 0
                out["message"] = exc.message
                status = 1
        elif report.errors:
            status = 1
        if opts["format"] == "json":
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=1, default=str))
        else:
            self._table(cls, out)
        if status:
            sys.exit(status)

    def _table(self, cls, out):
        self.stdout.write(f"{cls.title}（{out['format']}{' ' + out['encoding'] if out['encoding'] else ''}）"
                          f" 表头在第{out['header_rows'][0]}–{out['header_rows'][1]}行")
        for f, spec in out["mapping"].items():
            self.stdout.write(f"  {f} ← {spec['column'] or spec['index']}（{spec['by']}）")
        self.stdout.write(f"数据行 {out['rows']}，新增 {out['new']}，已存在 {out['existing']}，有错误 {out['invalid']}")
        for e in out["errors"]:
            self.stdout.write(f"  {e['sheet'] + ' ' if e.get('sheet') else ''}第{e['row']}行 {e['column'] or '—'}：{e['message']}")
        for w in out["warnings"]:
            self.stdout.write(f"  提醒 {w['sheet'] + ' ' if w.get('sheet') else ''}第{w['row']}行：{w['message']}")
        if "message" in out:
            self.stdout.write(out["message"])

    def _export(self, cls, user, opts):
        out = Path(opts["out"])
        ledger = cls(user=user)
        reveal = False  # masked, as the page exports without a reason given; full numbers only on the page
        qs = ledger.export_queryset(user)
        rows = qs.count()
        with transaction.atomic():
            audit.record_export(actor=user, object_type=f"{ledger.key}", rows=rows,
                                filters={"command": "anmin ledger export", "reveal": reveal},
                                reason="命令行导出")
        objects = in_chunks(qs)
        if out.suffix.lower() == ".csv":
            with out.open("w", encoding="utf-8-sig", newline="") as f:
                n = ledger.write_csv(f, objects, reveal=reveal)
        else:
            with out.open("wb") as f:
                n = ledger.write_workbook(f, objects, reveal=reveal)
        self.stdout.write(f"已导出 {n} 行到 {out}")
