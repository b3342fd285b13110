"""Read replicas: dashboards, reports, KPIs and ledgers read from a streaming replica; everything else,
every write and a user's reads right after their own write read from the primary.

Configured by ``ANMIN_REPLICA_URLS`` (comma-separated) or ``DATABASE_REPLICA_URL``; without either
there is no replica and nothing here changes a query (``db_for_read`` answers ``None``: "default").

How a read gets to a replica — all of these must hold:

* the view said so: a class attribute ``replica_reads = True`` (``LedgerView``, the analytics pages,
  the home page's KPI cards, the API's list and detail views) and the request is a GET or HEAD —
  ``ReplicaMiddleware`` opens the window for the view only, after authentication and the session
  were read from the primary;
* the user is not **pinned**: after a request of theirs wrote anything (other than bookkeeping such
  as the session or the audit line of a page view), ``ReplicaMiddleware`` sets a short-lived cookie
  and a cache key (``ANMIN_REPLICA_PIN_SECONDS``, default 5) so that their next reads — on any app
  server — see their own write;
* nothing was written earlier in the same request and no transaction was opened on the primary;
* the replica is healthy: it answers and has replayed the WAL it received, or is at most
  ``ANMIN_REPLICA_MAX_LAG_SECONDS`` (default 10) behind — asked at most once every
  ``ANMIN_REPLICA_CHECK_SECONDS`` (default 5) per process; otherwise the primary serves the read.

Migrations run on the primary only; a replica is a physical copy of it.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connections

log = logging.getLogger("anmin.replicas")

PRIMARY = "default"
PIN_COOKIE = "anmin_pin"

# Writes of these models are bookkeeping, not a user's data: they do not pin the user.
UNPINNING_MODELS = frozenset({"sessions.session", "core.auditentry", "core.heartbeat", "core.idempotencykey",
                              "core.loginthrottle"})
# Who may do what is always read from the primary: a revoked token, a deactivated user, a changed
# role or a new session must count at once, not after the replica caught up.
PRIMARY_ONLY_APPS = frozenset({"auth", "sessions", "otp_totp", "otp_static", "django_tasks_db"})
PRIMARY_ONLY_MODELS = frozenset({"core.user", "core.role", "core.apitoken", "core.loginthrottle",
                                 "core.idempotencykey", "core.heartbeat"})


@dataclass
class _State:
    eligible: bool = False  # the view asked for replica reads
    wrote: bool = False  # something was written in this request (or block)
    pin: bool = False  # a write that pins the user
    chosen: set[str] = field(default_factory=set)  # aliases that served reads (for tests and logs)
    # Transactions open on the primary when the window opened (a test's own); one opened after it
    # keeps its reads on the primary.
    depth: int = field(default_factory=lambda: len(connections[PRIMARY].atomic_blocks))


_state: contextvars.ContextVar[_State | None] = contextvars.ContextVar("anmin_replica_state", default=None)


def replica_aliases() -> list[str]:
    return list(getattr(settings, "ANMIN_DB_REPLICAS", []))


def pin_seconds() -> float:
    return float(getattr(settings, "ANMIN_REPLICA_PIN_SECONDS", 5))


# ---- replica health --------------------------------------------------------------------------

_health: dict[str, tuple[float, bool]] = {}  # alias -> (checked at, monotonic; healthy)

LAG_SQL = """
SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0
            WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END
"""


def replica_lag(alias: str) -> float:
    """Seconds the replica's replay is behind what it received (0 when it has replayed it all)."""
    conn = connections[alias]
    if conn.vendor != "postgresql":
        return 0.0
    with conn.cursor() as cursor:
        cursor.execute(LAG_SQL)
        return float(cursor.fetchone()[0])


def healthy(alias: str, now: float | None = None) -> bool:
    now = time.monotonic() if now is None else now
    checked = _health.get(alias)
    if checked and now - checked[0] < float(getattr(settings, "ANMIN_REPLICA_CHECK_SECONDS", 5)):
        return checked[1]
    try:
        lag = replica_lag(alias)
        ok = lag <= float(getattr(settings, "ANMIN_REPLICA_MAX_LAG_SECONDS", 10))
        if not ok:
            log.warning("replica.behind alias=%s lag=%.1fs", alias, lag)
    except DatabaseError as exc:
        ok = False
        log.warning("replica.unavailable alias=%s error=%s", alias, type(exc).__name__)
        with contextlib.suppress(DatabaseError):
            connections[alias].close()
    _health[alias] = (now, ok)
    return ok


def forget_health() -> None:
    _health.clear()


# ---- the window a view opens -----------------------------------------------------------------


@contextlib.contextmanager
def replica_reads(*, pinned: bool = False) -> Iterator[_State]:
    """Reads inside this block may go to a replica (unless ``pinned`` or after a write in it)."""
    state = _State(eligible=not pinned)
    token = _state.set(state)
    try:
        yield state
    finally:
        _state.reset(token)


@contextlib.contextmanager
def tracking_writes() -> Iterator[_State]:
    """Note the writes of a request that reads from the primary only (to pin its user)."""
    state = _State(eligible=False)
    token = _state.set(state)
    try:
        yield state
    finally:
        _state.reset(token)


class ReplicaRouter:
    """``DATABASE_ROUTERS`` entry: see the module's docstring."""

    def db_for_read(self, model, **hints):
        state = _state.get()
        if state is None or not state.eligible or state.wrote:
            return None
        label = model._meta.label_lower
        if (model._meta.app_label in PRIMARY_ONLY_APPS or label in PRIMARY_ONLY_MODELS
                or label.startswith("core.user_")):  # the user's roles and permissions (through tables)
            return None
        aliases = replica_aliases()
        if not aliases or len(connections[PRIMARY].atomic_blocks) > state.depth:
            return None
        candidates = [a for a in aliases if healthy(a)]
        if not candidates:
            state.chosen.add(PRIMARY)
            return None
        alias = random.choice(candidates)  # spreading load, not a secret
        state.chosen.add(alias)
        return alias

    def db_for_write(self, model, **hints):
        state = _state.get()
        if state is not None:
            state.wrote = True
            if model._meta.label_lower not in UNPINNING_MODELS:
                state.pin = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias holds the same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


# ---- pins ------------------------------------------------------------------------------------


def _pin_key(user_id) -> str:
    return f"anmin:replica-pin:{user_id}"


def is_pinned(request) -> bool:
    until = request.COOKIES.get(PIN_COOKIE)
    if until:
        with contextlib.suppress(ValueError):
            if float(until) > time.time():
                return True
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return bool(caches["shared"].get(_pin_key(user.pk)))
    return False


def pin(request, response) -> None:
    """Keep this signed-in user on the primary for ``pin_seconds()``. Anonymous writers (the public
    portal's tip line) get no cookie: nothing to read back, and nothing to tell them apart by."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    seconds = pin_seconds()
    response.set_cookie(PIN_COOKIE, f"{time.time() + seconds:.3f}", max_age=max(1, int(seconds + 0.999)),
                        httponly=True, samesite="Lax", secure=request.is_secure())
    caches["shared"].set(_pin_key(user.pk), 1, timeout=max(1, int(seconds + 0.999)))


class ReplicaMiddleware:
    """Opens the replica window for views that ask for it; pins a user after their write.

    The window is this request's context: it covers the view and the rendering of its template
    response (both happen before the middleware chain returns); a streamed body read later reads
    from the primary."""

    SAFE = frozenset({"GET", "HEAD"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_aliases():
            return self.get_response(request)
        with tracking_writes() as state:
            request.replica_state = state
            response = self.get_response(request)
        if state.pin:
            pin(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        state = getattr(request, "replica_state", None)
        if state is None or request.method not in self.SAFE or state.wrote:
            return None
        view_class = getattr(view_func, "view_class", None) or getattr(view_func, "cls", None)
        if getattr(view_class, "replica_reads", False) and not is_pinned(request):
            state.eligible = True
        return None
