"""Scoped reads of the jurisdiction for a township and a city user (the foundation's hot path)."""

from __future__ import annotations

from . import harness

NAME = "scoping"


def run(args) -> harness.Result:
    from django.test import Client

    from anmin.core.demo import build as build_core
    from anmin.core.models import User

    build_core()
    repeat = 30 if args.quick else 200
    figures: dict[str, float | str] = {}
    for username in ("gucheng", "pingan"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        client.get("/regions/")  # warm up
        samples = harness.timed(lambda c=client: c.get("/regions/?level=3"), repeat)
        figures[f"{username}_p95_ms"] = harness.percentile(samples, 95)
        api = harness.timed(lambda c=client: c.get("/api/v1/regions/?level=4"), repeat)
        figures[f"{username}_api_p95_ms"] = harness.percentile(api, 95)
    return harness.Result(NAME, figures, {"p95": "≤ 100 ms (ledger target)"})
