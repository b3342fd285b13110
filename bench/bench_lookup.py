"""Find a person by ID number (blind index) among 1.2 million residents, on PostgreSQL.

The residents are written once into the bench database with COPY (two processes, each encrypting and
indexing its share exactly as the model field does), so a second run only measures. Timed: the
scoped ORM lookup a page or an importer makes (``Person.objects.visible_to(user).lookup(number)``)
for a township and a city user, and the full HTTP round trip of the API's exact lookup (POST, the
number in the body). Target: p95 ≤ 20 ms.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import time

from . import harness

NAME = "lookup"
TARGET = int(os.environ.get("ANMIN_BENCH_RESIDENTS", "1200000"))
CHUNK = 50_000
BASE_BIRTH = dt.date(1935, 1, 1)


def bench_id_number(i: int) -> str:
    """A unique valid ID number per index: (birth date, sequence) is a bijection of i below 30M."""
    from anmin.core.protected import make_id_number

    birth = BASE_BIRTH + dt.timedelta(days=(i * 7919) % 30000)
    return make_id_number(birth_date=birth, region_code="411081", sequence=(i // 30000) % 1000)


def _columns():
    """(name, default) for every column of people_person, in table order."""
    from anmin.people.models import Person

    out = []
    for f in Person._meta.concrete_fields:
        if f.primary_key:
            continue
        default = f.get_default() if f.has_default() else (None if f.null else "")
        out.append((f.column, default))
    return out


def _write_chunk(args: tuple[int, int, list[str], dict[str, int]]) -> int:
    """Generate rows [start, end) and COPY them in (runs in a worker process)."""
    start, end, grids, workers = args
    from django.db import connection

    from anmin.core.protected import keys
    from anmin.core.protected.crypto import blind_index, encrypt
    from anmin.people.models import name_initials
    from anmin.people.names import person_name, phone_number

    connection.close()  # the parent closed its connection before forking; this one opens its own
    ring = keys.get_keyring()
    columns = _columns()
    names = [c for c, _d in columns]
    now = dt.datetime.now(dt.UTC)
    fixed = dict(columns)
    fixed.update(
        registered_on=dt.date(2015, 1, 1),
        created_at=now,
        updated_at=now,
        ethnicity="汉族",
        status="active",
        version=1,
        is_migrant=False,
        is_left_behind=False,
        is_foreign=False,
    )
    template = [_copy_value(fixed[c]) for c in names]  # most columns are the same on every row
    at = {c: k for k, c in enumerate(names)}
    rng = random.Random(f"bench-{start}")
    lines = []
    for i in range(start, end):
        number = bench_id_number(i)
        male = int(number[16]) % 2 == 1
        name = person_name(rng, male=male)
        phone = phone_number(rng)
        grid = grids[i % len(grids)]
        row = template.copy()
        row[at["name"]] = name
        row[at["name_initials"]] = name_initials(name)
        row[at["id_number"]] = encrypt(number, context="people.person.id_number", ring=ring)
        row[at["id_number_index"]] = blind_index("id_number", number, ring=ring)
        row[at["phone"]] = encrypt(phone, context="people.person.phone", ring=ring)
        row[at["phone_index"]] = blind_index("phone", phone, ring=ring)
        row[at["sex"]] = "1" if male else "2"
        row[at["birth_date"]] = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
        row[at["current_address"]] = f"第{i % 40 + 1}组{i % 97 + 1}号"
        row[at["region_id"]] = grid
        row[at["grid_worker_id"]] = _copy_value(workers.get(grid))
        lines.append("\t".join(row))
    buf = io.StringIO("\n".join(lines) + "\n")
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY people_person ({', '.join(names)}) FROM STDIN") as copy:
            copy.write(buf.getvalue())
    connection.close()
    return end - start


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def ensure_residents(target: int) -> tuple[int, float]:
    """Bring the bench database up to ``target`` residents (idempotent; resumes an interrupted build)."""
    import multiprocessing

    from django.db import connection

    from anmin.core.models import Region, User
    from anmin.people.models import Person

    have = Person.objects.count()
    if have >= target:
        return 0, 0.0
    grids = list(Region.objects.grids().order_by("code").values_list("code", flat=True))
    workers: dict[str, int] = {}
    for user_id, grid in User.grids.through.objects.order_by("user_id").values_list("user_id", "region_id"):
        workers.setdefault(grid, user_id)
    tasks = [(s, min(s + CHUNK, target), grids, workers) for s in range(have, target, CHUNK)]
    t0 = time.perf_counter()
    connection.close()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        done = sum(pool.imap_unordered(_write_chunk, tasks))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE people_person")
    return done, time.perf_counter() - t0


def run(args) -> harness.Result:
    from django.test import Client

    from anmin.core.demo import build as build_core
    from anmin.core.models import User
    from anmin.people.models import Person

    build_core()
    added, seconds = ensure_residents(TARGET)
    total = Person.objects.count()
    rng = random.Random("lookup-samples")
    repeat = 100 if args.quick else 1000
    samples = [bench_id_number(rng.randrange(TARGET)) for _ in range(repeat)]
    figures: dict[str, float | str] = {"residents": float(total)}
    if added:
        figures["build_rows_per_s"] = added / seconds
    for username in ("gucheng", "pingan"):
        user = User.objects.get(username=username)
        it = iter(samples * 2)
        Person.objects.visible_to(user).lookup(next(it)).first()  # warm up
        times = harness.timed(lambda u=user, it=it: Person.objects.visible_to(u).lookup(next(it)).first(), repeat)
        figures[f"orm_{username}_p95_ms"] = harness.percentile(times, 95)
        figures[f"orm_{username}_p50_ms"] = harness.percentile(times, 50)
    client = Client()
    client.force_login(User.objects.get(username="pingan"))
    api_samples = iter(samples * 2)

    def api_lookup():
        resp = client.post(
            "/api/v1/people/persons/lookup/", {"value": next(api_samples)}, content_type="application/json"
        )
        if resp.status_code != 200 or resp.json()["count"] != 1:
            raise RuntimeError(f"lookup failed: {resp.status_code}")

    api_lookup()
    api = harness.timed(api_lookup, min(repeat, 300))
    figures["api_pingan_p95_ms"] = harness.percentile(api, 95)
    return harness.Result(NAME, figures, {"p95": "≤ 20 ms"})
