"""Anti-fraud: warning-lead batch ingest, the routing latency of one lead through the API, and the
mule scorer's throughput and quality on generated worlds (held-out seeds and typology mixes).

* ingest: ``intake_leads`` with batches of 500 leads (upstream ids, routed by rule) — leads/s;
* route: 50 single leads ``POST /api/v1/antifraud-leads/`` in process (Django's test client, no
  network) by a city-office user — p50/p99 ms from request to the routed lead in the answer;
* detect: ``anmin.antifraud.mules.evaluate.report`` — P/R/F1, recall at the 0.5% alert budget and
  transactions scored per second for each setting.
"""

from __future__ import annotations

import time
import uuid

from . import harness

NAME = "antifraud"


def run(args) -> harness.Result:
    from django.test import Client

    from anmin.antifraud import actions
    from anmin.antifraud.mules import evaluate
    from anmin.antifraud.rules import ensure_default_grade_rules
    from anmin.core.actors import SYSTEM
    from anmin.core.codes import load_code_tables
    from anmin.core.models import Region, Role, User

    load_code_tables()
    ensure_default_grade_rules()
    place = Region.objects.filter(level=4).order_by("code").first() or Region.objects.order_by("code").first()
    run_id = uuid.uuid4().hex[:8]
    batches = 2 if args.quick else 6
    t0 = time.perf_counter()
    made = 0
    for b in range(batches):
        items = [{"upstream_id": f"BENCH-{run_id}-{b}-{i}", "region": place.code, "victim_name": "测试",
                  "fraud_type": "01", "victim_phone": f"139{(b * 500 + i) % 10**8:08d}"} for i in range(500)]
        made += len(actions.intake_leads(actor=SYSTEM, items=items).created)
    ingest = made / (time.perf_counter() - t0)

    user = User.objects.filter(roles__code=Role.CITY_OFFICE, is_active=True).first()
    samples = []
    if user is not None:
        client = Client()
        client.force_login(user)
        for i in range(20 if args.quick else 50):
            body = {"upstream_id": f"BENCH-{run_id}-one-{i}", "region": place.code, "victim_name": "测试",
                    "fraud_type": "04", "victim_phone": f"13700{i:06d}"}
            t = time.perf_counter()
            r = client.post("/api/v1/antifraud-leads/", body, content_type="application/json")
            samples.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 201, r.content[:200]
    route = harness.summarize(samples) if samples else {"p50_ms": 0.0, "p99_ms": 0.0}
    figures: dict[str, float | str] = {"ingest_leads_per_s": ingest, "route_p50_ms": route["p50_ms"],
                                       "route_p99_ms": route["p99_ms"]}
    for q in evaluate.report(20_000 if args.quick else 50_000):
        key = q.setting.split(":")[1].strip().replace(" ", "_").replace(",", "")
        figures[f"{key}_f1"] = round(q.f1, 3)
        figures[f"{key}_recall_at_0.5%"] = round(q.recall_at_budget, 3)
        figures[f"{key}_txns_per_s"] = round(q.txns_per_second)
        print("   ", q.line(), flush=True)
    return harness.Result(NAME, figures, {"ingest": "≥ 2000 leads/s", "route p99": "≤ 35 ms",
                                          "F1": "≥ 0.70", "recall@0.5%": "≥ 0.68", "scoring": "≥ 50000 txns/s"})
