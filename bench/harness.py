"""Shared helpers for benchmarks: Django set-up on the bench database, timing, percentiles, reports."""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

RESULTS_DIR = Path(os.environ.get("ANMIN_VAR_DIR", Path(__file__).resolve().parent.parent / "var")) / "bench"


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anmin.settings")
    os.environ.setdefault("ANMIN_ENV", "dev")
    os.environ.setdefault("ANMIN_DEBUG", "0")
    import django

    django.setup()


def ensure_database() -> None:
    """Create the bench database if it does not exist (never touches other databases)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("postgresql"):
        raise SystemExit("make bench runs against PostgreSQL: set BENCH_DATABASE_URL=postgres://…")
    import psycopg

    dsn = f"host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} user={db['USER']} dbname=postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')


def percentile(samples: list[float], p: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Milliseconds per call."""
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


@dataclass
class Result:
    bench: str
    figures: dict[str, float | str] = field(default_factory=dict)
    targets: dict[str, str] = field(default_factory=dict)

    def line(self) -> str:
        parts = [f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in self.figures.items()]
        tgt = f"  (targets: {', '.join(f'{k} {v}' for k, v in self.targets.items())})" if self.targets else ""
        return f"{self.bench:<10} " + "  ".join(parts) + tgt


def summarize(samples: list[float]) -> dict[str, float]:
    return {
        "n": float(len(samples)),
        "mean_ms": statistics.fmean(samples),
        "p50_ms": percentile(samples, 50),
        "p95_ms": percentile(samples, 95),
        "p99_ms": percentile(samples, 99),
    }


def save(results: list[Result]) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"results-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps([r.__dict__ for r in results], ensure_ascii=False, indent=2), encoding="utf-8")
    return path


# -- same-run ceilings and the database's settings (benchmarks that travel between machines) ---------
PG_SETTINGS = ("server_version", "shared_buffers", "effective_cache_size", "work_mem", "maintenance_work_mem",
               "max_connections", "max_parallel_workers_per_gather", "random_page_cost", "jit",
               "synchronous_commit", "fsync", "wal_level", "max_wal_size", "autovacuum")


def vacuum() -> None:
    """``VACUUM (ANALYZE)`` the bench database, as autovacuum keeps a production one: planner statistics
    and the visibility map (without it an index-only scan reads the table too). This machine's
    PostgreSQL runs with ``autovacuum = off``; a world generated or grown by an earlier bench (the
    intake and load benches leave their grid events) was never vacuumed — a township's ledger read its
    rows from the heap at 3× the cost. Seconds when little has changed."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def raw_dsn() -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    dsn = f"host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} user={db['USER']} dbname={db['NAME']}"
    options = db.get("OPTIONS", {}).get("options")  # the app's planner settings: the same plans raw
    return f"{dsn} options='{options}'" if options else dsn


def pg_settings() -> dict[str, str]:
    """The PostgreSQL settings a figure depends on (printed and saved beside the results)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT name, current_setting(name) FROM pg_settings WHERE name = ANY(%s)", [list(PG_SETTINGS)])
        rows = dict(cursor.fetchall())
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname IS NOT NULL")
        rows["backends_now"] = str(cursor.fetchone()[0])
    return {k: rows[k] for k in (*PG_SETTINGS, "backends_now") if k in rows}


def replay(conn, statements: list[str]) -> float:
    """Milliseconds to run ``statements`` (as Django logged them) raw through the psycopg ``conn``."""
    t0 = time.perf_counter()
    for sql in statements:
        with conn.cursor() as cur:
            cur.execute(sql.replace("%", "%%"))
            if cur.description is not None:
                cur.fetchall()
    return (time.perf_counter() - t0) * 1000


def page_ceiling(client, url: str, repeat: int) -> dict[str, float]:
    """What a page costs in the database, measured in the same run: its query count and SQL time
    (one request, as Django times them), and the same statements replayed raw through psycopg
    ``repeat`` times on one connection (the ceiling an in-process page cannot beat)."""
    import psycopg
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200, (url, resp.status_code)
    # The reads (a page's own writes, e.g. a renewed session, are not replayed).
    statements = [q["sql"] for q in ctx.captured_queries
                  if q["sql"].lstrip().upper().startswith(("SELECT", "WITH", "EXPLAIN"))]
    sql_ms = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
    with psycopg.connect(raw_dsn(), autocommit=True) as conn:
        samples = [replay(conn, statements) for _ in range(repeat + 2)][2:]  # after two to warm up
    return {"queries": float(len(statements)), "sql_ms": sql_ms, "raw_sql_p95_ms": percentile(samples, 95)}


class WaitSampler:
    """What the bench database's busy backends wait on while a load runs: ``pg_stat_activity`` read
    every 20 ms from its own connection (bounded: it stops with the block). ``waiting(kind)`` is the
    mean number of backends in that wait (``Lock:advisory`` — the audit chain's lock), ``busy`` the
    mean number not idle. A figure that travels: it says where a run's time went on any machine."""

    def __init__(self, interval: float = 0.02):
        import threading

        self.interval, self.samples, self.counts = interval, 0, {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psycopg
        from django.conf import settings

        name = settings.DATABASES["default"]["NAME"]
        with psycopg.connect(raw_dsn(), autocommit=True) as conn:
            while not self._stop.wait(self.interval):
                rows = conn.execute(
                    "SELECT COALESCE(wait_event_type, '') || ':' || COALESCE(wait_event, '') FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid() AND state <> 'idle'", [name]).fetchall()
                self.samples += 1
                for (wait,) in rows:
                    self.counts[wait] = self.counts.get(wait, 0) + 1
                self.counts["busy"] = self.counts.get("busy", 0) + len(rows)

    def __enter__(self) -> WaitSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def waiting(self, kind: str) -> float:
        return self.counts.get(kind, 0) / self.samples if self.samples else float("nan")
