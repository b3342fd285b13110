"""Run by ``anmin/tests/test_replica_live.py`` in a process of its own (top layer: it drives the grid
app), against a real primary (``DATABASE_URL``) and its streaming replica (``ANMIN_REPLICA_URLS``): a
grid worker reports an event through the API and two users read the grid-event list while the
replica's replay is paused, behind, and caught up again. Prints what each read saw and which
database served it, as JSON; the test asserts on it.

    python -m anmin.tests.replica_probe
"""

from __future__ import annotations

import json
import os
import sys
import time


def main() -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anmin.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections
    from django.test.utils import setup_test_environment
    from rest_framework.test import APIClient

    from anmin.core import dbrouting
    from anmin.core.models import Role
    from anmin.core.tests.factories import build_world
    from anmin.grid.categories import load_categories

    setup_test_environment()
    facts: dict = {"replicas": dbrouting.replica_aliases()}
    replica = connections["replica1"]

    def sql(alias: str, query: str):
        with connections[alias].cursor() as cursor:
            cursor.execute(query)
            return cursor.fetchone()[0]

    facts["primary_in_recovery"] = sql("default", "SELECT pg_is_in_recovery()")
    facts["replica_in_recovery"] = sql("replica1", "SELECT pg_is_in_recovery()")

    world = build_world()
    load_categories()

    def client(role) -> APIClient:
        c = APIClient()
        c.force_login(world.user(role))  # a session (and its cookies), as a phone app keeps
        return c

    def wait_replayed() -> float:
        lsn = sql("default", "SELECT pg_current_wal_insert_lsn()::text")
        start = time.monotonic()
        while sql("replica1", f"SELECT pg_last_wal_replay_lsn() < '{lsn}'::pg_lsn"):
            if time.monotonic() - start > 30:
                raise TimeoutError("replica did not catch up")
            time.sleep(0.01)
        return time.monotonic() - start

    worker, centre = client(Role.GRID_WORKER), client(Role.TOWNSHIP_CENTER)
    facts["setup_replayed_in"] = wait_replayed()

    def read(c, label: str, event_id=None) -> dict:
        resp = c.get("/api/v1/grid-events/")
        state = resp.wsgi_request.replica_state
        ids = {r["id"] for r in resp.json()["results"]} if resp.status_code == 200 else set()
        fact = {"status": resp.status_code, "served_by": sorted(state.chosen) or ["default"],
                "sees_event": event_id in ids if event_id else None, "rows": len(ids)}
        facts[label] = fact
        return fact

    read(centre, "before_write")
    # 1. Replay paused: the replica stays behind the primary.
    sql("replica1", "SELECT pg_wal_replay_pause()::text")
    resp = worker.post("/api/v1/grid-events/", {
        "region": world.gc_grid.code, "category": "02", "description": "民房电线私拉乱接，存在火灾隐患",
        "latitude": "34.140512", "longitude": "113.490231"}, format="json")
    facts["write_status"] = resp.status_code
    facts["pin_cookie"] = dbrouting.PIN_COOKIE in resp.cookies
    event_id = resp.json().get("id")
    read(worker, "writer_right_after", event_id)  # pinned: the primary
    read(centre, "other_while_paused", event_id)  # the replica, which has not replayed it
    # 2. The replica falls further behind than allowed: its reads go to the primary.
    settings.ANMIN_REPLICA_MAX_LAG_SECONDS = 0.5
    dbrouting.forget_health()
    time.sleep(1.0)
    read(centre, "other_when_replica_too_far_behind", event_id)
    # 3. Replay resumed: once caught up, and the writer's pin expired, everyone reads the replica.
    settings.ANMIN_REPLICA_MAX_LAG_SECONDS = 3600
    dbrouting.forget_health()
    sql("replica1", "SELECT pg_wal_replay_resume()::text")
    facts["caught_up_in"] = wait_replayed()
    time.sleep(float(settings.ANMIN_REPLICA_PIN_SECONDS) + 0.2)
    worker.cookies.pop(dbrouting.PIN_COOKIE, None)  # what the browser does when the cookie expires
    read(worker, "writer_after_pin", event_id)
    read(centre, "other_after_catch_up", event_id)
    # 4. A write sent to the replica is refused there (it is read-only); the router never sends one.
    try:
        with replica.cursor() as cursor:
            cursor.execute("CREATE TABLE anmin_probe (x int)")
        facts["replica_refuses_writes"] = False
    except Exception as exc:  # the refusal is what we look for
        facts["replica_refuses_writes"] = "read-only" in str(exc)
    # 5. Freshness under ordinary replay: a write's commit to visible on the replica.
    lags = []
    for n in range(20):
        worker.post("/api/v1/grid-events/", {
            "region": world.gc_grid.code, "category": "02", "description": f"复测 {n}",
            "latitude": "34.140512", "longitude": "113.490231"}, format="json")
        lags.append(wait_replayed())
    lags.sort()
    facts["replay_lag_ms"] = {"median": round(lags[len(lags) // 2] * 1000, 1), "max": round(lags[-1] * 1000, 1)}
    return facts


if __name__ == "__main__":
    out = main()
    sys.stdout.write("REPLICA-PROBE " + json.dumps(out, default=str) + "\n")
