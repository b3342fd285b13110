"""The audit trail's API: ``record()`` inside every write's transaction, ``record_reveal()`` for
sensitive reads, ``verify_chain()`` for ``anmin audit verify``.

Each entry's hash is SHA-256 over a canonical JSON of its fields, including the previous entry's
hash, so changing, inserting or deleting any row breaks the chain from that row on. Appends are
serialised (a transaction-scoped advisory lock on PostgreSQL; SQLite's IMMEDIATE transactions
already admit one writer at a time), so concurrent writers never fork the chain.
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from .bulkcopy import copy_create, row_values
from .models.audit import GENESIS_HASH, AuditAction, AuditEntry
from .scoping import ScopePolicy

# An arbitrary constant naming the chain's lock among PostgreSQL advisory locks.
_PG_LOCK_KEY = 0x616E6D696E  # "anmin"

# Keys whose values never enter the log in clear, whatever the caller passes: secrets are
# blanked out entirely, personal identifiers keep the head and tail the UI shows.
SECRET_KEYS = frozenset(
    {
        "password",
        "password1",
        "password2",
        "new_password1",
        "new_password2",
        "old_password",
        "token",
        "otp_token",
        "secret",
        "receipt_code",
    }
)
DEFAULT_SENSITIVE_KEYS = SECRET_KEYS | frozenset({"id_number", "phone", "mobile", "diagnosis"})

__all__ = [
    "AuditAction",
    "ChainReport",
    "batch",
    "client_address",
    "mask_value",
    "masked",
    "record",
    "record_export",
    "record_reveal",
    "region_of",
    "snapshot",
    "verify_chain",
]


def sensitive_keys() -> frozenset[str]:
    return DEFAULT_SENSITIVE_KEYS | frozenset(getattr(settings, "ANMIN_AUDIT_SENSITIVE_KEYS", ()))


def mask_value(value: Any, *, secret: bool = False) -> Any:
    """Mask a sensitive value the way the UI does: keep the first 3 and last 4 of long values
    (``411***********1234``, ``138****5678``); a secret shows nothing at all."""
    if value in (None, ""):
        return value
    text = str(value)
    if not secret and len(text) >= 11:
        return text[:3] + "*" * (len(text) - 7) + text[-4:]
    return "******"


def masked(data: Mapping[str, Any] | None, extra_keys: Iterable[str] = ()) -> dict[str, Any] | None:
    """A copy of ``data`` with the values of sensitive keys masked (nested dicts too)."""
    if data is None:
        return None
    keys = sensitive_keys() | frozenset(extra_keys)
    out: dict[str, Any] = {}
    for k, v in data.items():
        if isinstance(v, Mapping):
            out[str(k)] = masked(v, extra_keys)
        elif str(k) in keys:
            out[str(k)] = mask_value(v, secret=str(k) in SECRET_KEYS)
        else:
            out[str(k)] = v
    return out


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete field values of ``obj`` for ``before``/``after``, sensitive values masked.

    A field that knows how to mask itself (an ``audit_mask(value)`` method, as protected fields
    provide) is asked to; otherwise values of keys named sensitive are masked.
    """
    wanted = set(fields) if fields is not None else None
    data: dict[str, Any] = {}
    keys = sensitive_keys()
    for field in obj._meta.concrete_fields:
        if wanted is not None and field.name not in wanted:
            continue
        value = getattr(obj, field.attname)
        mask = getattr(field, "audit_mask", None)
        if callable(mask):
            value = mask(value)
        elif field.name in keys or field.attname in keys:
            value = mask_value(value, secret=field.name in SECRET_KEYS)
        data[field.name] = value
    return data


def client_address(request) -> str:
    """The client's address; behind ``ANMIN_TRUSTED_PROXY_COUNT`` proxies, from X-Forwarded-For."""
    if request is None:
        return ""
    meta = getattr(request, "META", {}) or {}
    proxies = int(getattr(settings, "ANMIN_TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies > 0:
        chain = [p.strip() for p in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(chain) >= proxies:
            return chain[-proxies][:64]
    return str(meta.get("REMOTE_ADDR", "") or "")[:64]


def _request_id(request) -> str:
    return str(getattr(request, "request_id", "") or "")[:64] if request is not None else ""


def _json_safe(value: Any) -> Any:
    """What the database will hand back: plain JSON types only (so the hash survives a round trip)."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def _region_of(obj: models.Model) -> str:
    policy = getattr(obj._meta.model, "scope", None)
    if not isinstance(policy, ScopePolicy):
        return ""
    *path, last = policy.region_field.split("__")
    target: Any = obj
    for part in path:
        target = getattr(target, part, None)
        if target is None:
            return ""
    field = target._meta.get_field(last)
    value = getattr(target, field.attname)
    return "" if value is None else str(value)[:16]


def region_of(obj: models.Model) -> str:
    """The region code of a record, through its model's ScopePolicy ("" when it has none)."""
    return _region_of(obj)


def canonical(fields: Mapping[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _hashed_fields(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": entry.actor_id,
        "actor_username": entry.actor_username,
        "actor_org_id": entry.actor_org_id,
        "actor_org_name": entry.actor_org_name,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "region_code": entry.region_code,
        "before": entry.before,
        "after": entry.after,
        "reason": entry.reason,
        "remote_addr": entry.remote_addr,
        "request_id": entry.request_id,
        "prev_hash": entry.prev_hash,
    }


def entry_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(canonical(_hashed_fields(entry))).hexdigest()


def _lock_chain_and_read_head() -> tuple[int, str] | None:
    """Take the chain's lock, then read its head: the latest committed entry.

    PostgreSQL: both statements in one round trip. Each statement of a transaction in READ
    COMMITTED takes its own snapshot when it starts, so the head is read after the lock is held,
    as with two separate calls. SQLite: the settings open every transaction with BEGIN IMMEDIATE,
    which already holds the database's single write lock for the rest of the transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_LOCK_AND_HEAD_SQL)
            cursor.nextset()
        else:
            cursor.execute(_HEAD_SQL)
        return cursor.fetchone()


_batch = threading.local()
_HEAD_SQL = f"SELECT seq, hash FROM {AuditEntry._meta.db_table} ORDER BY seq DESC LIMIT 1"  # noqa: S608 (a model's table)
_LOCK_AND_HEAD_SQL = f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY}); {_HEAD_SQL}"


@contextmanager
def batch() -> Iterator[None]:
    """Entries recorded inside the block are appended together when it ends, still inside the
    caller's transaction (open the block inside ``transaction.atomic``). Appending takes the chain
    lock, held until the commit: an action that writes several rows and records as it goes holds it
    only for its last moments instead of its whole length, and concurrent writers wait that much
    less. Nested blocks append with the outermost one; an exception discards the entries (the
    transaction rolls back with them).

    Inside a batch, do not catch the failure of an inner ``atomic()`` block that recorded an entry
    and carry on: its savepoint rolls back, but the entry is already collected and would be
    appended. Record after the inner block succeeds, or keep such loops outside the batch."""
    if getattr(_batch, "pending", None) is not None:
        yield
        return
    _batch.pending = []
    try:
        yield
        pending = _batch.pending
    finally:
        _batch.pending = None
    if pending:
        _write_entries(pending)


def discard_batch() -> None:
    """Drop the entries the open batch has collected (its transaction is being rolled back)."""
    if getattr(_batch, "pending", None) is not None:
        _batch.pending.clear()


def _write_entries(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Append entries (built, not saved) under one chain lock and one read of the head; each gets
    its place in the chain (``seq``, ``prev_hash``, ``hash``) and a time not before the head's."""
    if not in_a_transaction():
        raise RuntimeError("audit.record() must run inside the action's transaction (transaction.atomic)")
    now = timezone.now()
    for entry in entries:
        entry.at = max(entry.at, now)
    if connection.vendor == "postgresql" and len(entries) <= _ONE_TRIP_MAX:
        return _append_in_one_trip(entries)
    head = _lock_chain_and_read_head()
    seq, prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS_HASH)
    for entry in entries:
        entry.seq, entry.prev_hash = seq, prev_hash
        entry.hash = entry_hash(entry)
        seq, prev_hash = seq + 1, entry.hash
    # An action's entries in one statement (the chain's only writer; the log's queryset refuses
    # bulk_create to everyone else).
    if connection.vendor == "postgresql":
        copy_create(entries)
    elif len(entries) == 1:
        entries[0].save()
    else:
        models.QuerySet.bulk_create(AuditEntry.objects.all(), entries)
    return entries


# The chain on PostgreSQL: the lock, the head and the new entries in one round trip. Each entry's
# hash is what ``entry_hash`` computes — SHA-256 of its canonical JSON — but the JSON is sent in two
# parts, around the two values only the head gives (the previous hash, in the middle of the sorted
# keys, and ``seq``, the last key), and joined by the statement: the lock is then held for this one
# round trip and the commit, not for a round trip, the Python between and another round trip, each
# waiting for its thread's turn at the interpreter on a busy server (decision 0007).
_SEQ_TAIL = ',"seq":0}'
_PREV_MARK = "@@prev@@"
_CHAINED = ("seq", "prev_hash", "hash")
_APPENDS: dict[int, str] = {}
_ONE_TRIP_MAX = 20  # more entries at once (a long list of steps): hashed in Python and copied as before


@functools.cache
def _unchained_fields() -> tuple:
    """The entry's columns Python fills in (all but the three the statement chains)."""
    return tuple(f for f in AuditEntry._meta.concrete_fields if f.name not in _CHAINED)


def _append_sql(count: int) -> str:
    sql = _APPENDS.get(count)
    if sql is not None:
        return sql
    meta = AuditEntry._meta
    fields = _unchained_fields()
    quote = connection.ops.quote_name
    columns = ["i", "a", "b", *(f.column for f in fields)]
    casts = ["integer", "text", "text", *(f.rel_db_type(connection) if f.is_relation else f.db_type(connection)
                                           for f in fields)]
    one = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
    table = quote(meta.db_table)
    step = ("encode(sha256(convert_to(r.a || {prev} || r.b || ({seq} + 1)::text || '}}', 'UTF8')), 'hex')")
    # The model's own names and types; every value a parameter.
    sql = (
        f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY}); "  # noqa: S608
        f"WITH RECURSIVE head AS ({_HEAD_SQL}), "
        f"r (i, a, b, {', '.join(quote(c) for c in columns[3:])}) AS (VALUES {', '.join([one] * count)}), "
        "chain (i, seq, prev, hash) AS ("
        f"SELECT r.i, h.seq + 1, h.hash, {step.format(prev='h.hash', seq='h.seq')} "
        f"FROM (SELECT COALESCE((SELECT seq FROM head), 0) AS seq, COALESCE((SELECT hash FROM head), '{GENESIS_HASH}') "
        "AS hash) h, r WHERE r.i = 1 "
        f"UNION ALL SELECT r.i, c.seq + 1, c.hash, {step.format(prev='c.hash', seq='c.seq')} "
        "FROM chain c JOIN r ON r.i = c.i + 1) "
        f"INSERT INTO {table} ({', '.join(quote(c) for c in ('seq', 'prev_hash', 'hash', *columns[3:]))}) "
        f"SELECT c.seq, c.prev, c.hash, {', '.join('r.' + quote(c) for c in columns[3:])} "
        "FROM chain c JOIN r ON r.i = c.i ORDER BY c.seq RETURNING seq, prev_hash, hash"
    )
    _APPENDS[count] = sql
    return sql


def _parts(entry: AuditEntry) -> tuple[str, str]:
    """The entry's canonical JSON before its previous hash, and after it up to its ``seq``."""
    text = canonical(_hashed_fields(entry)).decode("utf-8")
    marker = f'"prev_hash":"{_PREV_MARK}"'
    # The last occurrence: the sorted top-level keys put prev_hash after before/after (which may hold
    # anything) and before reason, remote_addr and request_id, strings whose quotes are escaped.
    cut = text.rindex(marker)
    if not text.endswith(_SEQ_TAIL):
        raise RuntimeError("audit: seq is not the canonical form's last key")
    return text[:cut] + '"prev_hash":"', '"' + text[cut + len(marker):-len("0}")]


def _append_in_one_trip(entries: list[AuditEntry]) -> list[AuditEntry]:
    for entry in entries:
        entry.seq, entry.prev_hash = 0, _PREV_MARK
    params: list[Any] = []
    for i, (entry, row) in enumerate(zip(entries, row_values(entries, _unchained_fields()), strict=True), start=1):
        params += [i, *_parts(entry), *row]
    sql = _append_sql(len(entries))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.nextset()
        chained = cursor.fetchall()
    for entry, (seq, prev_hash, digest) in zip(entries, chained, strict=True):
        entry.seq, entry.prev_hash, entry.hash = seq, prev_hash, digest
        entry._state.adding = False
        entry._state.db = connection.alias
    return entries


def in_a_transaction() -> bool:
    """Whether the code runs inside a transaction of its own. A test's wrapping transaction (Django's
    TestCase marks its blocks ``_from_testcase``) does not count: a call made outside any transaction
    fails in the test as it does on the server (the 扫黑办's tip key unlock answered 500 on the server
    while every test of it, inside its test's transaction, passed)."""
    return connection.in_atomic_block and not all(
        getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def _append(**fields: Any) -> AuditEntry:
    if not in_a_transaction():
        raise RuntimeError("audit.record() must run inside the action's transaction (transaction.atomic)")
    entry = AuditEntry(**fields)
    pending = getattr(_batch, "pending", None)
    if pending is not None:  # appended when the batch ends: this object then gets its seq and hash
        pending.append(entry)
        return entry
    return _write_entries([entry])[0]


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: Any = None,
    region_code: str | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str = "",
    request=None,
    sensitive: Iterable[str] = (),
    actor_username: str | None = None,
) -> AuditEntry:
    """Append one entry. Call it inside the action's ``transaction.atomic`` block, as late as the
    action allows (the chain lock is held until the transaction ends).

    ``obj`` fills ``object_type`` ("app_label.model"), ``object_id`` and ``region_code`` (from the
    model's ScopePolicy) unless they are given. ``before``/``after`` are dicts; values of sensitive
    keys (see ``DEFAULT_SENSITIVE_KEYS``, ``settings.ANMIN_AUDIT_SENSITIVE_KEYS`` and ``sensitive``)
    are masked. ``request`` supplies the client address and request id.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
        region_code = _region_of(obj) if region_code is None else region_code
    user = actor if getattr(actor, "is_authenticated", False) and not getattr(actor, "is_system", False) else None
    if actor_username is None and getattr(actor, "is_system", False):
        actor_username = "system"
    org = getattr(user, "org_unit", None) if user is not None else None
    return _append(
        at=timezone.now(),
        actor=user,
        actor_username=(actor_username if actor_username is not None else getattr(user, "username", ""))[:150],
        actor_org=org,
        actor_org_name=(org.name if org is not None else "")[:128],
        action=str(action)[:32],
        object_type=(object_type or "")[:100],
        object_id="" if object_id is None else str(object_id)[:64],
        region_code=(region_code or "")[:16],
        before=_json_safe(masked(before, sensitive)),
        after=_json_safe(masked(after, sensitive)),
        reason=reason or "",
        remote_addr=client_address(request),
        request_id=_request_id(request),
    )


def record_reveal(
    *,
    actor,
    obj: models.Model | None = None,
    fields: Iterable[str] = (),
    reason: str,
    request=None,
    object_type: str | None = None,
    object_id: Any = None,
    region_code: str | None = None,
) -> AuditEntry:
    """A sensitive read (showing a full ID number, phone, tip content …). A reason is required."""
    if not (reason or "").strip():
        raise ValueError("查看敏感信息必须填写事由")
    return record(
        actor=actor,
        action=AuditAction.REVEAL,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        region_code=region_code,
        after={"fields": sorted(fields)},
        reason=reason.strip(),
        request=request,
    )


def record_export(
    *, actor, object_type: str, rows: int, filters: Mapping[str, Any] | None = None, reason: str = "", request=None
) -> AuditEntry:
    """An export of a ledger: what, how many rows, with which filters."""
    return record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type=object_type,
        region_code=getattr(getattr(actor, "scope", None), "region_code", None) or "",
        after={"rows": rows, "filters": dict(filters or {})},
        reason=reason,
        request=request,
    )


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    head_seq: int | None
    head_hash: str | None
    broken_seq: int | None = None
    problem: str = ""


def verify_chain(*, anchor: tuple[int, str] | None = None, anchors: list[tuple[int, str]] | None = None,
                 chunk_size: int = 5000) -> ChainReport:
    """Walk the chain from seq 1: every seq present, every hash recomputes, every link holds.

    ``anchors`` (seq, hash) — heads recorded elsewhere earlier — must each still be in the chain with
    the same hash, which also catches a tail cut off the end of the log (a chain alone cannot show
    that). ``anchor`` is one of them.
    """
    wanted: dict[int, str] = dict(anchors or [])
    if anchor is not None:
        wanted[anchor[0]] = anchor[1]
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if entry.seq != expected_seq:
            problem = f"序号 {expected_seq} 的记录缺失（已被删除）" if entry.seq > expected_seq else "序号重复"
            return ChainReport(False, checked, entry.seq, entry.hash, expected_seq, problem)
        if entry.prev_hash != prev_hash:
            return ChainReport(
                False, checked, entry.seq, entry.hash, entry.seq, f"与序号 {entry.seq - 1} 的哈希链接不符"
            )
        if entry_hash(entry) != entry.hash:
            return ChainReport(False, checked, entry.seq, entry.hash, entry.seq, "内容与哈希不符（记录被修改）")
        if entry.seq in wanted and entry.hash != wanted[entry.seq]:
            return ChainReport(False, checked, entry.seq, entry.hash, entry.seq, "与外部留存的锚点哈希不符")
        prev_hash = entry.hash
        expected_seq += 1
        checked += 1
    head_seq = expected_seq - 1 if checked else None
    head_hash = prev_hash if checked else None
    missing = sorted(seq for seq in wanted if seq > (head_seq or 0))
    if missing:
        return ChainReport(
            False, checked, head_seq, head_hash, missing[-1], f"锚点序号 {missing[-1]} 不存在（日志末尾被截断）"
        )
    return ChainReport(True, checked, head_seq, head_hash)


def record_in_transaction(**kwargs: Any) -> AuditEntry:
    """``record`` in a transaction of its own, for events that are not part of a write (logins)."""
    with transaction.atomic():
        return record(**kwargs)


# --- The change feed: what changed since a moment, for caches of figures (analytics) -------------
def head() -> tuple[int, str]:
    """The chain's head (sequence number, hash): every audited write moves it. With the hash, a head
    also tells apart two databases (or a rolled-back test) that reached the same number."""
    row = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
    return (row[0], row[1]) if row else (0, GENESIS_HASH)


WRITE_ACTIONS_EXCLUDED = ("login", "login_failed", "lockout", "logout", "reveal", "export", "download",
                          "otp_setup", "otp_failed", "password_change")


def changed_regions(since: tuple[int, str], limit: int = 500) -> set[str] | None:
    """Region codes of the records written after ``since`` (a ``head()``); "" stands for a write
    with no region (a bulk import, a sweep: treat as everywhere). None when it cannot be told: the
    entry at ``since`` is not the one remembered, or more than ``limit`` writes happened since."""
    seq, digest = since
    if seq and not AuditEntry.objects.filter(seq=seq, hash=digest).exists():
        return None
    rows = list(
        AuditEntry.objects.filter(seq__gt=seq).exclude(action__in=WRITE_ACTIONS_EXCLUDED)
        .values_list("region_code", flat=True)[: limit + 1]
    )
    if len(rows) > limit:
        return None
    return set(rows)
