"""A 矛盾纠纷排查化解台账 in the shape offices keep it, at scale, through the ledger framework.

The file has two title rows, a two-row merged header (当事人基本情况 over 姓名 / 身份证号码 / 联系电话 /
住址), flat category names, short village names (古城村 for 古城村委会), four date styles and notes
under the table. Timed: the dry run of ``ANMIN_BENCH_REAL_ROWS`` rows (100,000: read with calamine,
header detection, every parser and check, the person-register warning), with the process's peak
memory; and the import of the first ``ANMIN_BENCH_REAL_IMPORT_ROWS`` (5,000) through the disputes'
bulk action (import_past_disputes per batch, parties linked to the person register), with the
number of SQL statements it ran (``import_queries``: it must not grow with the rows). Everything is
rolled back afterwards. A smaller run: ``ANMIN_BENCH_REAL_ROWS=5000 python -m bench --only realledger``.
"""

from __future__ import annotations

import os
import resource
import time

from . import harness

NAME = "realledger"
ROWS = int(os.environ.get("ANMIN_BENCH_REAL_ROWS", "100000"))
IMPORT_ROWS = int(os.environ.get("ANMIN_BENCH_REAL_IMPORT_ROWS", "5000"))


class _Rollback(Exception):
    pass


def build(rows: int) -> bytes:
    import datetime as dt
    import json
    import random

    from openpyxl import Workbook

    from anmin.core.models import Region
    from anmin.core.regions_io import short_names
    from anmin.disputes.importers import DATA

    from .bench_lookup import bench_id_number

    categories = list(json.loads((DATA / "category_synonyms.json").read_text(encoding="utf-8"))["synonyms"])
    villages = [(v.parent.name, (short_names(v.name) or [v.name])[0])
                for v in Region.objects.villages().select_related("parent").order_by("code")]
    rng = random.Random("bench-realledger")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append(["禹州市矛盾纠纷排查化解台账"])
    ws.append(["填报单位（盖章）：禹州市平安办", None, None, None, None, None, None, None, "填报时间：2020年12月31日"])
    ws.append(["序号", "纠纷简要情况", "纠纷类型", "乡镇", "发生地点", "当事人基本情况", None, None, None, "排查时间",
               "化解时限", "化解情况", "化解责任单位", "责任人", "涉及人数", "备注"])
    ws.append([None, None, None, None, None, "姓名", "身份证号码", "联系电话", "住址"])
    styles = ("{:%Y-%m-%d}", "{:%Y/%-m/%-d}", "{:%Y.%-m.%-d}", "{:%Y年%-m月%-d日}")
    first = dt.date(2020, 1, 2)
    for k in range(rows):
        township, village = villages[k % len(villages)]
        day = first + dt.timedelta(days=k % 300)
        found = styles[k % 4].format(day) if k % 5 else day
        ws.append([k + 1, f"第{k + 1}号纠纷", categories[k % len(categories)], township, village, f"当事人{k}",
                   bench_id_number(7_000_000 + k), f"137{k:08d}", f"{township}{village}{k % 9 + 1}组",
                   found, f"{day + dt.timedelta(days=30):%Y-%m-%d}", ("正在化解", "已化解", "未化解")[k % 3],
                   "调委会", "张三", rng.randint(2, 9), None])
    ws.append(["填表人：张三", None, None, "审核人：李四"])
    import io

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def run(args) -> harness.Result:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from anmin.core import ledgers
    from anmin.core.demo import build as build_core
    from anmin.core.models import User
    from anmin.disputes.importers import DisputeLedger

    build_core()
    rows = 10_000 if args.quick else ROWS
    t0 = time.perf_counter()
    data = build(rows)
    figures: dict[str, float | str] = {"rows": float(rows), "file_mb": len(data) / 1e6,
                                       "write_xlsx_s": time.perf_counter() - t0}
    user = User.objects.get(username="pingan")
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    report = DisputeLedger(user=user).dry_run(data, filename="台账.xlsx")
    dry = time.perf_counter() - t0
    assert not report.file_errors, report.file_errors[:3]
    assert report.new_count == rows, report.errors[:5]
    figures.update(dry_run_s=dry, dry_run_rows_per_s=rows / dry,
                   peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, rss_before_mb=rss0)
    part = report.rows[:IMPORT_ROWS]
    report.rows = part
    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            result = DisputeLedger(user=user).run_import(report, mode=ledgers.VALID_ONLY)
            took = time.perf_counter() - t0
            statements = len(queries)
            assert result.imported == len(part)
            raise _Rollback
    except _Rollback:
        pass
    figures.update(import_rows=float(len(part)), import_s=took, import_rows_per_s=len(part) / took,
                   import_queries=float(statements))
    return harness.Result(NAME, figures, {"dry_run_rows_per_s": ">= 5000"})
