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
