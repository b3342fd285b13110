"""Idempotency keys for create endpoints and form posts (field workers on village networks retry).

* API: the client sends ``Idempotency-Key: <any string up to 255 chars>`` with a create request.
* Pages: ``anmin/form.html`` posts a hidden ``idempotency_key`` the view put in the context.

The same key (per user) with the same request returns the first response — status and body for the
API, the redirect for a form — without running the view again; the same key with a different
request is refused with 422; a duplicate that arrives while the first is still being handled gets
409. Keys are remembered for ``ANMIN_IDEMPOTENCY_TTL_HOURS`` (24 h). Only successful responses are
remembered (2xx for the API, a redirect for a form): after an error the client may retry the key.

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
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema

from .models import IdempotencyKey
from .models.idempotency import IdempotencyState

HEADER = "Idempotency-Key"
FORM_FIELD = "idempotency_key"
MAX_KEY_LENGTH = 255
REPLAYED_HEADER = "Idempotent-Replayed"
# Form fields that differ between two submissions of the same form and say nothing about its content.
_IGNORED_FORM_FIELDS = frozenset({"csrfmiddlewaretoken", FORM_FIELD})


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
    return timedelta(hours=int(getattr(settings, "ANMIN_IDEMPOTENCY_TTL_HOURS", 24)))


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


def api_fingerprint(request) -> str:
    """JSON bodies are compared by content, not by bytes (key order and spacing may differ)."""
    raw = request.body
    body: bytes | dict = raw
    if request.content_type == "application/json" and raw:
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
    fields = {k: request.POST.getlist(k) for k in sorted(request.POST) if k not in _IGNORED_FORM_FIELDS}
    files = {}
    for name in sorted(request.FILES):
        files[name] = []
        for f in request.FILES.getlist(name):
            h = hashlib.sha256()
            for chunk in f.chunks():
                h.update(chunk)
            f.seek(0)
            files[name].append([f.name, f.size, h.hexdigest()])
    return fingerprint(method=request.method, path=request.path, body={"fields": fields, "files": files})


def claim(*, user, key: str, fingerprint: str) -> ClaimResult:
    """Record that ``user`` is starting a request under ``key``, or say why it must not run.

    Runs in its own short transaction so that a concurrent duplicate sees the claim (and gets 409)
    while the first request is still working.
    """
    now = timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    user=user,
                    key=key,
                    fingerprint=fingerprint,
                    state=IdempotencyState.IN_FLIGHT,
                    created_at=now,
                    expires_at=now + ttl(),
                )
        except IntegrityError:
            record = IdempotencyKey.objects.select_for_update().get(user=user, key=key)
            abandoned = record.state == IdempotencyState.IN_FLIGHT and now - record.created_at > in_flight_timeout()
            if record.expires_at <= now or abandoned:
                # Expired, or the first request died without finishing: start afresh under this key.
                record.fingerprint = fingerprint
                record.state = IdempotencyState.IN_FLIGHT
                record.status_code = None
                record.response_body = ""
                record.response_headers = {}
                record.created_at = now
                record.expires_at = now + ttl()
                record.save()
                return ClaimResult(Claim.NEW, record)
            if record.fingerprint != fingerprint:
                return ClaimResult(Claim.MISMATCH, record)
            if record.state == IdempotencyState.IN_FLIGHT:
                return ClaimResult(Claim.IN_FLIGHT, record)
            return ClaimResult(Claim.REPLAY, record)
        # Expired keys of other requests are forgotten by the periodic purge (purge_expired).
        return ClaimResult(Claim.NEW, record)


def purge_expired(now=None) -> int:
    """Delete the keys past their lifetime; the scheduler runs it (``core.idempotency_purge``)."""
    deleted, _ = IdempotencyKey.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


def complete(
    record: IdempotencyKey, *, status_code: int, body: str = "", headers: dict[str, str] | None = None
) -> None:
    record.state = IdempotencyState.DONE
    record.status_code = status_code
    record.response_body = body
    record.response_headers = headers or {}
    record.save(update_fields=["state", "status_code", "response_body", "response_headers"])


def release(record: IdempotencyKey) -> None:
    """The first request failed: forget the key so that a retry runs afresh."""
    IdempotencyKey.objects.filter(pk=record.pk, state=IdempotencyState.IN_FLIGHT).delete()


def mismatch_message() -> str:
    return _("Idempotency-Key：该键已用于内容不同的另一次提交；重新提交请使用新的键。")


def in_flight_message() -> str:
    return _("Idempotency-Key：使用该键的上一次提交仍在处理中，请稍后重试。")


# ---- DRF -------------------------------------------------------------------------------------


IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    str,
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
            return super().create(request, *args, **kwargs)
        if not valid_key(key):
            raise ValidationError(
                {HEADER: [_("Idempotency-Key：须为 1 至 %(n)d 个可打印 ASCII 字符。") % {"n": MAX_KEY_LENGTH}]}
            )
        result = claim(user=request.user, key=key, fingerprint=api_fingerprint(request))
        if result.outcome is Claim.MISMATCH:
            return Response({"code": "idempotency_key_reused", "message": mismatch_message()}, status=422)
        if result.outcome is Claim.IN_FLIGHT:
            return Response({"code": "idempotency_in_flight", "message": in_flight_message()}, status=409)
        if result.outcome is Claim.REPLAY:
            stored = result.record
            data = json.loads(stored.response_body) if stored.response_body else None
            return Response(
                data, status=stored.status_code, headers={**stored.response_headers, REPLAYED_HEADER: "true"}
            )
        try:
            response = super().create(request, *args, **kwargs)
        except BaseException:
            release(result.record)
            raise
        if 200 <= response.status_code < 300:
            body = JSONRenderer().render(response.data).decode("utf-8") if response.data is not None else ""
            headers = {"Location": response["Location"]} if response.has_header("Location") else {}
            complete(result.record, status_code=response.status_code, body=body, headers=headers)
        else:
            release(result.record)
        return response


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
        return _refusal(request, 400, _("表单的 idempotency_key 无效，请刷新页面后重新提交。"))
    result = claim(user=request.user, key=key, fingerprint=form_fingerprint(request))
    if result.outcome is Claim.MISMATCH:
        return _refusal(request, 422, _("这张表单已经提交过，内容与本次不同。如需再提交一条，请重新打开表单。"))
    if result.outcome is Claim.IN_FLIGHT:
        return _refusal(request, 409, _("这张表单的上一次提交仍在处理中，请稍候刷新页面查看结果。"))
    if result.outcome is Claim.REPLAY:
        response = HttpResponseRedirect(result.record.response_headers.get("Location", "/"))
        response[REPLAYED_HEADER] = "true"
        return response
    try:
        response = handler()
    except BaseException:
        release(result.record)
        raise
    if 300 <= response.status_code < 400 and response.has_header("Location"):
        complete(result.record, status_code=response.status_code, headers={"Location": response["Location"]})
    else:
        release(result.record)  # e.g. the form re-rendered with errors: the user fixes and resubmits
    return response


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
