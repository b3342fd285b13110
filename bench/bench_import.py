"""Import speed of a 100,000-row resident ledger (实有人口台账) through the Excel ledger framework.

The ledger is written once (openpyxl), then timed: the dry run (read, parse and check every row —
ID check digit, birth date and sex against the ID, place, duplicates in the file and in the
database) and the import of the valid rows (bulk creation through ``people.actions``, encryption
and blind index included). Everything is rolled back afterwards, so the bench can be rerun.
"""

from __future__ import annotations

import io
import os
import time

from . import harness

NAME = "import"
ROWS = int(os.environ.get("ANMIN_BENCH_IMPORT_ROWS", "100000"))
FIRST_INDEX = 5_000_000  # ID numbers of their own, apart from the lookup bench's residents


class _Rollback(Exception):
    pass


def build_ledger(rows: int) -> bytes:
    import random

    from openpyxl import Workbook

    from anmin.core.models import Region
    from anmin.people.names import person_name, phone_number

    from .bench_lookup import bench_id_number

    villages = list(Region.objects.villages().select_related("parent").order_by("code"))
    grids: dict[str, list[str]] = {}
    for g in Region.objects.grids().order_by("code").values_list("parent_id", "name"):
        grids.setdefault(g[0], []).append(g[1])
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("实有人口台账")
    ws.append(
        [
            "姓名",
            "公民身份号码",
            "性别",
            "出生日期",
            "联系电话",
            "现住地详址",
            "乡镇(街道)",
            "村(社区)",
            "网格",
            "民族",
            "流动人口",
        ]
    )
    rng = random.Random("bench-import")
    for k in range(rows):
        number = bench_id_number(FIRST_INDEX + k)
        male = int(number[16]) % 2 == 1
        v = villages[k % len(villages)]
        ws.append(
            [
                person_name(rng, male=male),
                number,
                "男" if male else "女",
                None,
                phone_number(rng),
                f"{v.name}{k % 40 + 1}组{k % 90 + 1}号",
                v.parent.name,
                v.name,
                grids.get(v.code, [""])[k % max(1, len(grids.get(v.code, [""])))],
                "汉族",
                "是" if k % 17 == 0 else "否",
            ]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def run(args) -> harness.Result:
    from django.db import transaction

    from anmin.core import ledgers
    from anmin.core.demo import build as build_core
    from anmin.core.models import User
    from anmin.people.importers import ResidentLedger

    build_core()
    rows = 10_000 if args.quick else ROWS
    t0 = time.perf_counter()
    data = build_ledger(rows)
    figures: dict[str, float | str] = {
        "rows": float(rows),
        "file_mb": len(data) / 1e6,
        "write_xlsx_s": time.perf_counter() - t0,
    }
    user = User.objects.get(username="pingan")
    try:
        with transaction.atomic():
            ledger = ResidentLedger(user=user)
            t0 = time.perf_counter()
            report = ledger.dry_run(data)
            dry = time.perf_counter() - t0
            assert not report.errors, report.errors[:5]
            t0 = time.perf_counter()
            result = ledger.run_import(report, mode=ledgers.ALL_OR_NOTHING)
            save = time.perf_counter() - t0
            assert result.imported == rows
            raise _Rollback
    except _Rollback:
        pass
    figures.update(
        dry_run_s=dry,
        import_s=save,
        dry_run_rows_per_s=rows / dry,
        import_rows_per_s=rows / save,
        total_rows_per_s=rows / (dry + save),
    )
    return harness.Result(NAME, figures, {"rows/s": "reported (no ceiling set)"})
