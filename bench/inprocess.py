"""The capacity mix in-process: what each request of the mix costs in Python, with no server around it.

``python -m bench.inprocess [--rounds 5] [--profile 40]`` (against the bench database, as the other
benches: ``DATABASE_URL``). The same users as the capacity bench — the 26 township centres and the
city office signed in, grid workers with their API tokens — send the same requests (a grid event
reported and listed; the case ledger, filtered, the grid-event and dispute ledgers, a case, the API
list) through Django's test client, each request another user's, as the bench's 500 users are. It
prints, per request kind, the CPU (``time.process_time``) and wall time, and the statements and their
time; with ``--profile N`` the N functions with the most own time under cProfile. Not run by
``make bench``: it is the tool the per-request costs of docs/scaling.md were found with.

The grid events reported stay in the bench database, as the capacity bench's do.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import time
import uuid
from collections import defaultdict

from .bench_load import READS  # the office users' requests, as the load and capacity benches send them


def _users(grid_workers: int):
    from django.test import Client

    from anmin.core.models import Role, User
    from anmin.workflow.models import Case

    from .bench_intake import _reporters

    office = []
    accounts = list(User.objects.filter(roles__code__in=[Role.TOWNSHIP_CENTER, Role.CITY_OFFICE], is_active=True)
                    .select_related("org_unit").order_by("username").distinct())
    for user in accounts:
        prefix = user.org_unit.region_id[:9] if user.has_role(Role.TOWNSHIP_CENTER) else "411081"
        case = Case.objects.filter(region__code__startswith=prefix, is_open=True).order_by("-pk").first()
        if case is None:
            continue
        client = Client(HTTP_ACCEPT_ENCODING="gzip")
        client.force_login(user)
        office.append((client, case.pk))
    grid = []
    for token, code in _reporters(grid_workers):
        grid.append((Client(HTTP_ACCEPT_ENCODING="gzip", HTTP_AUTHORIZATION=f"Token {token}"), code))
    return office, grid


def _plan(office, grid, rounds: int) -> list[tuple[str, object, str, str | None]]:
    """(label, client, path, JSON body or None) in the mix's proportions: two grid-worker actions (a
    report or a list, in turn) for every three office reads."""
    out = []
    n = 0
    for r in range(rounds):
        for i, (label, url) in enumerate(READS):
            out += [(label, client, url.format(case=case), None) for client, case in office]
            for j in range(len(office) * 2 // 3):
                client, code = grid[(n + j) % len(grid)]
                if (i + r) % 2:
                    text = f"进程内基准上报 {n}-{j}：村道垃圾堆放"
                    body = json.dumps({"region": code, "category": "04", "latitude": "34.140512",
                                       "longitude": "113.490231", "description": text})
                    out.append(("write_grid_event", client, "/api/v1/grid-events/", body))
                else:
                    out.append(("grid_worker_api_list", client, "/api/v1/grid-events/", None))
            n += len(office)
    return out


def _send(client, path: str, body: str | None):
    if body is None:
        return client.get(path)
    return client.post(path, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.inprocess", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--grid-workers", type=int, default=60)
    parser.add_argument("--profile", type=int, default=0, help="print the N functions with the most own time")
    parser.add_argument("--save", metavar="FILE", help="with --profile: also save the profile (pstats) to FILE")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anmin.settings")
    os.environ.setdefault("ANMIN_ENV", "dev")  # as the bench's gunicorn: dev settings, DEBUG off
    os.environ.setdefault("ANMIN_DEBUG", "0")
    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    office, grid = _users(args.grid_workers)
    for _label, client, path, body in _plan(office, grid, 1):  # warm: templates, code tables, caches
        _send(client, path, body)
    plan = _plan(office, grid, args.rounds)
    cpu, wall, sql_n, sql_ms = defaultdict(list), defaultdict(list), defaultdict(list), defaultdict(list)
    profiler = cProfile.Profile() if args.profile else None
    bad = 0
    for label, client, path, body in plan:
        with CaptureQueriesContext(connection) as queries:
            c0, t0 = time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            resp = _send(client, path, body)
            if profiler:
                profiler.disable()
            cpu[label].append((time.process_time() - c0) * 1000)
            wall[label].append((time.perf_counter() - t0) * 1000)
        bad += resp.status_code >= 400
        sql_n[label].append(len(queries))
        sql_ms[label].append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        reset_queries()
    print(f"{'request':<24}{'n':>5}{'cpu ms':>9}{'wall ms':>9}{'stmts':>7}{'sql ms':>8}")
    for label in sorted(cpu, key=lambda k: -statistics.mean(cpu[k])):
        print(f"{label:<24}{len(cpu[label]):>5}{statistics.mean(cpu[label]):>9.1f}{statistics.mean(wall[label]):>9.1f}"
              f"{statistics.mean(sql_n[label]):>7.1f}{statistics.mean(sql_ms[label]):>8.1f}")
    every = [v for vs in cpu.values() for v in vs]
    print(f"mix: {len(every)} requests, CPU {statistics.mean(every):.1f} ms a request, "
          f"wall {statistics.mean(v for vs in wall.values() for v in vs):.1f} ms; errors {bad}")
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(args.profile)
        if args.save:
            stats.dump_stats(args.save)


if __name__ == "__main__":
    main()
