"""make chaos: grid workers report events through the API while the platform is hurt, then count.

    .venv/bin/python -m bench.chaos            # its own throw-away PostgreSQL cluster (make chaos)

A small world (two townships, one grid worker token per client) on a throw-away PostgreSQL cluster
of its own — ``initdb`` in a temporary directory from the machine's PostgreSQL binaries, on a free
loopback port (``anmin.core.testing.pgcluster``), migrated, removed afterwards; the machine's own
cluster is never touched — ``anmin serve`` on a loopback port, and CLIENTS
threads that each report events one after another. Every report carries its own Idempotency-Key and
is retried with the same key until it is acknowledged (2xx) — as the phone app does. Meanwhile, on
a fixed schedule (all loops bounded in count and time; traffic only to 127.0.0.1):

1. ``kill -9`` of one gunicorn worker;
2. ``kill -9`` of the gunicorn master (``anmin serve`` kills the orphaned workers and restarts it);
3. a real database restart: the throw-away cluster is stopped and started again
   (``pg_ctl restart -m fast``). With ``CHAOS_DATABASE_URL`` set, the run uses that database
   instead (created if missing) and can only cut its connections (``pg_terminate_backend``).

Then it prints the acknowledged writes, how many of them are missing from the database, how many
keys made more than one record, what the requests sent during the database outage got (and how
long the slowest took to fail), and the recovery time after each fault (fault → next acknowledged
write), and saves them as JSON under ``$ANMIN_VAR_DIR/bench/``. Exit status 1 when a write is
missing or duplicated.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    acknowledged: dict[str, int] = field(default_factory=dict)  # key -> event id
    attempts: int = 0
    retries: int = 0
    gave_up: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    acks: list[tuple[float, float]] = field(default_factory=list)  # (request sent, answer received)
    tries: list[tuple[float, float, str]] = field(default_factory=list)  # (sent, answered, outcome)

    def count(self, what: str) -> None:
        with self.lock:
            self.statuses[what] = self.statuses.get(what, 0) + 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(url: str, clients: int) -> tuple[list[tuple[str, str]], dict]:
    """Create/migrate the chaos database, a small world, a token per client. Returns the
    (token, grid code) pairs."""
    os.environ["DATABASE_URL"] = url
    from bench.harness import ensure_database, setup_django

    setup_django()
    ensure_database()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("setup", verbosity=0)
    from anmin.core import tokens
    from anmin.core.models import Region, Role, User
    from anmin.core.tests.factories import build_world

    if not Region.objects.filter(pk="411081106000").exists():
        build_world()
    worker = User.objects.filter(roles__code=Role.GRID_WORKER).order_by("pk").first()
    grid = worker.grids.values_list("code", flat=True).first()
    worker.must_change_password = False
    worker.save(update_fields=["must_change_password"])
    pairs = [(tokens.issue(user=worker)[1], grid) for _ in range(clients)]
    from django.db import connection

    settings = connection.settings_dict
    connection.close()
    return pairs, settings


def post_event(port: int, token: str, grid: str, key: str, marker: str) -> tuple[int, dict | None]:
    body = json.dumps({"region": grid, "category": "04", "description": f"混沌测试上报 {marker}",
                       "latitude": "34.140512", "longitude": "113.490231"})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        conn.request("POST", "/api/v1/grid-events/", body, {
            "Authorization": f"Token {token}", "Content-Type": "application/json", "Idempotency-Key": key})
        resp = conn.getresponse()
        data = resp.read()
        try:
            return resp.status, json.loads(data)
        except ValueError:
            return resp.status, None
    finally:
        conn.close()


def client_loop(port: int, token: str, grid: str, stop: threading.Event, stats: Stats, deadline: float) -> None:
    while not stop.is_set() and time.monotonic() < deadline:
        key = f"chaos-{uuid.uuid4().hex}"
        acknowledged = False
        tries = 0
        while not acknowledged and tries < 200 and time.monotonic() < deadline + 60:
            tries += 1
            with stats.lock:
                stats.attempts += 1
                if tries > 1:
                    stats.retries += 1
            sent = time.monotonic()
            try:
                status, body = post_event(port, token, grid, key, key)
            except (OSError, http.client.HTTPException) as exc:
                stats.count(type(exc).__name__)
                with stats.lock:
                    stats.tries.append((sent, time.monotonic(), type(exc).__name__))
                time.sleep(0.2)
                continue
            stats.count(str(status))
            with stats.lock:
                stats.tries.append((sent, time.monotonic(), str(status)))
            if 200 <= status < 300 and body and "id" in body:
                with stats.lock:
                    stats.acknowledged[key] = body["id"]
                    stats.acks.append((sent, time.monotonic()))
                acknowledged = True
            elif status in (409, 429, 500, 502, 503) or status >= 500:
                time.sleep(0.3)
            else:
                break  # a 4xx that a retry cannot fix: not acknowledged, not retried
        if not acknowledged:
            with stats.lock:
                stats.gave_up += 1


def group_members(pgid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                if int(stat[stat.rindex(")") + 2:].split()[2]) == pgid:
                    out.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return out


def web_group(state_file: Path) -> int:
    return json.loads(state_file.read_text())["groups"]["web"]


def terminate_backends(settings: dict) -> int:
    import psycopg

    dsn = (f"host={settings['HOST'] or '127.0.0.1'} port={settings['PORT'] or 5432} user={settings['USER']} "
           "dbname=postgres")
    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %s "
                           "AND pid <> pg_backend_pid()", [settings["NAME"]]).fetchone()
    return int(row[0])


def outage_window(stats: Stats, at: float, restart_took: float) -> dict:
    """What the requests sent from the database fault until the first acknowledged write sent after it
    got: their outcomes, and the longest any of them took to be answered (a hang shows here)."""
    later = [sent for sent, _done in stats.acks if sent > at]
    until = min(later) if later else float("inf")
    window = [(sent, done, what) for sent, done, what in stats.tries if at - 0.5 <= sent < until]
    outcomes: dict[str, int] = {}
    for _sent, _done, what in window:
        outcomes[what] = outcomes.get(what, 0) + 1
    failed = [done - sent for sent, done, what in window if not what.startswith("2")]
    return {"restart_seconds": round(restart_took, 2), "requests": len(window), "outcomes": outcomes,
            "slowest_failure_seconds": round(max(failed), 2) if failed else None}


def count_records(settings: dict, keys: list[str]) -> tuple[dict[str, int], int]:
    """How many events carry each key's marker; and how many chaos events there are in all."""
    import psycopg

    dsn = (f"host={settings['HOST'] or '127.0.0.1'} port={settings['PORT'] or 5432} user={settings['USER']} "
           f"dbname={settings['NAME']}")
    counts: dict[str, int] = dict.fromkeys(keys, 0)
    total = 0
    with psycopg.connect(dsn) as conn:
        for (description,) in conn.execute(
                "SELECT c.description FROM workflow_case c WHERE c.description LIKE %s", ["混沌测试上报 chaos-%"]):
            total += 1
            key = description.rsplit(" ", 1)[-1]
            if key in counts:
                counts[key] += 1
            else:
                counts[key] = counts.get(key, 0) + 1
    return counts, total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=60, help="how long the load runs (bounded)")
    parser.add_argument("--startup", type=float, default=180,
                        help="how long the platform may take to take its first report (a busy machine: minutes)")
    args = parser.parse_args(argv)
    url = os.environ.get("CHAOS_DATABASE_URL")
    cluster = None
    if not url:
        from anmin.core.testing import pgcluster

        reason = pgcluster.unavailable()
        if reason:
            raise SystemExit(f"cannot start a throw-away PostgreSQL cluster: {reason} "
                             "(or set CHAOS_DATABASE_URL to cut a database's connections instead)")
        cluster = pgcluster.start_single(Path(tempfile.mkdtemp(prefix="anmin-chaos-")))
        url = cluster.url("anmin_chaos")
        print(f"throw-away PostgreSQL cluster on 127.0.0.1:{cluster.port} ({cluster.datadir})", flush=True)
    try:
        return run(args, url, cluster)
    finally:
        if cluster is not None:
            cluster.destroy()


def run(args, url: str, cluster) -> int:
    pairs, settings = prepare(url, args.clients)
    port = free_port()
    var = Path(os.environ.get("ANMIN_VAR_DIR", ROOT / "var"))
    env = {**os.environ, "DATABASE_URL": url, "ANMIN_ENV": "dev", "ANMIN_DEBUG": "0", "ANMIN_HEARTBEAT_SECONDS": "1",
           "ANMIN_SWEEP_INTERVAL": "5", "ANMIN_TOKEN_EXCHANGE_RATE": "100000/min"}
    log = (var / "chaos-serve.log").open("wb")
    serve = subprocess.Popen([sys.executable, "-m", "anmin.cli", "serve", "--port", str(port), "--workers", "3",
                              "--access-logfile", str(var / "chaos-access.log")],
                             env=env, stdout=log, stderr=subprocess.STDOUT, process_group=0)
    state = var / "run" / f"serve-127.0.0.1-{port}.json"
    stats = Stats()
    faults: list[tuple[str, float]] = []
    restart_took = 0.0
    try:
        deadline = time.monotonic() + args.startup
        while time.monotonic() < deadline:
            try:
                if post_event(port, pairs[0][0], pairs[0][1], f"warmup-{uuid.uuid4().hex}", "warmup")[0] == 201:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            raise SystemExit(f"the platform did not come up within {args.startup:.0f} s (see var/chaos-serve.log)")
        stop = threading.Event()
        began = time.monotonic()
        end = began + args.seconds
        threads = [threading.Thread(target=client_loop, args=(port, token, grid, stop, stats, end), daemon=True)
                   for token, grid in pairs]
        for t in threads:
            t.start()
        schedule = [(0.15, "kill -9 gunicorn worker"), (0.4, "kill -9 gunicorn master"),
                    (0.7, "database restart" if cluster else "database connections cut")]
        for fraction, what in schedule:
            time.sleep(max(0.0, began + fraction * args.seconds - time.monotonic()))
            if what == "kill -9 gunicorn worker":
                master = web_group(state)
                workers = [p for p in group_members(master) if p != master]
                if workers:
                    os.kill(workers[0], signal.SIGKILL)
            elif what == "kill -9 gunicorn master":
                os.kill(web_group(state), signal.SIGKILL)
            elif cluster is not None:
                at = time.monotonic()
                cluster.restart()
                restart_took = time.monotonic() - at
            else:
                at = time.monotonic()
                terminate_backends(settings)
            faults.append((what, at if what.startswith("database") else time.monotonic()))
            print(f"  t={time.monotonic() - began:5.1f}s  {what}", flush=True)
        for t in threads:
            t.join(timeout=args.seconds + 120)
        stop.set()
    finally:
        if serve.poll() is None:
            serve.send_signal(signal.SIGTERM)
        try:
            code = serve.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
            code = -9
    counts, total = count_records(settings, list(stats.acknowledged))
    missing = [k for k in stats.acknowledged if counts.get(k, 0) == 0]
    duplicated = [k for k, n in counts.items() if n > 1]
    recovery = {}
    for what, at in faults:
        # The first write SENT after the fault that was acknowledged (one already in flight proves nothing).
        after = [done for sent, done in stats.acks if sent > at]
        recovery[what] = round(min(after) - at, 2) if after else None
    gaps = longest_gaps(stats, faults)
    report = {
        "acknowledged": len(stats.acknowledged), "missing": len(missing), "duplicated": len(duplicated),
        "chaos_records_in_database": total, "attempts": stats.attempts, "retries": stats.retries,
        "gave_up": stats.gave_up, "statuses": stats.statuses, "recovery_seconds": recovery,
        "longest_gap_seconds": gaps,
        "serve_exit_code": code, "clients": args.clients, "seconds": args.seconds,
        "database_fault": "pg_ctl restart -m fast (throw-away cluster)" if cluster else "pg_terminate_backend",
        "database_outage": outage_window(stats, faults[-1][1], restart_took) if len(faults) == 3 else None,
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    out = var / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"chaos-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    return 1 if missing or duplicated else 0


def longest_gaps(stats, faults) -> dict[str, float | None]:
    """After each fault, until the next one: the longest stretch without an acknowledged write — the
    outage a user sees. The first write sent after a master's death may still be answered by a worker
    it left behind (recovery 0.2 s), and the new master's workers come up only seconds later."""
    done = sorted(d for _s, d in stats.acks)
    out = {}
    for i, (what, at) in enumerate(faults):
        until = faults[i + 1][1] if i + 1 < len(faults) else (done[-1] if done else at)
        stamps = [at] + [d for d in done if at < d <= until]
        out[what] = round(max(b - a for a, b in itertools.pairwise(stamps)), 2) if len(stamps) > 1 else None
    return out


if __name__ == "__main__":
    sys.exit(main())
