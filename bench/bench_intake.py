"""Intake: grid events reported through the HTTP API by 32 concurrent clients, against the raw-SQL ceiling.

* API: a gunicorn server on a free loopback port (gthread: one worker per core × 4 threads) against
  the bench database; 32 client threads, each a grid worker with an API token, each posting its
  share of reports (``POST /api/v1/grid-events/`` with an ``Idempotency-Key``, as the phones do).
  Throughput (events/s) and p99 latency.
* Ceiling: the same rows — the number from the counter, the case, its first timeline event and the
  grid-event detail — inserted with psycopg, one transaction per item, 32 threads. The ceiling's rows
  are removed afterwards (they carry the year 2099 in their numbers).

Both loops are bounded (a fixed number of items per client) and talk to 127.0.0.1 only.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from . import harness

NAME = "intake"
CLIENTS = 32
CEILING_YEAR = 2099  # numbers of the raw-SQL rows: WG-2099-…, removed after the run
ROOT = Path(__file__).resolve().parent.parent
# gunicorn as ``anmin serve`` runs it: one process per core, four threads each (BENCH_WEB_WORKERS,
# BENCH_WEB_THREADS to try others), each response closing its connection.
WEB_WORKERS = os.environ.get("BENCH_WEB_WORKERS") or str(os.cpu_count() or 2)
WEB_THREADS = os.environ.get("BENCH_WEB_THREADS", "4")
# More of gunicorn's options for a try (``BENCH_GUNICORN_ARGS="--keep-alive 2"``: connections kept alive,
# gunicorn's default, which ``anmin serve`` turns off), split on spaces; the last of an option wins.
EXTRA_ARGS = os.environ.get("BENCH_GUNICORN_ARGS", "").split()
# The code gunicorn serves (``BENCH_APP_ROOT``: another checkout, e.g. main, to measure a before).
APP_ROOT = Path(os.environ.get("BENCH_APP_ROOT", ROOT))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(port: int, stderr=subprocess.PIPE) -> subprocess.Popen:
    """gunicorn as ``anmin serve`` runs it, for every server bench (``stderr``: a file for a long run —
    a pipe nobody reads could fill)."""
    env = {**os.environ, "ANMIN_ENV": "dev", "ANMIN_DEBUG": "0", "DJANGO_SETTINGS_MODULE": "anmin.settings"}
    cmd = [sys.executable, "-m", "gunicorn", "anmin.wsgi:application", "--bind", f"127.0.0.1:{port}",
           "--worker-class", "gthread", "--workers", WEB_WORKERS, "--threads", WEB_THREADS, "--backlog", "256",
           "--log-level", "warning", "--timeout", "60", "--keep-alive", "0", *EXTRA_ARGS]
    return subprocess.Popen(cmd, cwd=APP_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr)


def _wait_ready(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {server.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/login/")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within a minute")


def _stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _reporters(n: int) -> list[tuple[str, str]]:
    """(token, grid code) of ``n`` grid workers of the demo world."""
    from anmin.core import tokens
    from anmin.core.models import Role, User

    out = []
    users = (User.objects.filter(roles__code=Role.GRID_WORKER, username__startswith="wg", is_active=True)
             .order_by("username")[:n])
    for user in users:
        _token, key = tokens.issue(user=user)
        out.append((key, user.grids.values_list("code", flat=True).first()))
    if len(out) < n:
        raise RuntimeError("the bench needs the demo world's grid workers (anmin demo / core build)")
    return out


def _api_run(port: int, reporters, per_client: int, latencies: list[float], errors: list[str]) -> float:
    """Every client posts ``per_client`` reports; returns the wall time in seconds."""
    barrier = threading.Barrier(len(reporters) + 1)

    def client(token: str, grid: str, index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        barrier.wait()
        for i in range(per_client):
            body = json.dumps({"region": grid, "category": "04", "latitude": "34.140512", "longitude": "113.490231",
                               "description": f"基准测试上报 {index}-{i}：村道垃圾堆放"})
            t0 = time.perf_counter()
            try:
                conn.request("POST", "/api/v1/grid-events/", body=body,
                             headers={**headers, "Idempotency-Key": uuid.uuid4().hex})
                resp = conn.getresponse()
                resp.read()
                status = resp.status
            except (OSError, http.client.HTTPException) as exc:
                status = f"{type(exc).__name__}"
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            latencies.append((time.perf_counter() - t0) * 1000)
            if status != 201:
                errors.append(str(status))
        conn.close()

    threads = [threading.Thread(target=client, args=(token, grid, k)) for k, (token, grid) in enumerate(reporters)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - t0


def _ceiling_run(reporters, per_client: int, latencies: list[float]) -> float:
    """The same rows with psycopg, one transaction per item, one connection per thread."""
    import psycopg
    from django.conf import settings
    from django.utils import timezone

    from anmin.core.models import OrgUnit
    from anmin.grid.models import GridEvent
    from anmin.workflow.models import Case, CaseEvent

    from .bench_ledger import _columns, _row

    db = settings.DATABASES["default"]
    dsn = f"host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} user={db['USER']} dbname={db['NAME']}"
    case_fields, event_fields, grid_fields = _columns(Case, {}), _columns(CaseEvent, {}), _columns(GridEvent, {})

    def insert_sql(model, fields, returning=""):
        cols = ", ".join(f.column for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        return f"INSERT INTO {model._meta.db_table} ({cols}) VALUES ({marks}){returning}"

    case_sql = insert_sql(Case, case_fields, " RETURNING id")
    event_sql = insert_sql(CaseEvent, event_fields)
    grid_sql = insert_sql(GridEvent, grid_fields)
    centres = {o.region_id: o.pk for o in OrgUnit.objects.filter(kind="center")}
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("INSERT INTO workflow_casecounter (kind, year, last) VALUES ('WG', %s, 0) "
                     "ON CONFLICT (kind, year) DO NOTHING", [CEILING_YEAR])
    barrier = threading.Barrier(len(reporters) + 1)

    def worker(grid: str, index: int) -> None:
        with psycopg.connect(dsn) as conn:
            barrier.wait()
            for i in range(per_client):
                t0 = time.perf_counter()
                now = timezone.now()
                with conn.transaction():
                    last = conn.execute("UPDATE workflow_casecounter SET last = last + 1 WHERE kind = 'WG' AND "
                                        "year = %s RETURNING last", [CEILING_YEAR]).fetchone()[0]
                    case_id = conn.execute(case_sql, _row(case_fields, {
                        "kind": "WG", "number": f"WG-{CEILING_YEAR}-{last:06d}", "title": f"基准测试上报 {index}-{i}",
                        "description": "村道垃圾堆放", "region_id": grid, "status": "reported", "is_open": True,
                        "source": "网格员巡查发现", "center_org_id": centres.get(grid[:9] + "000"), "opened_at": now,
                        "stage": "intake", "stage_no": 1, "stage_started_at": now,
                        "due_at": now + dt.timedelta(days=1), "warn_at": now + dt.timedelta(hours=18),
                        "last_seq": 1, "updated_at": now})).fetchone()[0]
                    conn.execute(event_sql, _row(event_fields, {
                        "case_id": case_id, "seq": 1, "at": now, "action": "open", "label": "上报",
                        "to_state": "reported"}))
                    conn.execute(grid_sql, _row(grid_fields, {
                        "case_id": case_id, "category": "04", "found_at": now, "source": "patrol"}))
                latencies.append((time.perf_counter() - t0) * 1000)

    threads = [threading.Thread(target=worker, args=(grid, k)) for k, (_token, grid) in enumerate(reporters)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    with psycopg.connect(dsn, autocommit=True) as conn, conn.transaction():
        ids = "SELECT id FROM workflow_case WHERE number LIKE %s"
        pattern = f"WG-{CEILING_YEAR}-%"
        conn.execute(f"DELETE FROM grid_gridevent WHERE case_id IN ({ids})", [pattern])
        conn.execute(f"DELETE FROM workflow_caseevent WHERE case_id IN ({ids})", [pattern])
        conn.execute("DELETE FROM workflow_case WHERE number LIKE %s", [pattern])
        conn.execute("DELETE FROM workflow_casecounter WHERE kind = 'WG' AND year = %s", [CEILING_YEAR])
    return elapsed


def run(args) -> harness.Result:
    from .bench_ledger import ensure_scale

    ensure_scale()
    per_client = 10 if args.quick else 50
    reporters = _reporters(CLIENTS)
    port = _free_port()
    server = _start_server(port)
    latencies: list[float] = []
    errors: list[str] = []
    try:
        _wait_ready(port, server)
        _api_run(port, reporters, 3, [], [])  # warm up every worker's connections and code
        with harness.WaitSampler() as waits:
            api_seconds = _api_run(port, reporters, per_client, latencies, errors)
    finally:
        _stop_server(server)
    total = CLIENTS * per_client
    api_rate = total / api_seconds
    raw_latencies: list[float] = []
    raw_seconds = _ceiling_run(reporters, per_client, raw_latencies)
    raw_rate = total / raw_seconds
    figures: dict[str, float | str] = {
        "events": float(total),
        "api_events_per_s": api_rate,
        "api_p50_ms": harness.percentile(latencies, 50),
        "api_p99_ms": harness.percentile(latencies, 99),
        "api_errors": float(len(errors)),
        "sql_events_per_s": raw_rate,
        "sql_p99_ms": harness.percentile(raw_latencies, 99),
        "ratio_pct": 100.0 * api_rate / raw_rate,
        # Backends (of the server's 8 threads' connections) busy, and waiting for the audit chain's lock.
        "api_db_busy": waits.waiting("busy"),
        "api_chain_lock_waiting": waits.waiting("Lock:advisory"),
    }
    if errors:
        figures["first_error"] = errors[0]
    return harness.Result(NAME, figures, {"ratio": "≥ 50% of the raw-SQL ceiling", "p99": "≤ 150 ms"})
