"""Where the time goes under load: one step of the capacity mix at a fixed rate, with the CPU of gunicorn,
PostgreSQL and locust read apart and every statement slower than a threshold logged by PostgreSQL.

    python -m bench.underload --rate 40 --seconds 30 [--slow-ms 15]

Not a bench of its own (``make bench`` does not run it): the tool decision 0024's figures were found
with. It starts gunicorn on the bench database as ``bench_capacity`` does, signs in the same 500 users,
sets ``log_min_duration_statement`` on the bench database for the run (reset afterwards), runs one
locust step at ``--rate`` requests/s, and prints the step's rate and p95, the CPU of each group of
processes in cores (from ``/proc``, the middle of the step) and the slow statements grouped by their
first words: how many, their total time, the slowest. The server's log is found by
``pg_current_logfile()`` or, on Debian without the logging collector, ``/var/log/postgresql``.
Loopback only; the step ends by itself.
"""

from __future__ import annotations

import argparse
import collections
import glob
import os
import re
import threading
import time

from . import harness

GROUPS = (("gunicorn", "gunicorn"), ("postgres", "postgres"), ("locust", "locust"))


def _cpu_ticks() -> dict[str, int]:
    out: dict[str, int] = collections.Counter()
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().decode(errors="replace")
        except OSError:
            continue
        group = next((name for name, needle in GROUPS if needle in cmd), "other")
        out[group] += int(fields[11]) + int(fields[12])
    return out


def _cpu_split(seconds: float) -> dict[str, float]:
    """Cores used by each group over ``seconds`` (a process that ends meanwhile is not counted)."""
    before, t0 = _cpu_ticks(), time.monotonic()
    time.sleep(seconds)
    after, elapsed = _cpu_ticks(), time.monotonic() - t0
    hz = os.sysconf("SC_CLK_TCK")
    return {g: (after[g] - before.get(g, 0)) / hz / elapsed for g in after}


def _log_file(conn) -> str | None:
    name = conn.execute("SELECT pg_current_logfile()").fetchone()[0]
    if name:
        directory = conn.execute("SHOW data_directory").fetchone()[0]
        return name if name.startswith("/") else os.path.join(directory, name)
    found = sorted(glob.glob("/var/log/postgresql/postgresql-*.log"), key=os.path.getmtime)
    return found[-1] if found else None


_SLOW = re.compile(r"duration: ([\d.]+) ms\s+statement: (.*)")


def _shape(sql: str) -> str:
    """The statement's first words, its literals and numbers blanked: what groups it with its kind."""
    text = re.sub(r"\d+", "N", re.sub(r"'[^']*'", "?", sql))
    head = re.sub(r'SELECT "\w+"\."\w+"(, "\w+"\."\w+")*', "SELECT …", text)
    return head[:110]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=40.0, help="requests/s offered (default 40)")
    parser.add_argument("--seconds", type=int, default=30, help="length of the step (default 30)")
    parser.add_argument("--slow-ms", type=int, default=15, help="log statements slower than this (default 15)")
    args = parser.parse_args()
    harness.setup_django()
    import psycopg

    from . import bench_capacity as capacity

    dsn, name = harness.raw_dsn(), _database_name()
    admin = psycopg.connect(dsn, autocommit=True)
    log_path = _log_file(admin)
    start = os.path.getsize(log_path) if log_path and os.path.exists(log_path) else None
    reporters = capacity._reporters(capacity.GRID_WORKERS)
    port = capacity._free_port()
    server_log = harness.RESULTS_DIR / "underload-gunicorn.log"
    harness.RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    admin.execute(f'ALTER DATABASE "{name}" SET log_min_duration_statement = {int(args.slow_ms)}')
    users: list[dict] = []
    try:
        with server_log.open("wb") as log:
            server = capacity._start_server(port, log)  # new connections: the setting holds for them
            try:
                capacity._wait_ready(port, server, server_log)
                users = capacity._sessions()
                plan = {"reporters": reporters, "grid_weight": 2, "office_weight": 3, "mode": "rate",
                        "per_user_rps": args.rate / capacity.USERS,
                        "sessions": [{k: u[k] for k in ("kind", "session", "case")} for u in users]}
                split: dict[str, float] = {}
                margin = min(5.0, args.seconds / 4)
                meter = threading.Timer(margin, lambda: split.update(_cpu_split(args.seconds - 2 * margin)))
                meter.start()
                step = capacity._locust(port, plan, capacity.USERS, args.seconds, ["GridWorker", "OfficeStaff"],
                                        f"underload-{args.rate:g}")
                meter.join()
            finally:
                capacity._stop_server(server)
    finally:
        admin.execute(f'ALTER DATABASE "{name}" RESET log_min_duration_statement')
        if users:
            capacity._delete_sessions([u["session"] for u in users])
    print(f"offered {args.rate:g}/s for {args.seconds} s: achieved {step['rps']:.1f}/s, p95 {step['p95_ms']:.0f} ms, "
          f"failures {step['failures']:.0f}")
    print("CPU (cores): " + "  ".join(f"{g} {v:.2f}" for g, v in sorted(split.items(), key=lambda kv: -kv[1])))
    if start is None:
        print("the server's log was not found: no slow statements to show")
        return
    groups: dict[str, list[float]] = collections.defaultdict(list)
    with open(log_path, encoding="utf-8", errors="replace") as f:
        f.seek(start)
        for line in f:
            m = _SLOW.search(line)
            if m:
                groups[_shape(m.group(2))].append(float(m.group(1)))
    print(f"statements over {args.slow_ms} ms ({log_path}):")
    for shape, times in sorted(groups.items(), key=lambda kv: -sum(kv[1]))[:12]:
        print(f"  {len(times):5d} × {sum(times) / len(times):6.0f} ms = {sum(times) / 1000:6.1f} s"
              f"  (slowest {max(times):.0f} ms)  {shape}")


def _database_name() -> str:
    from django.conf import settings

    return settings.DATABASES["default"]["NAME"]


if __name__ == "__main__":
    main()
