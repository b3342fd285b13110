"""A Redis database of its own for a test run: several test runs (and xdist workers) on one machine
share the Redis at ``ANMIN_TEST_REDIS_URL`` (default redis://127.0.0.1:6379) without seeing each
other's queues. A run leases one of the databases 8–15 (a key set only if absent, with a time to
live of ten minutes, longer than any test), empties it before use and gives it back emptied; RQ's own keys keep
their fixed ``rq:`` prefix, the lease key is ``anmin-test:lease``."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator

LEASE_KEY = "anmin-test:lease"
DATABASES = range(8, 16)
LEASE_SECONDS = 600


def base_url() -> str:
    return os.environ.get("ANMIN_TEST_REDIS_URL", "redis://127.0.0.1:6379").rstrip("/")


def unavailable() -> str | None:
    import redis

    try:
        redis.Redis.from_url(f"{base_url()}/0", socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        return f"no Redis at {base_url()} ({type(exc).__name__})"
    return None


@contextlib.contextmanager
def leased_database() -> Iterator[str]:
    """Yield the URL of a Redis database no other test run is using; empty it before and after."""
    import redis

    owner = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    for number in DATABASES:
        url = f"{base_url()}/{number}"
        client = redis.Redis.from_url(url)
        if client.set(LEASE_KEY, owner, nx=True, ex=LEASE_SECONDS):
            break
    else:
        raise RuntimeError(f"every Redis database {DATABASES.start}–{DATABASES.stop - 1} is leased")
    try:
        for key in client.scan_iter(match="rq:*"):
            client.delete(key)
        yield url
    finally:
        for key in client.scan_iter(match="rq:*"):
            client.delete(key)
        if client.get(LEASE_KEY) == owner.encode():
            client.delete(LEASE_KEY)
