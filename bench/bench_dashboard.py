"""The city user's home page (its KPI cards) at benchmark scale, and whether it is right at once after a write.

* Timing: the city user ("pingan", 市平安办) asks for ``/`` in-process with Django's test client (first
  warmed up); p95 over N requests. The page renders every card the user's roles allow (core, workflow,
  disputes, people widgets in ``core.registry.widgets``); each card's ``render`` is also timed on its
  own, so a miss shows which card dominates.
* Freshness: the disputes card shows "<year>年排查纠纷", the disputes found in the newest year on
  record. The bench reads that figure from the page, registers one dispute found in that year through
  ``disputes.actions.report_dispute`` (as the township centre user), asks for the page again and
  checks that the figure moved by exactly one. The write and the second read run inside one
  transaction that is rolled back afterwards, so the bench database keeps no trace of it (only the
  case-number sequence advances by one). Any cache between the records and the page would show here.
"""

from __future__ import annotations

import datetime as dt
import re
import time

from . import harness

NAME = "dashboard"
CITY_USER = "pingan"
WRITER = "gucheng"  # the demo township centre (古城镇)
FOUND_RE = re.compile(r"<dt>(\d{4})年排查纠纷</dt><dd>([\d,]+)</dd>")


class _Rollback(Exception):
    pass


def _found_figure(html: str) -> tuple[int, int]:
    """(year, count) of the disputes card's "<year>年排查纠纷" figure."""
    m = FOUND_RE.search(html)
    if m is None:
        raise AssertionError("the city home page shows no '年排查纠纷' figure")
    return int(m.group(1)), int(m.group(2).replace(",", ""))


def _widget_times(user, repeat: int) -> dict[str, float]:
    """Median milliseconds of each card's ``render`` for ``user`` (what the home page calls)."""
    from django.test import RequestFactory

    from anmin.core import registry

    request = RequestFactory().get("/")
    request.user = user
    out = {}
    for widget in sorted(registry.widgets, key=lambda w: w.order):
        if not widget.allowed(user):
            continue
        widget.render(request)  # warm up
        samples = harness.timed(lambda w=widget: w.render(request), repeat)
        out[widget.key] = harness.percentile(samples, 50)
    return out


def _fresh_after_write(client) -> tuple[bool, str]:
    """Read the found-disputes figure, register one dispute in that year, read again: +1 exactly?"""
    from django.db import transaction

    from anmin.core import clock
    from anmin.core.demo import DEMO_TOWNSHIP
    from anmin.core.models import Region, User
    from anmin.disputes import actions

    resp = client.get("/")
    assert resp.status_code == 200, resp.status_code
    year, before = _found_figure(resp.content.decode())
    today = clock.today()
    found_on = today if year >= today.year else dt.date(year, 12, 31)
    writer = User.objects.get(username=WRITER)
    village = Region.objects.villages().filter(code__startswith=DEMO_TOWNSHIP[:9]).order_by("code").first()
    detail, ok = "", False
    try:
        with transaction.atomic():
            actions.report_dispute(
                actor=writer, title="基准测试：邻里宅基地纠纷", region=village, category="0101", found_on=found_on,
                parties=[{"name": "基准测试甲", "role": "applicant"}, {"name": "基准测试乙", "role": "respondent"}],
                description="仪表盘写后即读检查（事务回滚，不留记录）",
            )
            resp = client.get("/")
            assert resp.status_code == 200, resp.status_code
            year_after, after = _found_figure(resp.content.decode())
            detail = f"{year}年排查纠纷 {before} → {after}"
            if year_after != year:
                detail += f" (the card now shows {year_after})"
            ok = year_after == year and after == before + 1
            raise _Rollback
    except _Rollback:
        pass
    # After the rollback the page is back where it was.
    resp = client.get("/")
    _, again = _found_figure(resp.content.decode())
    if again != before:
        return False, detail + f"; after rollback {again}"
    return ok, detail


def run(args) -> harness.Result:
    from django.test import Client

    from anmin.core.models import User

    from .bench_ledger import ensure_scale

    ensure_scale()
    repeat = 20 if args.quick else 100
    user = User.objects.get(username=CITY_USER)
    client = Client()
    client.force_login(user)
    for _ in range(3):  # warm up
        resp = client.get("/")
        assert resp.status_code == 200, resp.status_code
    t0 = time.perf_counter()
    samples = harness.timed(lambda: client.get("/"), repeat)
    figures: dict[str, float | str] = {
        "requests": float(repeat),
        "city_home_p50_ms": harness.percentile(samples, 50),
        "city_home_p95_ms": harness.percentile(samples, 95),
        "seconds": time.perf_counter() - t0,
    }
    # The same run's ceiling: the page's statements, replayed raw (a cold cache: the first view after a
    # write computes every card), and the page's query count and SQL time.
    from django.core.cache import caches

    caches["default"].clear()
    cold = harness.page_ceiling(client, "/", 10 if args.quick else 20)
    figures["cold_queries"] = cold["queries"]
    figures["cold_sql_ms"] = cold["sql_ms"]
    figures["cold_raw_sql_p95_ms"] = cold["raw_sql_p95_ms"]
    cold_samples = []
    for _ in range(5 if args.quick else 10):
        caches["default"].clear()
        cold_samples.extend(harness.timed(lambda: client.get("/"), 1))
    figures["cold_home_p95_ms"] = harness.percentile(cold_samples, 95)
    figures["cold_x_raw"] = figures["cold_home_p95_ms"] / cold["raw_sql_p95_ms"]
    warm = harness.page_ceiling(client, "/", 10 if args.quick else 20)
    figures["warm_queries"] = warm["queries"]
    figures["warm_raw_sql_p95_ms"] = warm["raw_sql_p95_ms"]
    figures["warm_x_raw"] = figures["city_home_p95_ms"] / warm["raw_sql_p95_ms"]
    for key, ms in _widget_times(User.objects.get(username=CITY_USER), 5 if args.quick else 10).items():
        figures[f"card_{key}_p50_ms"] = ms
    ok, detail = _fresh_after_write(client)
    figures["fresh_after_write"] = 1.0 if ok else 0.0
    figures["fresh_detail"] = detail
    return harness.Result(NAME, figures, {"p95": "≤ 300 ms (cached cards)", "cold p95": "≤ 1.5× its raw SQL",
                                          "fresh_after_write": "1.0"})
