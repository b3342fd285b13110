"""Figures that are the same for everyone in a scope, cached until a write could change them.

A home-page card, a KPI or a region tree is computed from records the user may see; computing the
city's dispute figures costs hundreds of milliseconds and gives the same answer to every request until
a record changes. ``cached(name, user, compute)`` keeps the answer under a key made of

* ``name`` (the card, the year …),
* the user's scope: region prefixes, roles, org unit — and the user's own id, because what is assigned
  to a user is part of what they see (``core.scoping``),
* the **generations** of the data the scope covers: one per township (the first 9 digits of a region
  code) for a scope inside townships — with the user's own and their unit's, which move when a record
  is assigned to them or taken from them, wherever it lies — the city-wide one for a wider scope.

Every write to a scoped model moves the generations (``bump``): a save or delete of one record moves
its township's and the city-wide one, and those of the users and units it is assigned to (its
policy's ``assignee_fields``/``org_fields``) after the write and was assigned to when it was read —
so a case of another township handed to a unit, or taken from it, moves that unit's figures too; a
bulk ``update``/``bulk_create``/``delete`` (through ``ScopedQuerySet``) moves all of them. They move
when the transaction commits, before the writer's response goes out, so any request after it reads
the new figures; a reader that fetched the old generation and computed from the old rows stores its
answer under a generation nobody asks for again.
Inside the writer's own transaction, before the commit, ``cached`` computes afresh (the writer sees
its own write) — and keeps that answer for the rest of the transaction until its next write
(``memo``), so a transaction that wrote once and then reads many times (a test's requests inside its
one transaction, a long import) does not recompute on every read. So a figure is right on the first
read after a write.

Where things live: the values in this process's memory (the ``default`` cache, local memory); the
generations in the ``shared`` cache, which every process of the server sees — a file-based cache under
``ANMIN_VAR_DIR/cache`` by default, Redis when ``ANMIN_REDIS_URL`` is set (several app servers). A
generation is a random token, so a lost or evicted one only causes a recomputation.
"""

from __future__ import annotations

import contextvars
import hashlib
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.db import transaction

VALUE_SECONDS = 600  # a value is recomputed at least this often, writes or not
GEN_SECONDS = 24 * 3600
ALL = "g:all"  # moves on every write
ANY = "g:any"  # moves on a write whose township is not known (bulk writes)
REF = "g:ref"  # moves on a write to reference data (the region tree, org units)


def _shared():
    return caches["shared"]


def _local():
    return caches["default"]


def _township_key(code: str) -> str:
    return f"g:t:{code[:9]}"


def user_key(pk) -> str:
    """The generation of the records assigned to a user (a policy's ``assignee_fields``)."""
    return f"g:u:{pk}"


def unit_key(pk) -> str:
    """The generation of the records assigned to an org unit (``org_fields``, a case's co-handling units)."""
    return f"g:o:{pk}"


# The generations a request has read, read once per request: a page asks for them dozens of times (every
# code name of a ledger's rows), and the shared cache is a file or Redis away. A request sees the writes
# committed before it started, and its own (a move here empties it); nothing else changes for it.
_seen: contextvars.ContextVar[dict | None] = contextvars.ContextVar("anmin_generations_seen", default=None)


def request_started(**kwargs) -> None:
    _seen.set({})


def request_finished(**kwargs) -> None:
    _seen.set(None)


def _new_generations(keys: list[str]) -> None:
    _shared().set_many({k: uuid.uuid4().hex for k in keys}, GEN_SECONDS)
    seen = _seen.get()
    if seen is not None:
        seen.clear()


def _pending_move(conn):
    """The on-commit function that will move this connection's open transaction's generations."""
    for _sids, func, _robust in conn.run_on_commit:
        if getattr(func, "anmin_generations", None) is not None:
            return func
    return None


def memo(keys: set[str] | None = None) -> dict | None:
    """When this connection's open transaction wrote what ``keys`` cover (any generation when None): a
    dict in which to keep values derived from that data for the rest of the transaction — emptied by
    its next write, and one per savepoint level (what was read inside a savepoint rolled back since is
    not reused). None when the shared caches may be used."""
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        return None
    move = _pending_move(conn)
    if move is None or (keys is not None and not (move.anmin_generations & keys)):
        return None
    return move.anmin_memo.setdefault(tuple(conn.savepoint_ids), {})


def remembered(keys: set[str] | None, name, compute: Callable[[], Any]):
    """``(True, value)`` — ``compute()`` kept in this transaction's ``memo(keys)`` — when the
    transaction wrote what ``keys`` cover; ``(False, None)`` otherwise (use the caches)."""
    kept = memo(keys)
    if kept is None:
        return False, None
    if name not in kept:
        kept[name] = compute()
    return True, kept[name]


def bump(region_code: str | None = None, *, reference: bool = False, assigned: set[str] = frozenset()) -> None:
    """Move the generations a write touches: its township's (when known) and the city-wide one; an
    unknown township moves ``ANY``, which every scope includes; reference data also moves ``REF``;
    ``assigned``: the ``user_key``/``unit_key`` of whom the record is (or was) assigned to.
    On commit, or at once outside a transaction."""
    keys = {ALL, _township_key(region_code) if region_code and len(region_code) >= 9 else ANY, *assigned}
    if reference:
        keys.add(REF)
    bump_keys(keys)


def bump_keys(keys: set[str]) -> None:
    """Move these generations when the transaction commits (at once outside one); until then the
    writing transaction computes afresh (``memo``)."""
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        _new_generations(sorted(keys))
        return
    pending = _pending_move(conn)
    if pending is not None:
        pending.anmin_generations.update(keys)
        pending.anmin_memo.clear()  # what was read in this transaction before this write is not reused
        return

    def move() -> None:
        _new_generations(sorted(move.anmin_generations))

    move.anmin_generations = set(keys)
    move.anmin_memo = {}
    transaction.on_commit(move)


def generations(keys: list[str]) -> list[str]:
    """The current generations of ``keys`` (started where missing)."""
    return _generations(keys)


def _generation_keys(user) -> list[str]:
    """The generations ``user``'s figures depend on: their townships', ``ANY``, their own and their
    unit's (what is assigned to them lies anywhere); the city-wide one for a wider scope."""
    prefixes = tuple(user.scope.prefixes)
    if prefixes and all(len(p) >= 9 for p in prefixes):
        assigned = [user_key(user.pk)] + ([unit_key(user.org_unit_id)] if user.org_unit_id else [])
        return [*sorted({_township_key(p) for p in prefixes}), ANY, *assigned]
    return [ALL]


def _generations(keys: list[str]) -> list[str]:
    seen = _seen.get()
    if seen is not None:
        if all(k in seen for k in keys):
            return [seen[k] for k in keys]
        found = _read_generations(keys)
        seen.update(found)
        return [found[k] for k in keys]
    found = _read_generations(keys)
    return [found[k] for k in keys]


def _read_generations(keys: list[str]) -> dict[str, str]:
    shared = _shared()
    found = shared.get_many(keys)
    missing = [k for k in keys if k not in found]
    if missing:  # never set, or evicted: start one (a value keyed on the old one is never read again)
        fresh = {k: uuid.uuid4().hex for k in missing}
        for k, v in fresh.items():
            shared.add(k, v, GEN_SECONDS)  # another process may have set it just now: keep theirs
        found.update(shared.get_many(missing))
    return {k: found.get(k, "") for k in keys}


def scope_signature(user) -> str:
    scope = user.scope
    roles = ",".join(sorted(r.code for r in user.role_list))
    raw = f"{user.pk}|{user.org_unit_id}|{roles}|{','.join(scope.prefixes)}|{','.join(scope.reference_prefixes)}"
    return hashlib.blake2b(raw.encode(), digest_size=12).hexdigest()


def cached(name: str, user, compute: Callable[[], Any], *, seconds: int = VALUE_SECONDS) -> Any:
    """``compute()`` for ``user``'s scope, from the cache while no write could have changed it (the
    generations are read before computing: see the module's note)."""
    keys = _generation_keys(user)
    gens = _generations(keys)
    key = "sc:" + hashlib.blake2b(
        f"{name}|{scope_signature(user)}|{'|'.join(gens)}".encode(), digest_size=16).hexdigest()
    wrote, value = remembered(None, ("sc", name, scope_signature(user)), compute)
    if wrote:  # this transaction wrote: its own figures are not the cached ones
        return value
    local = _local()
    value = local.get(key)
    if value is None:
        value = compute()
        local.set(key, value, seconds)
    return value


def cached_reference(name: str, compute: Callable[[], Any], *, seconds: int = VALUE_SECONDS) -> Any:
    """``compute()`` from reference data only (the region tree, org units: ``ScopePolicy(reference_data=
    True)``), kept until the next write to reference data. ``name`` must say everything the value
    depends on (a scoped queryset's SQL carries the scope)."""
    gen = _generations([REF])[0]
    key = "st:" + hashlib.blake2b(f"{name}|{gen}".encode(), digest_size=16).hexdigest()
    wrote, value = remembered(None, ("st", name), compute)
    if wrote:
        return value
    local = _local()
    value = local.get(key)
    if value is None:
        value = compute()
        local.set(key, value, seconds)
    return value


_objects: dict[str, tuple[str, float, Any]] = {}


def reference_object(name: str, compute: Callable[[], Any], *, seconds: int = VALUE_SECONDS,
                     generation: str = REF, written: set[str] | None = None) -> Any:
    """Like ``cached_reference``, but the very object ``compute()`` made, kept in this process (no
    copy per read: for a table of rules or units read on every request). Callers must not change it.
    Writes to models whose ``ScopePolicy`` says ``reference_data`` move it, and so does ``bump(…,
    reference=True)`` (for rules that are data but not scoped, e.g. routing rules). Another
    ``generation`` (e.g. the code tables'): kept until that one moves; ``written``: the generations
    whose write in this transaction makes it read afresh (``memo``; default any)."""
    wrote, value = remembered(written, ("ro", name), compute)
    if wrote:
        return value
    gen = _generations([generation])[0]
    hit = _objects.get(name)
    now = time.monotonic()
    if hit is not None and hit[0] == gen and hit[1] > now:
        return hit[2]
    value = compute()
    _objects[name] = (gen, now + seconds, value)
    return value


# ---- what counts as a write ---------------------------------------------------------------------
# Logs written on every action that no cached figure reads (the audit chain, a user's own notices).
IGNORED = frozenset({"core.auditentry", "core.notice"})


def _region_of(instance) -> str | None:
    """The record's region code when it is at hand without a query (the policy's path, loaded)."""
    from .scoping import get_policy

    obj, parts = instance, get_policy(type(instance)).region_field.split("__")
    for i, part in enumerate(parts):
        field = obj._meta.get_field(part)
        last = i == len(parts) - 1
        if last:
            value = getattr(obj, field.attname)
            return value if isinstance(value, str) else None
        if not field.is_relation or not field.is_cached(obj):
            return None
        obj = getattr(obj, part)
        if obj is None:
            return None
    return None


# The policy's own assignment columns of each model (``[(attname, key function)]``): a record assigned
# through another one (a domain detail's ``case__handler``) is reassigned by writing that one.
_assignment: dict[type, tuple[tuple[str, Callable[[Any], str]], ...]] = {}
LOADED = "_anmin_assigned"  # on an instance: whom it was assigned to when read (or last written)


def _assignment_columns(model) -> tuple[tuple[str, Callable[[Any], str]], ...]:
    from .scoping import get_policy

    policy = get_policy(model)
    out = []
    for names, key in ((policy.assignee_fields, user_key), (policy.org_fields, unit_key)):
        for name in names:
            if "__" not in name:
                out.append((model._meta.get_field(name).attname, key))
    return tuple(out)


def _assigned_now(model, instance) -> tuple:
    return tuple(instance.__dict__.get(attname) for attname, _key in _assignment[model])


def stamper(model) -> Callable[[Any], None] | None:
    """For a model with assignment columns, the function ``ScopedQuerySet`` applies to each record it
    reads: remember whom the record was assigned to, so that a write moving it away moves that user's
    or unit's generation too (every write of the case engine reads its case so, locked). None for any
    other model. Not ``post_init``: that would send ``core.bulkcopy.build`` down ``Model.__init__``."""
    if not _assignment.get(model):
        return None

    def stamp(instance) -> None:
        instance.__dict__[LOADED] = _assigned_now(model, instance)

    return stamp


def _assigned_keys(model, instance) -> set[str]:
    columns = _assignment.get(model)
    if not columns:
        return set()
    now = _assigned_now(model, instance)
    before = instance.__dict__.get(LOADED) or (None,) * len(columns)
    instance.__dict__[LOADED] = now  # the next write of this instance moves away from what it is now
    return {key(value) for (_attname, key), *values in zip(columns, now, before, strict=True)
            for value in values if value is not None}


def _on_write(sender, instance, **kwargs) -> None:
    if sender._meta.label_lower in IGNORED or kwargs.get("raw"):
        return
    try:
        code = _region_of(instance)
    except Exception:  # an unusual path: move every generation instead
        code = None
    bump(code, reference=_is_reference(sender), assigned=_assigned_keys(sender, instance))


def _is_reference(model) -> bool:
    return bool(getattr(getattr(model, "scope", None), "reference_data", False))


def bulk_write(model) -> None:
    """A set-based write on ``model`` (``ScopedQuerySet.update``/``bulk_create``/``delete``)."""
    if model._meta.label_lower not in IGNORED:
        bump(None, reference=_is_reference(model))


def connect_signals() -> None:
    from django.apps import apps
    from django.core import signals
    from django.db.models.signals import post_delete, post_save

    from .scoping import ScopePolicy

    signals.request_started.connect(request_started, dispatch_uid="anmin.scopecache.request_started")
    signals.request_finished.connect(request_finished, dispatch_uid="anmin.scopecache.request_finished")
    for model in apps.get_models():
        if isinstance(getattr(model, "scope", None), ScopePolicy) and model._meta.label_lower not in IGNORED:
            uid = f"anmin.scopecache.{model._meta.label_lower}"
            post_save.connect(_on_write, sender=model, dispatch_uid=uid + ".save")
            post_delete.connect(_on_write, sender=model, dispatch_uid=uid + ".delete")
            _assignment[model] = _assignment_columns(model)
