"""The load bench's users for locust (run headless by ``bench_capacity``; not a bench module itself).

The plan (tokens, sessions, cases, pacing) comes from the JSON file named by ``ANMIN_LOCUST_PLAN``:

* grid workers (API token): report a grid event (``POST /api/v1/grid-events/`` with an
  ``Idempotency-Key``), then list their events, in turn;
* office staff (a township centre's or the city's signed-in session): the case ledger, the ledger
  filtered, the grid-event ledger, the dispute ledger, a case in their jurisdiction, the grid-event
  API list — each user in its own order, round and round;
* ``trivial``: ``GET /healthz`` only (the same run's ceiling: what the server does with no work).

Every user starts at a random moment within its first pause. Pacing:
``{"mode": "rate", "per_user_rps": x}`` — each user acts x times a second (the offered rate is
users × x); ``{"mode": "think", "grid": [lo, hi], "office": [lo, hi]}`` — a think time before each
action, uniform in seconds; ``{"mode": "trivial"}`` — no pause. A status outside 200–399 or a redirect
to the login page is a failure.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
import uuid

import gevent
from locust import FastHttpUser, between, constant, task

PLAN = json.loads(open(os.environ["ANMIN_LOCUST_PLAN"], encoding="utf-8").read())  # noqa: SIM115
READS = (
    ("cases", "/workflow/cases/"),
    ("cases_filtered", "/workflow/cases/?kind=WG&status=in_progress"),
    ("grid", "/grid/"),
    ("disputes", "/disputes/"),
    ("case_detail", "/workflow/cases/{case}/"),
    ("api_grid_events", "/api/v1/grid-events/"),
)
_reporters = itertools.cycle(PLAN.get("reporters") or [None])
_sessions = itertools.cycle(PLAN.get("sessions") or [None])
_numbers = itertools.count()


def _paced(interval: float):
    """Every ``interval`` seconds from the user's first action (set by ``_stagger``), not catching up
    when the server was slow. Locust's ``constant_throughput`` counts its first interval from the
    user's start, stagger included: each user's second action then came about one interval after the
    run began, all 500 of them together — a burst that queued for seconds whenever a step lasted
    longer than one interval (from 20 requests/s at 30 s a step), and read as the server's limit."""
    def wait(user) -> float:
        now = time.monotonic()
        user.next_at = max(getattr(user, "next_at", now) + interval, now)
        return user.next_at - now
    return wait


def _wait(kind: str):
    mode = PLAN["mode"]
    if mode == "rate":
        return _paced(1 / PLAN["per_user_rps"])
    if mode == "think":
        return between(*PLAN[kind])
    return constant(0)


def _stagger(user, kind: str) -> None:
    """Start at a random moment within one pause (as people do), not all 500 at the first second."""
    mode = PLAN["mode"]
    if mode == "rate":
        gevent.sleep(random.uniform(0, 1 / PLAN["per_user_rps"]))
        user.next_at = time.monotonic()  # the pacing counts from the first action
    elif mode == "think":
        gevent.sleep(random.uniform(0, PLAN[kind][1]))


def _check(resp) -> None:
    location = resp.headers.get("Location") or ""
    if not 200 <= resp.status_code < 400:
        resp.failure(f"status {resp.status_code}")
    elif 300 <= resp.status_code < 400 and "login" in location:
        resp.failure("redirected to the login page")
    else:
        resp.success()


class GridWorker(FastHttpUser):
    weight = PLAN.get("grid_weight", 2)
    wait_time = _wait("grid")

    def on_start(self):
        _stagger(self, "grid")
        self.token, self.grid = next(_reporters)
        self.n = next(_numbers)
        self.turn = itertools.cycle(("write", "list"))

    @task
    def act(self):
        auth = {"Authorization": f"Token {self.token}"}
        if next(self.turn) == "write":
            body = json.dumps({"region": self.grid, "category": "04", "latitude": "34.140512",
                               "longitude": "113.490231", "description": f"基准测试负载上报 {self.n}：村道垃圾堆放"})
            with self.client.post("/api/v1/grid-events/", data=body, name="write_grid_event", catch_response=True,
                                  headers={**auth, "Content-Type": "application/json",
                                           "Idempotency-Key": uuid.uuid4().hex}) as resp:
                _check(resp)
        else:
            with self.client.get("/api/v1/grid-events/", name="grid_worker_api_list", headers=auth,
                                 catch_response=True) as resp:
                _check(resp)


class OfficeStaff(FastHttpUser):
    weight = PLAN.get("office_weight", 3)
    wait_time = _wait("office")

    def on_start(self):
        _stagger(self, "office")
        session = next(_sessions)
        self.kind, self.cookie, self.case = session["kind"], session["session"], session["case"]
        reads = list(READS)
        random.Random(next(_numbers)).shuffle(reads)
        self.reads = itertools.cycle(reads)

    @task
    def read(self):
        label, url = next(self.reads)
        with self.client.get(url.format(case=self.case), name=f"{self.kind}_{label}", catch_response=True,
                             headers={"Cookie": f"sessionid={self.cookie}"}, allow_redirects=False) as resp:
            _check(resp)


class Trivial(FastHttpUser):
    weight = 1
    wait_time = constant(0)

    @task
    def health(self):
        with self.client.get("/healthz", name="trivial_healthz", catch_response=True) as resp:
            _check(resp)
