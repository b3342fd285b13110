"""Capacity of one server: the highest rate of the realistic mix it serves with p95 ≤ 1 s and no error,
500 users with realistic think times, each beside the same run's trivial-endpoint rate.

* Server: gunicorn as the intake and load benches start it (gthread, a worker per core × 4 threads, loopback).
* Load: locust, headless, in a subprocess (``bench/locustfile.py``; a gevent process of its own, so
  its monkey-patching never meets Django's threads here), talking to 127.0.0.1 only. 500 users:
  200 grid workers (API tokens; a report, then their list, in turn) and 300 office sessions (280
  township centre, 20 city; signed in through ``/login/``; the six ledger/case/API reads in turn).
* Ceiling: ``GET /healthz`` (no database, no session) by 32 users without pause for a few seconds:
  what gunicorn and Django's middleware serve on this machine with no work — the mix's capacity is
  stated as a share of it too.
* Capacity: offered rates stepped up (users × a constant throughput each); a step counts if its p95
  ≤ 1 s and it had no failure; the capacity is the highest achieved rate of a step that counts. The
  stepping stops at the first step that does not count; then the gap between the last step that
  counted and that one is halved twice (``REFINE``; 75 → 100 becomes 87, then 81 or 93), so the
  capacity is known to within ~6%, not the 25% of the coarse steps. Every step is bounded
  (``STEP_SECONDS``); ``--quick`` does not refine.
* Realistic: the same 500 users thinking like people — office staff 5–15 s, grid workers 30–90 s —
  for ``REALISTIC_SECONDS``: p95 (target ≤ 500 ms) and the rate it came to.
* Cost: the machine's busy CPU seconds (``/proc/stat``) less this bench's and locust's own — the app,
  PostgreSQL and the kernel's work for them — per request of each step and of the realistic run
  (``*_cpu_ms_per_request``): on a machine shared with other work the rates and latencies move with
  it, the cost of a request much less. The machine's background (its idle services, measured for five
  seconds with nothing offered: ``background_cpu_cores``) is taken off. Run nothing else meanwhile.
* Memory: VmRSS of every gunicorn worker after the runs (target ≤ 300 MB).
* Profile: ``BENCH_PROFILE=1`` samples the gunicorn workers with py-spy during the realistic run
  and writes a flame graph per worker to ``var/bench/`` (py-spy needs ptrace rights).

The grid events reported stay in the bench database (as the load bench's do); the sessions opened are
deleted at the end.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import subprocess
import sys
import time

from . import harness
from .bench_intake import ROOT, _free_port, _reporters
from .bench_load import _delete_sessions, _start_server, _stop_server, _wait_ready, _worker_rss_mb

NAME = "capacity"
GRID_WORKERS = 200
USERS = 500
STEPS = (5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 60, 75, 100, 125, 150, 200, 250, 300)  # offered requests/s
STEP_SECONDS = 30
REALISTIC_SECONDS = 180
TRIVIAL_SECONDS = 10
P95_LIMIT_MS = 1000.0
REFINE = 2  # steps between the last within the limit and the first over it (bisection)


def _locust(port: int, plan: dict, users: int, seconds: int, classes: list[str], tag: str) -> dict[str, float]:
    """One headless locust run; the aggregated figures of its CSV (stats reset once all users run)."""
    plan_path = harness.RESULTS_DIR / f"locust-plan-{tag}.json"
    plan_path.write_text(json.dumps(plan), encoding="utf-8")
    prefix = harness.RESULTS_DIR / f"locust-{tag}"
    spawn_rate = max(50, users // 2)
    cmd = [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
           "--host", f"http://127.0.0.1:{port}", "-u", str(users), "-r", str(spawn_rate),
           "-t", f"{seconds + users // spawn_rate + 1}s", "--reset-stats", "--csv", str(prefix),
           "--only-summary", "--loglevel", "ERROR", "--stop-timeout", "5", *classes]
    env = {**os.environ, "ANMIN_LOCUST_PLAN": str(plan_path)}
    t0 = time.monotonic()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=seconds + 120,
                          check=False)
    wall = time.monotonic() - t0
    stats_path = prefix.with_name(prefix.name + "_stats.csv")
    if not stats_path.exists():
        raise RuntimeError(f"locust wrote no statistics (exit {proc.returncode}): {proc.stderr[-2000:]}")
    with stats_path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    agg = next(r for r in rows if r["Name"] == "Aggregated")
    out = {
        "requests": float(agg["Request Count"]),
        "failures": float(agg["Failure Count"]),
        "rps": float(agg["Requests/s"]),
        "p50_ms": float(agg["50%"] or "nan"),
        "p95_ms": float(agg["95%"] or "nan"),
        "p99_ms": float(agg["99%"] or "nan"),
        "wall_s": wall,
    }
    for r in rows:
        if r["Name"] != "Aggregated" and r["95%"]:
            out[f"{r['Name']}_p95_ms"] = float(r["95%"])
    failures_path = prefix.with_name(prefix.name + "_failures.csv")
    if out["failures"] and failures_path.exists():
        with failures_path.open(encoding="utf-8") as f:
            first = next(csv.DictReader(f), None)
        if first:
            out["first_failure"] = f"{first.get('Name')}: {first.get('Error')} ×{first.get('Occurrences')}"
    return out


def _cpu() -> float:
    """CPU seconds so far of everything on the machine except this bench and the locust runs it waited
    for: the app, PostgreSQL (its backends, and its WAL writer and checkpointer, which the writes make
    work) and the kernel's work for them. Read from ``/proc/stat``, so a backend that ended between two
    readings (``CONN_MAX_AGE``) still counts — summed per process, such a step read 3–6 ms a request.
    Per request, this is what the mix costs whatever else the machine runs — a figure that travels
    better than a latency (the machine runs nothing else during a bench)."""
    with open("/proc/stat", encoding="utf-8") as f:
        ticks = [int(v) for v in f.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal: busy is all but idle and iowait
    busy = (sum(ticks[:8]) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")
    own = resource.getrusage(resource.RUSAGE_SELF)
    locust = resource.getrusage(resource.RUSAGE_CHILDREN)  # the locust runs, once waited for
    return busy - (own.ru_utime + own.ru_stime) - (locust.ru_utime + locust.ru_stime)


class _Meter:
    """CPU of the work between ``start`` and ``stop``: ``_cpu`` less the machine's background (the
    services a machine of this kind runs idle — the broker, the other databases — and the idle server),
    measured once for a few seconds with nothing offered."""

    def __init__(self, seconds: float = 5.0):
        c0, t0 = _cpu(), time.monotonic()
        time.sleep(seconds)
        self.background = (_cpu() - c0) / (time.monotonic() - t0)  # cores busy with nothing offered

    def start(self) -> None:
        self.c0, self.t0 = _cpu(), time.monotonic()

    def stop(self) -> float:
        return (_cpu() - self.c0) - self.background * (time.monotonic() - self.t0)


def _profile(server_pid: int, seconds: int) -> list[subprocess.Popen]:
    """py-spy on every gunicorn worker for ``seconds`` (flame graphs under var/bench/)."""
    pyspy = os.path.join(os.path.dirname(sys.executable), "py-spy")
    procs = []
    for pid in sorted(_children(server_pid)):
        out = harness.RESULTS_DIR / f"profile-worker-{pid}.svg"
        procs.append(subprocess.Popen([pyspy, "record", "-p", str(pid), "-d", str(seconds), "-r", "50",
                                       "-o", str(out), "--nonblocking"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    return procs


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat", encoding="utf-8").read()  # noqa: SIM115
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry))
    return out


def _sessions(share: int = 1) -> list[dict]:
    """The office sessions: the load bench's accounts and cases, signed in in-process (Django's
    ``force_login``: the session the login page makes, without hashing the password 300 times —
    the load bench signs in through ``/login/``)."""
    import random

    from django.test import Client

    from anmin.core.models import Role, User
    from anmin.workflow.models import Case

    from .bench_load import CITY_SESSIONS, CITY_USER, TOWNSHIP_SESSIONS

    townships = list(User.objects.filter(roles__code=Role.TOWNSHIP_CENTER, is_active=True)
                     .select_related("org_unit").order_by("username"))
    accounts = [(townships[i % len(townships)], townships[i % len(townships)].org_unit.region_id[:9])
                for i in range(TOWNSHIP_SESSIONS // share)]
    city = User.objects.get(username=CITY_USER)
    accounts += [(city, "411081")] * (CITY_SESSIONS // share)
    cases = {prefix: list(Case.objects.filter(region__code__startswith=prefix, is_open=True)
                          .order_by("-pk").values_list("pk", flat=True)[:50]) for prefix in {p for _u, p in accounts}}
    rng = random.Random("bench-load-pages")
    out = []
    for user, prefix in accounts:
        client = Client()
        client.force_login(user)
        out.append({"kind": "city" if user.username == CITY_USER else "township", "username": user.username,
                    "case": rng.choice(cases[prefix]), "session": client.cookies["sessionid"].value})
    return out


def run(args) -> harness.Result:

    from .bench_ledger import ensure_scale

    ensure_scale()
    quick = args.quick
    step_seconds = int(os.environ.get("BENCH_STEP_SECONDS", 10 if quick else STEP_SECONDS))
    realistic_seconds = int(os.environ.get("BENCH_REALISTIC_SECONDS", 40 if quick else REALISTIC_SECONDS))
    harness.RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    reporters = _reporters(GRID_WORKERS)
    log_path = harness.RESULTS_DIR / "capacity-gunicorn.log"
    port = _free_port()
    page_users: list[dict] = []
    figures: dict[str, float | str] = {"users": float(USERS)}
    base = {"reporters": reporters, "grid_weight": 2, "office_weight": 3}
    with log_path.open("wb") as log:
        server = _start_server(port, log)
        try:
            _wait_ready(port, server, log_path)
            page_users = _sessions()
            base["sessions"] = [{k: u[k] for k in ("kind", "session", "case")} for u in page_users]
            trivial = _locust(port, {"mode": "trivial"}, 32, 3 if quick else TRIVIAL_SECONDS, ["Trivial"], "trivial")
            figures["trivial_rps"] = trivial["rps"]
            figures["trivial_p95_ms"] = trivial["p95_ms"]
            capacity, best = 0.0, None
            meter = _Meter()
            figures["background_cpu_cores"] = meter.background
            def run_step(rate: int) -> tuple[bool, dict]:
                meter.start()
                step = _locust(port, {**base, "mode": "rate", "per_user_rps": rate / USERS}, USERS, step_seconds,
                               ["GridWorker", "OfficeStaff"], f"step-{rate}")
                # CPU over the whole locust run (spawn and stop included) per request counted after the
                # reset: slightly high, the same way before and after.
                cpu_ms = 1000 * meter.stop() / max(step["requests"], 1)
                ok = step["failures"] == 0 and step["p95_ms"] <= P95_LIMIT_MS
                print(f"    offered {rate}/s: achieved {step['rps']:.1f}/s, p95 {step['p95_ms']:.0f} ms, "
                      f"failures {step['failures']:.0f}, app+db CPU {cpu_ms:.0f} ms a request"
                      f"{'' if ok else '  (over the limit)'}", flush=True)
                figures[f"step_{rate}_cpu_ms_per_request"] = cpu_ms
                figures[f"step_{rate}_rps"] = step["rps"]
                figures[f"step_{rate}_p95_ms"] = step["p95_ms"]
                if not ok and step.get("first_failure"):
                    figures.setdefault("first_failure", step["first_failure"])
                return ok, step

            passed, failed = 0, None
            for rate in STEPS:
                ok, step = run_step(rate)
                if not ok:
                    failed = rate
                    break
                passed = rate
                if step["rps"] > capacity:
                    capacity, best = step["rps"], step
            # The steps are coarse where they matter (75, 100, 125 …): halve the gap between the last step
            # within the limit and the first over it, twice, so the capacity is known to within ~6%.
            for _ in range(0 if quick or failed is None else REFINE):
                rate = (passed + failed) // 2
                if rate in (passed, failed):
                    break
                ok, step = run_step(rate)
                if ok:
                    passed = rate
                    if step["rps"] > capacity:
                        capacity, best = step["rps"], step
                else:
                    failed = rate
            figures["capacity_rps"] = capacity
            if best is not None:
                figures["capacity_p95_ms"] = best["p95_ms"]
                figures.update({f"capacity_{k}": v for k, v in best.items() if k.endswith("_p95_ms") and k != "p95_ms"})
            figures["capacity_pct_of_trivial"] = 100.0 * capacity / trivial["rps"] if trivial["rps"] else float("nan")
            profilers = _profile(server.pid, realistic_seconds) if os.environ.get("BENCH_PROFILE") else []
            meter.start()
            real = _locust(port, {**base, "mode": "think", "grid": [30, 90], "office": [5, 15]}, USERS,
                           realistic_seconds, ["GridWorker", "OfficeStaff"], "realistic")
            for p in profilers:
                p.wait(timeout=60)
            cpu_s = meter.stop()
            time.sleep(1.0)
            rss = _worker_rss_mb(server.pid)
            figures["workers"] = float(len(rss))
            figures["max_worker_rss_mb"] = max(rss.values(), default=float("nan"))
            figures["realistic_cpu_ms_per_request"] = 1000 * cpu_s / max(real["requests"], 1)
            figures.update({
                "realistic_requests": real["requests"], "realistic_failures": real["failures"],
                "realistic_rps": real["rps"], "realistic_p50_ms": real["p50_ms"],
                "realistic_p95_ms": real["p95_ms"], "realistic_p99_ms": real["p99_ms"],
            })
        finally:
            _stop_server(server)
            _delete_sessions([u["session"] for u in page_users if u.get("session")])
    return harness.Result(NAME, figures, {
        "capacity": "≥ 150 requests/s at p95 ≤ 1 s, 0 errors (≥ 15% of the trivial endpoint's rate)",
        "realistic": "500 users p95 ≤ 500 ms, 0 errors", "rss": "≤ 300 MB"})
