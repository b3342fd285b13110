"""Province scale (opt-in: ``python -m bench --only province``): a county's queries on a province's tables.

The world (bench/province_world.py): ``ANMIN_BENCH_PROVINCE_CASES`` cases (default 20,000,000) over
160 counties, Yuzhou holding 1/20 of them, ≈3 timeline events each in the year partitions, generated
once in the bench database and ``ANALYZE``d. Run it in a database of its own
(``make bench-province``: ``anmin_bench_province``): the world does not mix with the
county world of ``make bench``.

Measured in-process, each beside the same statements replayed raw through psycopg in the same run:

* a township's case ledger (古城镇's centre, ``/workflow/cases/``) and the county's (市平安办);
* a grid worker's ledger (``/grid/``, the worker's grid), and the township's dispute ledger (``/disputes/``,
  by the day found);
* the county dashboard's stat cards (analytics: cases and grid events reported this year, disputes
  found, cases overdue) for the county user's area, and the home page's disputes card computed cold
  (its figures over the county's disputes, as the first view after a write computes them);
* a case and its timeline: the case read through ``visible_to`` and its events in order, for random
  cases of the township across the five years (a different case each time: cold pages).

Targets: ledger and case p95 ≤ 100 ms and ≤ 1.5× the raw SQL; a card ≤ 1.5× its raw SQL.
"""

from __future__ import annotations

import os
import random
import re
import time

from . import harness

NAME = "province"
DEFAULT = False  # 20M cases take about 20 minutes and 25 GB to generate: only when named
TOWNSHIP_USER, COUNTY_USER, GRID_USER = "gucheng", "pingan", "wanggeyuan"
PAGES = (
    ("township_ledger", TOWNSHIP_USER, "/workflow/cases/"),
    ("county_ledger", COUNTY_USER, "/workflow/cases/"),
    ("grid_ledger", GRID_USER, "/grid/"),
    # by the day found: the township's part from the dispute's own township index (decision 0026)
    ("township_disputes", TOWNSHIP_USER, "/disputes/"),
)


def _page(figures: dict, key: str, username: str, url: str, repeat: int) -> None:
    from django.test import Client

    from anmin.core.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    for _ in range(3):  # warm up
        resp = client.get(url)
        assert resp.status_code == 200, (url, resp.status_code)
    samples = harness.timed(lambda: client.get(url), repeat)
    ceiling = harness.page_ceiling(client, url, max(10, repeat // 5))
    _put(figures, key, harness.percentile(samples, 95), ceiling["raw_sql_p95_ms"], ceiling["queries"])


def _put(figures: dict, key: str, p95: float, raw: float, queries: float) -> None:
    figures[f"{key}_p95_ms"] = p95
    figures[f"{key}_raw_sql_p95_ms"] = raw
    figures[f"{key}_x_raw"] = p95 / raw if raw else float("nan")
    figures[f"{key}_queries"] = queries


def _replay(statements: list[str]) -> float:
    """Milliseconds to run ``statements`` raw through psycopg on a fresh-per-bench connection."""
    return harness.replay(_raw(), statements)


_conn = None


def _raw():
    global _conn
    if _conn is None:
        import psycopg

        _conn = psycopg.connect(harness.raw_dsn(), autocommit=True)
    return _conn


def _captured(fn) -> tuple[float, list[str]]:
    """(milliseconds, the SELECTs it ran) of one call of ``fn``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        fn()
        ms = (time.perf_counter() - t0) * 1000
    return ms, [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]


# The county dashboard's stat cards (analytics, for the county user's area in the world's year) and the
# home page's disputes card (computed cold: cached per scope, this is the first view after a write).
CARDS = (("card_cases_opened", "cases.opened"), ("card_grid_reported", "grid.reported"),
         ("card_disputes_found", "disputes.found"), ("card_cases_overdue", "cases.overdue"))
CARD_SECONDS = 60  # at most this long (and at least 5 samples) per card: a slow card is still reported


def _sampled(figures: dict, key: str, fn, repeat: int) -> None:
    fn()  # warm up
    ms, raw, statements, t0 = [], [], [], time.monotonic()
    while len(ms) < repeat and (len(ms) < 5 or time.monotonic() - t0 < CARD_SECONDS):
        t, statements = _captured(fn)
        ms.append(t)
        raw.append(_replay(statements))
    _put(figures, key, harness.percentile(ms, 95), harness.percentile(raw, 95), float(len(statements)))


def _cards(figures: dict, repeat: int) -> None:
    from django.test import RequestFactory

    from anmin.core import registry
    from anmin.core.models import User

    from .province_world import REFERENCE_NOW, YUZHOU

    user = User.objects.get(username=COUNTY_USER)
    kpis = {k.key: k for k in registry.kpis}
    for key, kpi in CARDS:
        _sampled(figures, key, lambda k=kpis[kpi]: k.compute(year=REFERENCE_NOW.year, region=YUZHOU + "000000",
                                                              user=user), repeat)
    request = RequestFactory().get("/")
    request.user = user
    widget = next(w for w in registry.widgets if w.key == "disputes")
    _sampled(figures, "home_disputes_card", lambda: widget.render(request), repeat)


def _case_and_timeline(figures: dict, repeat: int) -> None:
    from anmin.core.models import User
    from anmin.workflow.models import Case

    user = User.objects.get(username=TOWNSHIP_USER)
    prefix = user.scope.prefixes[0]
    ids = list(Case.objects.filter(region__code__startswith=prefix).values_list("id", flat=True)[:200_000])
    rng = random.Random("province")
    picks = rng.sample(ids, min(repeat * 2, len(ids)))
    years = set()

    def fetch(pk):
        case = Case.objects.visible_to(user).select_related("region").get(pk=pk)
        events = list(case.events.order_by("seq"))
        years.add(case.opened_at.year)
        assert events[0].action == "open"

    ms, raw = [], []
    for pk in picks[:repeat]:  # the ORM on some cases, the same statements raw on others (cold pages both)
        t, statements = _captured(lambda p=pk: fetch(p))
        ms.append(t)
    template = re.compile(rf"= {pk}\b")  # the last case's statements, for another case
    for other in picks[repeat:]:
        raw.append(_replay([template.sub(f"= {other}", sql) for sql in statements]))
    _put(figures, "case_timeline", harness.percentile(ms, 95), harness.percentile(raw, 95), float(len(statements)))
    figures["case_timeline_years"] = f"{min(years)}–{max(years)}"


def run(args) -> harness.Result:
    from django.db import connection

    from .province_world import ensure_world, sizes, target_cases

    load_before = os.getloadavg()
    t0 = time.monotonic()
    stats = ensure_world(target_cases())
    figures: dict[str, float | str] = {"cases": float(target_cases()), "generated": float(stats["generated"]),
                                       "generate_s": time.monotonic() - t0}
    with connection.cursor() as cur:
        for table, s in sizes(cur).items():
            figures[f"{table}_rows"] = float(s["rows"])
            figures[f"{table}_mb"] = f"{s['table_mb']}+{s['index_mb']}"
    repeat = 20 if args.quick else 100
    for key, username, url in PAGES:
        _page(figures, key, username, url, repeat)
    _cards(figures, 5 if args.quick else 20)
    _case_and_timeline(figures, repeat)
    figures["load_avg_before"] = "/".join(f"{x:.1f}" for x in load_before)
    figures["load_avg_after"] = "/".join(f"{x:.1f}" for x in os.getloadavg())
    return harness.Result(NAME, figures, {"ledger/case p95": "≤ 100 ms", "x_raw": "≤ 1.5× the raw SQL"})
