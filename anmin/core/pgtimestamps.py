"""Timestamps read from PostgreSQL by psycopg's C loader instead of Django's Python one.

Django registers its own ``timestamptz`` loader on every psycopg 3 connection
(``django.db.backends.postgresql.psycopg_any.BaseTzLoader``): a subclass of psycopg's *Python*
loader that parses the text and then sets ``tzinfo`` to the connection's time zone. It replaces the C
loader of ``psycopg[binary]``, so every timestamp of every row is parsed in Python — a case row has
nine — 6% of the CPU of the capacity mix (py-spy, 2026-12-05). psycopg's C loader returns the same
value: it reads the session's ``TimeZone`` (which Django sets to the connection's time zone, UTC
here) and gives ``datetime.timezone.utc`` for UTC, ``ZoneInfo(name)`` otherwise — what Django's sets.

:func:`connect` (``connection_created``) registers, on each new PostgreSQL connection when
``USE_TZ`` is on and the C loader is installed, a loader that hands each value to the C loader and
carries the ``timezone`` attribute Django's cursor checks (so Django keeps it rather than registering
its own again; the C type itself can be neither subclassed nor given an attribute). Without
``psycopg[binary]`` (or ``psycopg-c``) nothing changes.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from psycopg.adapt import Loader


@cache
def _c_loader():
    for module in ("psycopg_binary._psycopg", "psycopg_c._psycopg"):
        try:
            return __import__(module, fromlist=["TimestamptzLoader"]).TimestamptzLoader
        except (ImportError, AttributeError):
            continue
    return None


class _CParsed(Loader):
    timezone = None

    def __init__(self, oid, context=None):
        super().__init__(oid, context)
        self._parse = _c_loader()(oid, context).load

    def load(self, data):
        return self._parse(data)


@cache
def loader_for(timezone):
    """A timestamptz loader parsing in C that says it loads in ``timezone`` (as Django's does)."""
    if _c_loader() is None:
        return None
    return type("AnminTimestamptzLoader", (_CParsed,), {"timezone": timezone, "__module__": __name__})


def connect(sender, connection, **kwargs) -> None:
    if connection.vendor != "postgresql" or not settings.USE_TZ:
        return
    loader = loader_for(connection.timezone)
    if loader is not None:
        connection.connection.adapters.register_loader("timestamptz", loader)


def connect_signals() -> None:
    from django.db.backends.signals import connection_created

    connection_created.connect(connect, dispatch_uid="anmin.core.pgtimestamps")
