"""Idempotency keys for create endpoints and form posts (field workers on village networks retry).

* API: the client sends ``Idempotency-Key: <any string up to 255 chars>`` with a create request.
* Pages: ``anmin/form.html`` posts a hidden ``idempotency_key`` the view put in the context.

The same key (per user) with the same request returns the first response — status and body for the
API, the redirect for a form — without running the view again; the same key with a different
request is refused with 422; a duplicate that arrives while the first is still being handled gets
409. Keys are remembered for ``ANMIN_IDEMPOTENCY_TTL_HOURS`` (720 h, 30 days). Only successful responses are
remembered (2xx for the API, a redirect for a form): after an error the client may retry the key.

Exactly once: the key's row is written in the SAME transaction as the create, and the response is
stored in it before that transaction commits. A crash before the commit leaves neither the record nor
the key (a retry runs afresh at once); a crash after it, before the client got the answer, leaves both
(a retry gets the first result). A duplicate that arrives while the first is still running waits for
its transaction (the key's unique index) up to ``ANMIN_IDEMPOTENCY_WAIT_SECONDS`` (5 s) and then
gets the first result, or 409 if the first is still running.

Fingerprints never read a multipart body into memory: the fields are compared by value and each file
by its size and SHA-256, read in chunks from where Django streamed it (a 9 MB photo is fine).

``IdempotentCreateMixin`` (DRF viewsets; ``core.api.ScopedModelViewSet`` includes it) and
``IdempotentFormMixin`` / ``idempotent_post`` (form views) are what apps use.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, OperationalError, connection, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema

from . import audit, txn
from .models import IdempotencyKey
from .models.idempotency import IdempotencyState

HEADER = "Idempotency-Key"
FORM_FIELD = "idempotency_key"
MAX_KEY_LENGTH = 255
REPLAYED_HEADER = "Idempotent-Replayed"
# Form fields that differ between two submissions of the same form and say nothing about its content.
_IGNORED_FORM_FIELDS = frozenset({"csrfmiddlewaretoken", FORM_FIELD})
# On a page's form, also what the phone's script stamps at the moment of sending (offline.js: when it was
# recorded, the GPS fix's accuracy): a form brought back by the browser's back button is stamped anew, so
# sending it again — the same report — was refused as 内容与本次不同 instead of showing the first one.
_STAMPED_FORM_FIELDS = frozenset({"recorded_at", "gps_accuracy"})


class Claim(Enum):
    NEW = "new"  # first use: run the request, then complete() or release()
    REPLAY = "replay"  # finished before with this request: return the stored response
    MISMATCH = "mismatch"  # used before with a different request: 422
    IN_FLIGHT = "in_flight"  # the first request is still being handled: 409


@dataclass(frozen=True)
class ClaimResult:
    outcome: Claim
    record: IdempotencyKey | None


def ttl() -> timedelta:
    return timedelta(hours=int(getattr(settings, "ANMIN_IDEMPOTENCY_TTL_HOURS", 720)))


def in_flight_timeout() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "ANMIN_IDEMPOTENCY_IN_FLIGHT_SECONDS", 120)))


def valid_key(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY_LENGTH and key.isprintable() and key.isascii()


def fingerprint(*, method: str, path: str, body: bytes | str | dict) -> str:
    """SHA-256 over the method, path and a canonical form of the body."""
    if isinstance(body, dict):
        body = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if isinstance(body, str):
        body = body.encode("utf-8")
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode("utf-8"), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _file_digest(upload) -> list:
    """Name, size and SHA-256 of an uploaded file, read in chunks (never whole into memory)."""
    h = hashlib.sha256()
    for chunk in upload.chunks():
        h.update(chunk)
    upload.seek(0)
    return [upload.name, upload.size, h.hexdigest()]


def _form_like_fingerprint(request, fields_source, files_source, ignored=_IGNORED_FORM_FIELDS) -> str:
    fields = {k: [str(v) for v in fields_source.getlist(k)] for k in sorted(fields_source)
              if k not in ignored and k not in files_source}
    files = {name: [_file_digest(f) for f in files_source.getlist(name)] for name in sorted(files_source)}
    return fingerprint(method=request.method, path=request.path, body={"fields": fields, "files": files})


def api_fingerprint(request) -> str:
    """JSON bodies are compared by content, not by bytes (key order and spacing may differ);
    multipart and form bodies by their parsed fields and the digests of their files, so an upload is
    never read into memory (``request.body`` is capped at ``DATA_UPLOAD_MAX_MEMORY_SIZE``)."""
    media = (request.content_type or "").split(";")[0].strip().lower()
    if media in ("multipart/form-data", "application/x-www-form-urlencoded"):
        data = request.data  # DRF parses once and keeps it for the view; files are streamed to disk
        files = getattr(request, "FILES", None) or {}
        from django.utils.datastructures import MultiValueDict

        fields = data if hasattr(data, "getlist") else MultiValueDict({k: [v] for k, v in dict(data).items()})
        return _form_like_fingerprint(request, fields, files)
    raw = request.body
    body: bytes | dict = raw
    if media == "application/json" and raw:
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            body = parsed
        elif parsed is not None:
            body = json.dumps(parsed, sort_keys=True, separators=(",", ":")).encode()
    return fingerprint(method=request.method, path=request.path, body=body)


def form_fingerprint(request) -> str:
    return _form_like_fingerprint(request, request.POST, request.FILES, _IGNORED_FORM_FIELDS | _STAMPED_FORM_FIELDS)


def wait_seconds() -> float:
    return float(getattr(settings, "ANMIN_IDEMPOTENCY_WAIT_SECONDS", 5))


def _outcome_of(record: IdempotencyKey, fingerprint: str, now) -> Claim | None:
    """What an existing row means for a new request (None: it is stale, start afresh)."""
    if record.expires_at <= now:
        return None
    if record.state == IdempotencyState.IN_FLIGHT:
        # Only rows written by an earlier version (which committed the claim on its own) are ever
        # seen in flight from outside; after the timeout they count as abandoned.
        return None if now - record.created_at > in_flight_timeout() else Claim.IN_FLIGHT
    if record.fingerprint != fingerprint:
        return Claim.MISMATCH
    return Claim.REPLAY


class _Waited(Exception):
    """The concurrent first request still holds the key after ``wait_seconds()``."""


# PostgreSQL: the claim in one round trip (it was seven statements of a report's twenty): in a
# savepoint, the lock wait bounded for this insert only (the setting before it kept in a setting of
# the transaction and put back after), and the row inserted unless the key is taken — waiting, as a
# plain insert does, for a concurrent transaction that holds it uncommitted.
_TABLE = IdempotencyKey._meta.db_table
_CLAIM_SQL = (
    "SAVEPOINT anmin_claim; "  # noqa: S608 (a model's table)
    "SELECT set_config('anmin.claim_lock_timeout', current_setting('lock_timeout'), true), "
    "set_config('lock_timeout', %s, true); "
    f"INSERT INTO {_TABLE} (user_id, key, fingerprint, state, status_code, response_body, "
    "response_headers, created_at, expires_at) VALUES (%s, %s, %s, %s, NULL, '', '{}', %s, %s) "
    "ON CONFLICT (user_id, key) DO NOTHING RETURNING id; "
    "SELECT set_config('lock_timeout', current_setting('anmin.claim_lock_timeout'), true); "
    "RELEASE SAVEPOINT anmin_claim"
)
_CLAIM_UNDO_SQL = "ROLLBACK TO SAVEPOINT anmin_claim; RELEASE SAVEPOINT anmin_claim"


_COMPLETE_SQL = (
    f"UPDATE {IdempotencyKey._meta.db_table} SET state = %s, status_code = %s, response_body = %s, "  # noqa: S608
    "response_headers = %s WHERE id = %s"  # (the model's own table)
)


def _insert_unless_taken(*, user, key: str, fingerprint: str, now) -> IdempotencyKey | None:
    """The new IN_FLIGHT row, or None when the key is taken (by a committed row)."""
    expires = now + ttl()
    with connection.cursor() as cursor:
        try:
            cursor.execute(_CLAIM_SQL, [f"{int(wait_seconds() * 1000)}ms", user.pk, key, fingerprint,
                                        IdempotencyState.IN_FLIGHT, now, expires])
        except OperationalError as exc:
            if getattr(exc.__cause__, "sqlstate", None) == "55P03":  # lock_not_available: still held
                cursor.execute(_CLAIM_UNDO_SQL)
                raise _Waited from exc
            raise
        cursor.nextset()  # the settings
        cursor.nextset()  # the insert
        row = cursor.fetchone()
    if row is None:
        return None
    record = IdempotencyKey(pk=row[0], user=user, key=key, fingerprint=fingerprint,
                            state=IdempotencyState.IN_FLIGHT, status_code=None, response_body="",
                            response_headers={}, created_at=now, expires_at=expires)
    record._state.adding = False
    record._state.db = connection.alias
    return record


def _claim_postgresql(*, user, key: str, fingerprint: str, now) -> ClaimResult:
    for _attempt in range(3):
        try:
            record = _insert_unless_taken(user=user, key=key, fingerprint=fingerprint, now=now)
        except _Waited:
            return ClaimResult(Claim.IN_FLIGHT, None)
        if record is not None:
            return ClaimResult(Claim.NEW, record)
        taken = _answer_taken(user=user, key=key, fingerprint=fingerprint, now=now)
        if taken is not None:
            return taken
        # purged meanwhile, or stale and deleted: claim it again
    return ClaimResult(Claim.IN_FLIGHT, None)


def _answer_taken(*, user, key: str, fingerprint: str, now) -> ClaimResult | None:
    """What the key's existing row answers (replay, 422, 409); None when there is none, or it was stale
    and is deleted so the key can be claimed afresh."""
    existing = IdempotencyKey.objects.filter(user=user, key=key).first()
    if existing is None:
        return None
    outcome = _outcome_of(existing, fingerprint, now)
    if outcome is not None:
        return ClaimResult(outcome, existing)
    IdempotencyKey.objects.filter(pk=existing.pk).delete()  # stale: start afresh under this key
    return None


def claim(*, user, key: str, fingerprint: str) -> ClaimResult:
    """Claim ``key`` for ``user`` INSIDE the caller's transaction (the one that makes the record).

    NEW: the row is written but not committed; the caller runs the request and calls ``complete()``
    in the same transaction (or lets it roll back). A concurrent duplicate blocks on the row until
    this transaction ends, then sees the stored result (REPLAY) or, if it ended without one, claims
    the key itself. Outside a transaction (tests, old callers) the claim commits on its own.
    """
    if not connection.in_atomic_block:
        with transaction.atomic():
            return claim(user=user, key=key, fingerprint=fingerprint)
    now = timezone.now()
    if connection.vendor == "postgresql":
        return _claim_postgresql(user=user, key=key, fingerprint=fingerprint, now=now)
    taken = _answer_taken(user=user, key=key, fingerprint=fingerprint, now=now)
    if taken is not None:
        return taken
    try:  # SQLite: writers are serialised at BEGIN (IMMEDIATE), so no one holds the key uncommitted
        with transaction.atomic():
            record = IdempotencyKey.objects.create(
                user=user, key=key, fingerprint=fingerprint, state=IdempotencyState.IN_FLIGHT,
                created_at=now, expires_at=now + ttl(),
            )
    except IntegrityError:
        # A concurrent request with this key committed first: its result is ours.
        record = IdempotencyKey.objects.get(user=user, key=key)
        return ClaimResult(_outcome_of(record, fingerprint, now) or Claim.IN_FLIGHT, record)
    return ClaimResult(Claim.NEW, record)


def purge_expired(now=None) -> int:
    """Delete the keys past their lifetime; the scheduler runs it (``core.idempotency_purge``)."""
    deleted, _ = IdempotencyKey.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


def complete(
    record: IdempotencyKey, *, status_code: int, body: str = "", headers: dict[str, str] | None = None
) -> None:
    """Store the first response with the key — in the create's own transaction."""
    record.state = IdempotencyState.DONE
    record.status_code = status_code
    record.response_body = body
    record.response_headers = headers or {}
    # One kept statement, not ``save(update_fields=…)`` compiled on every report (the row is this
    # transaction's own: no signal listens to this model).
    with connection.cursor() as cursor:
        cursor.execute(_COMPLETE_SQL, [record.state, status_code, body, json.dumps(record.response_headers),
                                       record.pk])


def release(record: IdempotencyKey) -> None:
    """The first request failed: forget the key so that a retry runs afresh."""
    IdempotencyKey.objects.filter(pk=record.pk, state=IdempotencyState.IN_FLIGHT).delete()


def run_once(*, user, key: str, fingerprint: str, handler: Callable[[], Any],
             succeeded: Callable[[Any], bool], store: Callable[[IdempotencyKey, Any], None],
             answer: Callable[[ClaimResult], Any]) -> Any:
    """Run ``handler`` once per (user, key): claim, run and store the result in ONE transaction.

    ``succeeded(response)`` says whether to remember it (``store(record, response)`` writes it with
    ``complete``); anything else rolls the whole transaction back — the record and the key — so a
    retry runs afresh. ``answer(claim_result)`` builds the response for REPLAY, MISMATCH, IN_FLIGHT.
    """
    with transaction.atomic():
        result = claim(user=user, key=key, fingerprint=fingerprint)
        if result.outcome is not Claim.NEW:
            return answer(result)
        # The audit entries the action records are appended last, right before the commit: the chain's
        # lock (held until the commit) then covers neither the response being built nor the record
        # being stored — concurrent writers queued behind both (decision 0016).
        with audit.batch():
            response = handler()
            if succeeded(response):
                store(result.record, response)
            else:
                audit.discard_batch()
                transaction.set_rollback(True)  # nothing half-written, and the key is free again
        return response


def mismatch_message() -> str:
    return _("Idempotency-Key：该键已用于内容不同的另一次提交；重新提交请使用新的键。")


def in_flight_message() -> str:
    return _("Idempotency-Key：使用该键的上一次提交仍在处理中，请稍后重试。")


# ---- DRF -------------------------------------------------------------------------------------


IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": "^[\\x20-\\x7e]+$"},
    OpenApiParameter.HEADER,
    required=False,
    description="重试安全：同一用户以同一键重复提交相同内容，返回首次结果（不再新建）；"
    "内容不同返回 422；首次请求仍在处理时返回 409。键保留 24 小时。",
)


class IdempotentCreateMixin:
    """For viewsets with ``create``: honour the ``Idempotency-Key`` header (optional for clients)."""

    @extend_schema(parameters=[IDEMPOTENCY_PARAMETER])
    def create(self, request, *args, **kwargs):
        from rest_framework.exceptions import ValidationError
        from rest_framework.renderers import JSONRenderer
        from rest_framework.response import Response

        key = request.headers.get(HEADER)
        if key is None:
            with txn.whole():  # DRF's create catches nothing: a failure fails the request (core.txn)
                return super().create(request, *args, **kwargs)
        if not valid_key(key):
            raise ValidationError(
                {HEADER: [_("Idempotency-Key：须为 1 至 %(n)d 个可打印 ASCII 字符。") % {"n": MAX_KEY_LENGTH}]}
            )

        def answer(result: ClaimResult):
            if result.outcome is Claim.MISMATCH:
                return Response(_error("idempotency_key_reused", mismatch_message()), status=422)
            if result.outcome is Claim.IN_FLIGHT:
                return Response(_error("idempotency_in_flight", in_flight_message()), status=409)
            stored = result.record
            data = json.loads(stored.response_body) if stored.response_body else None
            return Response(
                data, status=stored.status_code, headers={**stored.response_headers, REPLAYED_HEADER: "true"}
            )

        def store(record, response) -> None:
            body = JSONRenderer().render(response.data).decode("utf-8") if response.data is not None else ""
            headers = {"Location": response["Location"]} if response.has_header("Location") else {}
            complete(record, status_code=response.status_code, body=body, headers=headers)

        return run_once(
            user=request.user, key=key, fingerprint=api_fingerprint(request),
            handler=lambda: self._whole_create(request, *args, **kwargs),
            succeeded=lambda response: 200 <= response.status_code < 300, store=store, answer=answer,
        )

    def _whole_create(self, request, *args, **kwargs):
        with txn.whole():  # DRF's create catches nothing: a failure fails the request (core.txn)
            return super().create(request, *args, **kwargs)


def _error(code: str, message: str) -> dict:
    return {"code": code, "message": message, "field": HEADER, "errors": {HEADER: [message]}, "current": None}


# ---- form pages ------------------------------------------------------------------------------


def new_key() -> str:
    return uuid.uuid4().hex


def _refusal(request, status: int, message: str) -> HttpResponse:
    return render(request, "core/idempotency_refused.html", {"title": _("重复提交"), "message": message}, status=status)


def run_form_post(request, handler: Callable[[], HttpResponse]) -> HttpResponse:
    """Run a form post under its ``idempotency_key`` (if any); remember a redirect, replay it."""
    key = request.POST.get(FORM_FIELD, "")
    if not key or not getattr(request.user, "is_authenticated", False):
        return handler()
    if not valid_key(key):
        return _refusal(request, 400, _("表单的 idempotency_key 无效，请重新打开表单后再提交。"))

    def answer(result: ClaimResult) -> HttpResponse:
        if result.outcome is Claim.MISMATCH:
            return _refusal(request, 422, _("这张表单已经提交过，内容与本次不同。如需再提交一条，请重新打开表单。"))
        if result.outcome is Claim.IN_FLIGHT:
            return _refusal(request, 409, _("这张表单的上一次提交仍在处理中，请稍候刷新页面查看结果。"))
        # The same form sent again (a retry, or back in the browser and 提交 once more): the record it
        # made the first time, and a word that nothing new was registered.
        messages.info(request, _("这张表单已经提交过，没有重复登记；下面是当时提交的记录。"), fail_silently=True)
        response = HttpResponseRedirect(result.record.response_headers.get("Location", "/"))
        response[REPLAYED_HEADER] = "true"
        return response

    return run_once(
        user=request.user, key=key, fingerprint=form_fingerprint(request), handler=handler,
        # A redirect is success; a form re-rendered with errors rolls back and keeps the key free
        # for the corrected submission.
        succeeded=lambda response: 300 <= response.status_code < 400 and response.has_header("Location"),
        store=lambda record, response: complete(
            record, status_code=response.status_code, headers={"Location": response["Location"]}),
        answer=answer,
    )


def idempotent_post(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decorator for a function view that handles a form post."""

    @wraps(view)
    def wrapped(request, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        return run_form_post(request, lambda: view(request, *args, **kwargs))

    return wrapped


class IdempotentFormMixin:
    """For FormView/CreateView: puts ``idempotency_key`` in the context and honours it on POST."""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        posted = self.request.POST.get(FORM_FIELD, "") if self.request.method == "POST" else ""
        ctx.setdefault(FORM_FIELD, posted if valid_key(posted) else new_key())
        return ctx

    def post(self, request, *args, **kwargs):
        return run_form_post(request, lambda: super(IdempotentFormMixin, self).post(request, *args, **kwargs))
