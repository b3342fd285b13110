"""Anti-fraud: warning-lead batch ingest, the routing latency of one lead through the API, and the
mule scorer's throughput and quality on generated worlds (held-out seeds and typology mixes).

Both speed figures stand beside a ceiling measured in the same run, on the same machine — the same
rows written by the database alone (``INSERT … SELECT`` copies of the cases, their timeline entries
and their leads, committed, then removed) — and the load average is printed with them: the machine is
shared, and every wall-clock figure moves with what else runs.

* ingest: ``intake_leads`` with batches of 500 leads (upstream ids, routed by rule), after an untimed
  batch of 10 (the process's first builds the URL resolver) and ``core.serving.settle()`` (what a web
  worker does at start) — leads/s, its share of the ceiling (``ingest_sql_leads_per_s``: each batch's
  rows in one transaction), the statements per batch and the process's CPU
  (``ingest_cpu_leads_per_s``: the rate with a core to itself, database waits excluded);
* route: 200 single leads ``POST /api/v1/antifraud-leads/`` in process (Django's test client, no
  network) by a city-office user, after one untimed request and ``settle()`` — p50/p99 ms from request
  to the routed lead in the answer; beside them the ceiling (``route_sql_p50_ms``/``p99``: each of
  those leads' rows copied in a transaction of its own), the round trips to the database per request,
  the time Django measured in them and the process's CPU per request;
* detect: ``anmin.antifraud.mules.evaluate.report`` — P/R/F1, recall at the 0.5% alert budget and
  transactions scored per second for each setting.
"""

from __future__ import annotations

import os
import time
import uuid

from . import harness

NAME = "antifraud"


def run(args) -> harness.Result:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from anmin.antifraud import actions
    from anmin.antifraud.mules import evaluate
    from anmin.antifraud.rules import ensure_default_grade_rules
    from anmin.core.actors import SYSTEM
    from anmin.core.codes import load_code_tables
    from anmin.core.models import Region, Role, User
    from anmin.core.serving import settle

    load_code_tables()
    ensure_default_grade_rules()
    place = Region.objects.filter(level=4).order_by("code").first() or Region.objects.order_by("code").first()
    run_id = uuid.uuid4().hex[:8]
    batches = 2 if args.quick else 6
    made, cpu, wall = 0, 0.0, 0.0
    batch_ids: list[list[int]] = []
    load_before = os.getloadavg()[0]

    def batch(b: int) -> list[dict]:
        return [{"upstream_id": f"BENCH-{run_id}-{b}-{i}", "region": place.code, "victim_name": "测试",
                 "fraud_type": "01", "victim_phone": f"139{(b * 500 + i) % 10**8:08d}"} for i in range(500)]

    # Untimed: a process's first batch builds the URL resolver (the stations' messages link the board),
    # about half a CPU-second here that a server pays once, at start (``settle``).
    actions.intake_leads(actor=SYSTEM, items=batch(-1)[:10])
    settle()
    for b in range(batches):
        items = batch(b)
        t, c = time.perf_counter(), time.process_time()
        created = actions.intake_leads(actor=SYSTEM, items=items).created
        wall += time.perf_counter() - t
        cpu += time.process_time() - c
        made += len(created)
        batch_ids.append([lead.case_id for lead in created])
    with CaptureQueriesContext(connection) as ctx:  # one more batch, untimed: its statements
        actions.intake_leads(actor=SYSTEM, items=batch(batches))
    statements = len(ctx.captured_queries)
    ingest = made / wall
    ceiling_s = _sql_ceiling(batch_ids, run_id)
    ceiling = made / sum(ceiling_s) if ceiling_s else 0.0

    user = User.objects.filter(roles__code=Role.CITY_OFFICE, is_active=True).first()
    samples, sql_ms, cpu_ms, trips, route_ids = [], [], [], [], []
    if user is not None:
        client = Client()
        client.force_login(user)
        # Untimed: a process's first request builds the URL resolver and the API's serializers (a
        # server pays it once, at start), which would otherwise be this sample's worst.
        r = client.post("/api/v1/antifraud-leads/", {"upstream_id": f"BENCH-{run_id}-warm", "region": place.code,
                        "victim_name": "测试", "fraud_type": "04", "victim_phone": "13699999999"},
                        content_type="application/json")
        assert r.status_code == 201, r.content[:200]
        settle()
        for i in range(40 if args.quick else 200):
            body = {"upstream_id": f"BENCH-{run_id}-one-{i}", "region": place.code, "victim_name": "测试",
                    "fraud_type": "04", "victim_phone": f"13700{i:06d}"}
            t, c = time.perf_counter(), time.process_time()
            r = client.post("/api/v1/antifraud-leads/", body, content_type="application/json")
            samples.append((time.perf_counter() - t) * 1000)
            cpu_ms.append((time.process_time() - c) * 1000)
            assert r.status_code == 201, r.content[:200]
            route_ids.append([r.json()["case_id"]])
        for i in range(5):  # untimed: the round trips and the time Django measured in them
            body = {"upstream_id": f"BENCH-{run_id}-sql-{i}", "region": place.code, "victim_name": "测试",
                    "fraud_type": "04", "victim_phone": f"13600{i:06d}"}
            with CaptureQueriesContext(connection) as ctx:
                r = client.post("/api/v1/antifraud-leads/", body, content_type="application/json")
            assert r.status_code == 201, r.content[:200]
            trips.append(len(ctx.captured_queries))
            sql_ms.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
    route = harness.summarize(samples) if samples else {"p50_ms": 0.0, "p99_ms": 0.0}
    route_ceiling = [seconds * 1000 for seconds in _sql_ceiling(route_ids, run_id)] or [0.0]
    figures: dict[str, float | str] = {
        "ingest_leads_per_s": ingest, "ingest_sql_leads_per_s": ceiling,
        "ingest_share_of_ceiling": f"{ingest / ceiling:.0%}" if ceiling else "-",
        "ingest_cpu_leads_per_s": made / cpu, "ingest_statements_per_batch": statements,
        "route_p50_ms": route["p50_ms"], "route_p99_ms": route["p99_ms"],
        "route_sql_p50_ms": harness.percentile(route_ceiling, 50),
        "route_sql_p99_ms": harness.percentile(route_ceiling, 99),
        "route_round_trips": max(trips, default=0), "route_django_sql_p50_ms": harness.percentile(sql_ms, 50),
        "route_cpu_p50_ms": harness.percentile(cpu_ms, 50),
        "load_average": f"{load_before:.1f}→{os.getloadavg()[0]:.1f}"}
    for q in evaluate.report(20_000 if args.quick else 50_000):
        key = q.setting.split(":")[1].strip().replace(" ", "_").replace(",", "")
        figures[f"{key}_f1"] = f"{q.f1:.3f}"
        figures[f"{key}_recall_at_0.5%"] = f"{q.recall_at_budget:.3f}"
        figures[f"{key}_txns_per_s"] = round(q.txns_per_second)
        print("   ", q.line(), flush=True)
    return harness.Result(NAME, figures, {"ingest": "≥ 2000 leads/s", "route p99": "≤ 35 ms",
                                          "F1": "≥ 0.70", "recall@0.5%": "≥ 0.68", "scoring": "≥ 50000 txns/s"})


CEILING_YEAR = 2099  # numbers of the ceiling's copies: YJ-2099-…, removed after the run


def _sql_ceiling(batch_ids: list[list[int]], run_id: str) -> list[float]:
    """Seconds per transaction when the database alone writes the same rows: each batch's cases, their
    timeline entries and their leads copied server-side (``INSERT … SELECT``, new ids from the
    sequences, new numbers and upstream ids), one committed transaction per batch; the copies are
    removed after."""
    import psycopg

    from anmin.antifraud.models import Lead
    from anmin.workflow.models import Case, CaseEvent

    def columns(model, replace: dict[str, str]) -> tuple[str, str]:
        cols = [f.column for f in model._meta.concrete_fields]
        return ", ".join(cols), ", ".join(replace.get(c, f"t.{c}") for c in cols)

    case_cols, case_vals = columns(Case, {
        "id": "m.new", "number": f"'YJ-{CEILING_YEAR}-' || lpad((%(base)s + m.k)::text, 6, '0')"})
    event_cols, event_vals = columns(CaseEvent, {
        "id": "nextval(pg_get_serial_sequence('workflow_caseevent', 'id'))", "case_id": "m.new"})
    lead_cols, lead_vals = columns(Lead, {
        "id": "nextval(pg_get_serial_sequence('antifraud_lead', 'id'))", "case_id": "m.new",
        "upstream_id": "'CEIL-' || t.upstream_id"})
    sql = f"""
        WITH m AS (SELECT id AS old, nextval(pg_get_serial_sequence('workflow_case', 'id')) AS new,
                          row_number() OVER (ORDER BY id) AS k
                   FROM workflow_case WHERE id = ANY(%(ids)s)),
             c AS (INSERT INTO workflow_case ({case_cols})
                   SELECT {case_vals} FROM workflow_case t JOIN m ON t.id = m.old RETURNING 1),
             e AS (INSERT INTO workflow_caseevent ({event_cols})
                   SELECT {event_vals} FROM workflow_caseevent t JOIN m ON t.case_id = m.old RETURNING 1)
        INSERT INTO antifraud_lead ({lead_cols})
        SELECT {lead_vals} FROM antifraud_lead t JOIN m ON t.case_id = m.old"""
    seconds = []
    with psycopg.connect(harness.raw_dsn()) as conn:
        for b, ids in enumerate(batch_ids):
            t0 = time.perf_counter()
            with conn.transaction():
                conn.execute(sql, {"ids": ids, "base": b * 1000})
            seconds.append(time.perf_counter() - t0)
        with conn.transaction():
            pattern = f"YJ-{CEILING_YEAR}-%"
            conn.execute("DELETE FROM antifraud_lead WHERE upstream_id LIKE %s", [f"CEIL-BENCH-{run_id}-%"])
            conn.execute("DELETE FROM workflow_caseevent WHERE case_id IN "
                         "(SELECT id FROM workflow_case WHERE number LIKE %s)", [pattern])
            conn.execute("DELETE FROM workflow_case WHERE number LIKE %s", [pattern])
    return seconds
