"""Load: 500 concurrent simulated users, mixed read/write, against gunicorn; then the workers' memory.

* Server: gunicorn on a free loopback port with the intake bench's settings (gthread, a worker per core ×
  4 threads, backlog 256) against the bench database; its log goes to ``var/bench/load-gunicorn.log``.
* Users (threads, one keep-alive ``http.client`` connection each, 127.0.0.1 only):
  - 200 grid workers (API token, as in the intake bench): report a grid event
    (``POST /api/v1/grid-events/`` with an ``Idempotency-Key``), then list their events, three times;
  - 280 township-centre sessions (the 26 township centre accounts in turn) and 20 city sessions
    (``pingan``, 市平安办): each visits the six read pages once in its own order — the case ledger,
    the ledger filtered, the grid-event ledger, the dispute ledger, one case's detail page in its
    jurisdiction, the grid-event API list.
  That is 3,000 requests, 20% writes. Page users sign in through ``POST /login/`` with the demo
  password before the timed part (``ANMIN_ENV=dev`` keeps the demo relaxation: the city user's
  privileged role needs no authenticator until one is bound, and none is in the bench database).
* Pacing: each user waits a think time (uniform ``THINK`` seconds, default 1–5 s;
  ``BENCH_LOAD_THINK=lo,hi`` overrides) before each further action — a person clicking through
  ledgers, not a closed loop — and starts at a random moment within the longest think time, so
  requests arrive at a steady rate from the start. Every user does its fixed actions and stops; the
  whole run stops after ``DEADLINE`` seconds at the latest.
* Errors: an exception, a status outside 200–399, or a redirect to the login page. A connection the
  server closed while the user was thinking (gunicorn's keep-alive is 2 s) is reopened before the
  request, as a browser does, and a request that meets a connection closing just as it goes out is
  sent once more on a new one (a POST keeps its ``Idempotency-Key``); both are counted, not errors.
* Memory: VmRSS of every gunicorn worker (the master's children, from /proc) after the load.

The grid events the load reports stay in the bench database, like the intake bench's (they are open
cases of this year with audit entries on the chain, which is append-only); the sessions it opened are
deleted at the end.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import select
import subprocess
import threading
import time
import urllib.parse
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

from . import harness
from .bench_intake import _free_port, _reporters
from .bench_intake import _start_server as intake_server

NAME = "load"
# Superseded by ``capacity`` (locust: the rate the mix is served at, realistic think times, RSS);
# kept for a run with the hand-written users: ``python -m bench --only load``.
DEFAULT = False
GRID_WORKERS = 200
TOWNSHIP_SESSIONS = 280
CITY_SESSIONS = 20
ACTIONS = 6  # per user
CITY_USER = "pingan"
THINK = (1.0, 5.0)  # seconds between a user's actions
DEADLINE = 900.0  # the timed part ends by then, finished or not
LOGIN_THREADS = 8
READS = (
    ("cases", "/workflow/cases/"),
    ("cases_filtered", "/workflow/cases/?kind=WG&status=in_progress"),
    ("grid", "/grid/"),
    ("disputes", "/disputes/"),
    ("case_detail", "/workflow/cases/{case}/"),
    ("api_grid_events", "/api/v1/grid-events/"),
)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# -- server ---------------------------------------------------------------------------------------
def _start_server(port: int, log) -> subprocess.Popen:
    """gunicorn as the intake bench starts it; its log goes to a file (a pipe nobody reads could fill)."""
    return intake_server(port, stderr=log)


def _wait_ready(port: int, server: subprocess.Popen, log_path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {log_path.read_text(errors='replace')[-2000:]}")
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
    if server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _worker_rss_mb(master_pid: int) -> dict[int, float]:
    """VmRSS (MB) of each child of the gunicorn master, read from /proc."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid != master_pid:
                continue
            for line in Path(f"/proc/{entry}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    out[int(entry)] = int(line.split()[1]) / 1024
        except (OSError, ValueError, IndexError):
            continue
    return out


def _cpu_snapshot(master_pid: int) -> dict[str, float]:
    """CPU seconds so far of the load generator (this process), the app (gunicorn master and
    workers), PostgreSQL (every ``postgres`` process, plus what exited children left to the
    postmaster), and the machine's busy and idle time, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {"client": 0.0, "app": 0.0, "db": 0.0}
    procs = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # fields[0] is the state, [1] the parent
        procs[int(entry)] = (stat[stat.index("(") + 1:stat.rindex(")")], int(fields[1]),
                             (int(fields[11]) + int(fields[12])) / tick,  # utime + stime
                             (int(fields[13]) + int(fields[14])) / tick)  # reaped children's
    postgres = {pid for pid, (comm, *_rest) in procs.items() if comm.startswith("postgres")}
    for pid, (_comm, ppid, own, children) in procs.items():
        if pid == os.getpid():
            out["client"] += own
        elif master_pid in (pid, ppid):
            out["app"] += own
        elif pid in postgres:
            out["db"] += own + (children if ppid not in postgres else 0.0)  # the postmaster: exited backends
    cpu = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    values = [int(v) / tick for v in cpu]
    out["idle"] = values[3] + values[4]  # idle + iowait
    out["busy"] = sum(values[:8]) - out["idle"]
    return out


def _cpu_figures(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    d = {k: after[k] - before[k] for k in before}
    total = d["busy"] + d["idle"]
    return {
        "cpu_busy_pct": 100.0 * d["busy"] / total if total else float("nan"),
        "cpu_app_s": d["app"],
        "cpu_db_s": d["db"],
        "cpu_client_s": d["client"],
        "cpu_cores": float(os.cpu_count() or 0),
    }


# -- users ----------------------------------------------------------------------------------------
def _cookies(resp: http.client.HTTPResponse) -> dict[str, str]:
    jar = SimpleCookie()
    for header in resp.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {k: m.value for k, m in jar.items()}


def _login(port: int, username: str) -> str:
    """Sign in through the login page with the demo password; returns the session id."""
    from anmin.core.demo import DEMO_PASSWORD

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", "/login/")
        resp = conn.getresponse()
        page = resp.read().decode()
        csrf = _cookies(resp).get("csrftoken")
        m = CSRF_INPUT.search(page)
        if resp.status != 200 or not csrf or not m:
            raise RuntimeError(f"login page for {username}: {resp.status}")
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": m.group(1), "username": username,
                                       "password": DEMO_PASSWORD})
        conn.request("POST", "/login/", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf}"})
        resp = conn.getresponse()
        resp.read()
        session = _cookies(resp).get("sessionid")
        location = resp.getheader("Location", "")
        if resp.status != 302 or not session or "login" in location:
            raise RuntimeError(f"login of {username}: {resp.status} → {location!r}")
        return session
    finally:
        conn.close()


def _page_users(port: int, share: int) -> list[dict]:
    """Township-centre and city sessions (1/``share`` of them), each with the case it opens; logged
    in concurrently."""
    from anmin.core.models import Role, User
    from anmin.workflow.models import Case

    townships = list(User.objects.filter(roles__code=Role.TOWNSHIP_CENTER, is_active=True)
                     .select_related("org_unit").order_by("username"))
    if not townships:
        raise RuntimeError("the bench needs the demo world's township centre users")
    accounts = [(townships[i % len(townships)].username, townships[i % len(townships)].org_unit.region_id[:9])
                for i in range(TOWNSHIP_SESSIONS // share)]
    accounts += [(CITY_USER, "411081")] * (CITY_SESSIONS // share)
    cases: dict[str, list[int]] = {}
    for prefix in {p for _u, p in accounts}:
        cases[prefix] = list(Case.objects.filter(region__code__startswith=prefix, is_open=True)
                             .order_by("-pk").values_list("pk", flat=True)[:50])
    rng = random.Random("bench-load-pages")
    users = [{"kind": "city" if name == CITY_USER else "township", "username": name,
              "case": rng.choice(cases[prefix]), "session": None} for name, prefix in accounts]
    errors: list[str] = []
    todo = list(range(len(users)))
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                if not todo:
                    return
                i = todo.pop()
            try:
                users[i]["session"] = _login(port, users[i]["username"])
            except (OSError, http.client.HTTPException, RuntimeError) as exc:
                with lock:
                    errors.append(f"{users[i]['username']}: {exc}")

    threads = [threading.Thread(target=worker) for _ in range(LOGIN_THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(f"{len(errors)} logins failed, first: {errors[0]}")
    return users


def _dropped(conn: http.client.HTTPConnection) -> bool:
    """Whether the server closed an idle keep-alive connection (readable with nothing asked = EOF)."""
    readable, _, _ = select.select([conn.sock], [], [], 0)
    return bool(readable)


class _Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.samples: list[tuple[str, float, bool]] = []  # (label, ms, ok)
        self.errors: list[str] = []
        self.reconnects = 0
        self.retries = 0
        self.finished = 0

    def add(self, label: str, ms: float, error: str | None) -> None:
        with self.lock:
            self.samples.append((label, ms, error is None))
            if error is not None:
                self.errors.append(f"{label}: {error}")


def _user(port: int, script: list[tuple[str, str, str, bytes | None, dict]], start_at: float, think: tuple,
          seed: int, deadline: float, stats: _Stats) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)  # connects on its first request
    time.sleep(max(0.0, start_at - time.monotonic()))
    for n, (label, method, url, body, headers) in enumerate(script):
        if n:
            time.sleep(rng.uniform(*think))
        if time.monotonic() > deadline:
            stats.add(label, float("nan"), "not run: deadline")
            continue
        if conn.sock is not None and _dropped(conn):
            conn.close()  # http.client reconnects on the next request
            with stats.lock:
                stats.reconnects += 1
        hdrs = dict(headers)
        if method == "POST":
            hdrs["Idempotency-Key"] = uuid.uuid4().hex
        t0 = time.perf_counter()
        error = None
        for attempt in (1, 2):
            reused, error = conn.sock is not None, None
            try:
                conn.request(method, url, body=body, headers=hdrs)
                resp = conn.getresponse()
                resp.read()
                if not 200 <= resp.status < 400:
                    error = str(resp.status)
                elif 300 <= resp.status < 400 and "login" in (resp.getheader("Location") or ""):
                    error = f"{resp.status} to the login page"
                if resp.will_close:
                    conn.close()  # reopened by the next request
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as exc:
                # The server closed a kept-alive connection just as the request went out: a browser
                # sends it again on a new connection (a POST carries its Idempotency-Key).
                error = type(exc).__name__
                conn.close()
                if not reused or attempt == 2:
                    break
                with stats.lock:
                    stats.retries += 1
            except (OSError, http.client.HTTPException) as exc:
                error = type(exc).__name__
                conn.close()
                break
        stats.add(label, (time.perf_counter() - t0) * 1000, error)
    conn.close()
    with stats.lock:
        stats.finished += 1


def _scripts(reporters, page_users) -> list[list[tuple]]:
    rng = random.Random("bench-load-scripts")
    scripts = []
    for k, (token, grid) in enumerate(reporters):
        auth = {"Authorization": f"Token {token}"}
        script = []
        for i in range(ACTIONS // 2):
            body = json.dumps({"region": grid, "category": "04", "latitude": "34.140512", "longitude": "113.490231",
                               "description": f"基准测试负载上报 {k}-{i}：村道垃圾堆放"}).encode()
            script.append(("write_grid_event", "POST", "/api/v1/grid-events/", body,
                           {**auth, "Content-Type": "application/json"}))
            script.append(("grid_worker_api_list", "GET", "/api/v1/grid-events/", None, auth))
        scripts.append(script)
    for user in page_users:
        headers = {"Cookie": f"sessionid={user['session']}"}
        reads = rng.sample(READS, len(READS))[:ACTIONS]
        scripts.append([(f"{user['kind']}_{label}", "GET", url.format(case=user["case"]), None, headers)
                        for label, url in reads])
    return scripts


def _drive(port: int, scripts, think: tuple, stats: _Stats) -> float:
    rng = random.Random("bench-load-ramp")
    t0 = time.monotonic()
    first = t0 + 1.0  # every thread is started before the first user acts
    deadline = t0 + DEADLINE
    previous = threading.stack_size(512 * 1024)  # 500 threads
    try:
        threads = [threading.Thread(target=_user, daemon=True,
                                    args=(port, s, first + rng.uniform(0, think[1]), think, k, deadline, stats))
                   for k, s in enumerate(scripts)]
        for t in threads:
            t.start()
    finally:
        threading.stack_size(previous)
    for t in threads:
        t.join(timeout=max(0.0, deadline + 130 - time.monotonic()))
    return time.monotonic() - first


def _think() -> tuple[float, float]:
    raw = os.environ.get("BENCH_LOAD_THINK")
    if not raw:
        return THINK
    lo, hi = (float(x) for x in raw.split(","))
    return lo, hi


def _delete_sessions(keys: list[str]) -> None:
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key__in=keys).delete()


def run(args) -> harness.Result:
    from .bench_ledger import ensure_scale

    ensure_scale()
    think = _think()
    share = 5 if args.quick else 1  # a smoke run: a fifth of the users
    reporters = _reporters(GRID_WORKERS // share)
    harness.RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    log_path = harness.RESULTS_DIR / "load-gunicorn.log"
    port = _free_port()
    stats = _Stats()
    page_users: list[dict] = []
    with log_path.open("wb") as log:
        server = _start_server(port, log)
        try:
            _wait_ready(port, server, log_path)
            t0 = time.perf_counter()
            page_users = _page_users(port, share)
            login_seconds = time.perf_counter() - t0
            rss_before = _worker_rss_mb(server.pid)
            scripts = _scripts(reporters, page_users)
            cpu_before = _cpu_snapshot(server.pid)
            seconds = _drive(port, scripts, think, stats)
            cpu = _cpu_figures(cpu_before, _cpu_snapshot(server.pid))
            time.sleep(1.0)
            rss_after = _worker_rss_mb(server.pid)
            alive = server.poll() is None
        finally:
            _stop_server(server)
            _delete_sessions([u["session"] for u in page_users if u.get("session")])
    with stats.lock:
        samples = list(stats.samples)
        errors = list(stats.errors)
    done = [ms for _label, ms, _ok in samples if ms == ms]  # not NaN: requests that were sent
    writes = sum(1 for label, _ms, _ok in samples if label.startswith("write"))
    figures: dict[str, float | str] = {
        "users": float(len(scripts)),
        "requests": float(len(samples)),
        "write_share_pct": 100.0 * writes / len(samples) if samples else 0.0,
        "errors": float(len(errors)),
        "unfinished_users": float(len(scripts) - stats.finished),
        "p50_ms": harness.percentile(done, 50),
        "p95_ms": harness.percentile(done, 95),
        "p99_ms": harness.percentile(done, 99),
        "throughput_rps": len(done) / seconds if seconds else 0.0,
        "seconds": seconds,
        "think_s": f"{think[0]:g}–{think[1]:g}",
        "reconnects": float(stats.reconnects),
        "retries": float(stats.retries),
        "login_seconds": login_seconds,
    }
    for label in sorted({label for label, _ms, _ok in samples}):
        ms = [m for lbl, m, _ok in samples if lbl == label and m == m]
        figures[f"{label}_p95_ms"] = harness.percentile(ms, 95)
    figures.update(cpu)
    figures["workers"] = float(len(rss_after))
    figures["worker_rss_before_mb"] = max(rss_before.values(), default=float("nan"))
    figures["max_worker_rss_mb"] = max(rss_after.values(), default=float("nan"))
    if not alive:
        figures["server"] = "exited during the load"
    if errors:
        figures["first_error"] = errors[0]
        kinds: dict[str, int] = {}
        for e in errors:
            kinds[e] = kinds.get(e, 0) + 1
        figures["error_kinds"] = "; ".join(f"{k} ×{v}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])[:5])
    return harness.Result(NAME, figures, {"p95": "≤ 1 s", "errors": "0", "rss": "≤ 300 MB"})
