"""The business clock: what "now" and "today" are for deadlines, warnings, overdue lists and the
dates a form may not exceed.

In production it is the real clock. A database holding a world dated in the past — the demo world
stands on 2020-12-10 — carries a ``ClockShift`` row, and the business clock then reads the shifted
time, running on at real speed: a case reported in the demo is dated December 2020 like the world
around it, and only the cases the world left overdue are overdue. Records of what happened to the
system itself (audit entries, logins, sessions, idempotency keys) always use the real clock.

``people.calendar.today()`` keeps honouring ``ANMIN_TODAY`` (a fixed date for one process).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

_TTL = 60.0  # seconds a process trusts what it read; `anmin clock` changes reach every process within this
_cached: tuple[float, dt.timedelta] | None = None
_moment: ContextVar[dt.datetime | None] = ContextVar("anmin_moment", default=None)


def shift() -> dt.timedelta:
    """How far the business clock stands from the real clock (zero without a ``ClockShift`` row)."""
    global _cached
    mono = time.monotonic()
    if _cached is not None and mono - _cached[0] < _TTL:
        return _cached[1]
    from .models import ClockShift

    try:
        with transaction.atomic():  # a savepoint: a missing table must not spoil the caller's transaction
            row = ClockShift.objects.order_by("pk").values_list("business_at", "real_at").first()
    except DatabaseError:
        if ClockShift._meta.db_table in connection.introspection.table_names():
            # A passing failure (a timeout, a dropped connection): keep the last known shift rather
            # than fall back to the real clock — a sweep on the wrong clock cannot be undone.
            if _cached is not None:
                return _cached[1]
            raise
        row = None  # not migrated yet: the real clock
    value = (row[0] - row[1]) if row else dt.timedelta(0)
    _cached = (mono, value)
    return value


def forget() -> None:
    """Drop this process's cached shift (after changing it, and between tests)."""
    global _cached
    _cached = None


def now() -> dt.datetime:
    """The business moment (aware); inside ``one_moment()``, the moment the block began."""
    return _moment.get() or timezone.now() + shift()


@contextmanager
def one_moment() -> Iterator[None]:
    """Inside the block ``now()`` is the moment it began: a ledger page's rows (each row's time-limit
    state asks for it, twice) are drawn at one moment, not fifty slightly different ones."""
    token = _moment.set(now())
    try:
        yield
    finally:
        _moment.reset(token)


def today() -> dt.date:
    """The business date in the configured time zone."""
    return timezone.localdate(now())


def now_or_real() -> dt.datetime:
    """The business moment where the database can be read, else the real one: for pure checks (an ID
    number's birth date) and labels (an export's file name) that also run with no database at hand."""
    try:
        return now()
    except (RuntimeError, DatabaseError):  # RuntimeError: database access not allowed here (tests, scripts)
        return timezone.now()


def is_shifted() -> bool:
    return shift() != dt.timedelta(0)


def set_business_time(moment: dt.datetime | None, *, note: str = "", actor=None) -> None:
    """Make the business clock read ``moment`` now (None: back to the real clock); audited."""
    from . import audit
    from .models import ClockShift

    with transaction.atomic():
        forget()
        before = now()
        ClockShift.objects.all().delete()
        if moment is not None:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            ClockShift.objects.create(business_at=moment, real_at=timezone.now(), note=note[:200])
        forget()
        transaction.on_commit(forget)  # other reads in this process see the change once it is committed
        audit.record(actor=actor, actor_username="" if actor else (note or "system")[:150], action="update",
                     object_type="core.clockshift",
                     before={"business_now": before.isoformat()}, after={"business_now": now().isoformat()})
