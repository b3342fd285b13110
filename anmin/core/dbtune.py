"""Planner settings the app changes for a while (decision 0018).

The app's connections run without parallel plans (``settings.DATABASES``: its statements are short
and many run at once). A figure counted over a whole city's records and then cached — the
dashboard's, a report's — is the exception: one user waits for it while the cores are otherwise
idle, and two parallel workers shorten that wait.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.conf import settings
from django.db import DatabaseError, connections


@contextlib.contextmanager
def parallel_plans(workers: int | None = None) -> Iterator[None]:
    """Inside the block, PostgreSQL may give a statement ``workers`` parallel workers (default
    ``ANMIN_DB_PARALLEL_FIGURES``, 2) on every PostgreSQL connection the block may read from (the
    primary and the replicas); afterwards each goes back to its own setting. Nothing on SQLite."""
    n = int(getattr(settings, "ANMIN_DB_PARALLEL_FIGURES", 2)) if workers is None else workers
    aliases = [alias for alias in settings.DATABASES if connections[alias].vendor == "postgresql"]
    changed = []
    try:
        for alias in aliases:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT set_config('max_parallel_workers_per_gather', %s, false)", [str(n)])
            changed.append(alias)
        yield
    finally:
        for alias in changed:
            # In a transaction that failed, the rollback undoes the setting by itself.
            with contextlib.suppress(DatabaseError), connections[alias].cursor() as cursor:
                cursor.execute("RESET max_parallel_workers_per_gather")
