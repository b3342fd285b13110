"""The city dashboard (/analytics/) at benchmark scale (1M cases) and right after a write; the
year-end report generated from the same database.

* Timing: the city user asks for ``/analytics/`` and ``/analytics/data/`` in-process (first warmed
  up); p95 over N requests each.
* Right after a write: the page's "排查矛盾纠纷" stat is read from ``/analytics/data/``, a dispute is
  registered in 古城镇 through ``disputes.actions.report_dispute`` inside a transaction that is rolled
  back afterwards, the data is asked for again (timed: the first read after a write) and the figure
  must have moved by exactly one.
* Report: ``render_report("annual", year=2020)`` + DOCX (+ PDF when LibreOffice is present), timed.
"""

from __future__ import annotations

import datetime as dt
import time

from . import harness

NAME = "analytics"
CITY_USER = "pingan"
WRITER = "gucheng"


class _Rollback(Exception):
    pass


def _found(client, year: int) -> int:
    data = client.get(f"/analytics/data/?year={year}").json()
    return next(s for s in data["stats"] if s["key"] == "stat.disputes_found")["value"]


def _cold(client, year: int) -> dict[str, float]:
    """The city's first view with nothing kept (every figure counted): its time and statements."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        t0 = time.perf_counter()
        assert client.get(f"/analytics/?year={year}").status_code == 200
        ms = (time.perf_counter() - t0) * 1000
    return {"dashboard_cold_ms": ms, "dashboard_cold_statements": len(queries.captured_queries),
            "dashboard_cold_sql_ms": sum(float(q["time"]) for q in queries.captured_queries) * 1000}


def run(args) -> harness.Result:
    from django.db import transaction
    from django.test import Client

    from anmin.analytics.reports.docx_writer import write_docx
    from anmin.analytics.reports.render import render_report
    from anmin.core.demo import DEMO_TOWNSHIP
    from anmin.core.documents.pdf import PdfUnavailable, docx_to_pdf
    from anmin.core.models import Region, User
    from anmin.disputes import actions

    from .bench_ledger import ensure_scale

    ensure_scale()
    year = 2020
    repeat = 20 if args.quick else 100
    client = Client()
    client.force_login(User.objects.get(username=CITY_USER))
    figures: dict[str, float | str] = _cold(client, year)
    for _ in range(2):
        assert client.get(f"/analytics/?year={year}").status_code == 200
    page = harness.timed(lambda: client.get(f"/analytics/?year={year}"), repeat)
    data = harness.timed(lambda: client.get(f"/analytics/data/?year={year}"), repeat)
    figures |= {
        "dashboard_p50_ms": harness.percentile(page, 50), "dashboard_p95_ms": harness.percentile(page, 95),
        "data_p50_ms": harness.percentile(data, 50), "data_p95_ms": harness.percentile(data, 95),
    }
    before = _found(client, year)
    writer = User.objects.get(username=WRITER)
    village = Region.objects.villages().filter(code__startswith=DEMO_TOWNSHIP[:9]).order_by("code").first()
    ok, after_ms, after = False, 0.0, None
    try:
        with transaction.atomic():
            actions.report_dispute(
                actor=writer, title="基准测试：邻里纠纷", region=village, category="0101",
                found_on=dt.date(year, 12, 1), description="写后即读检查（回滚）",
                parties=[{"name": "基准甲", "role": "applicant"}, {"name": "基准乙", "role": "respondent"}])
            t0 = time.perf_counter()
            after = _found(client, year)
            after_ms = (time.perf_counter() - t0) * 1000
            ok = after == before + 1
            raise _Rollback
    except _Rollback:
        pass
    figures.update(fresh_after_write=1.0 if ok else 0.0, fresh_detail=f"{before} → {after}",
                   first_read_after_write_ms=after_ms)
    t0 = time.perf_counter()
    doc = render_report("annual", year=year, use_cache=False)
    blob = write_docx(doc)
    figures["report_docx_s"] = time.perf_counter() - t0
    try:
        t1 = time.perf_counter()
        docx_to_pdf(blob)
        figures["report_pdf_s"] = time.perf_counter() - t1
    except PdfUnavailable as exc:
        figures["report_pdf_s"] = str(exc)[:60]
    return harness.Result(NAME, figures, {"dashboard_p95": "≤ 300 ms", "fresh_after_write": "1.0",
                                          "report": "≤ 30 s"})
