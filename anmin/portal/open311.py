"""Citizen reports as Open311 GeoReport v2, in JSON and XML: ``services.{json,xml}``,
``requests.{json,xml}`` (POST a request; GET a list or by ``service_request_id``),
``requests/{id}.{json,xml}`` and ``tokens/{token}.{json,xml}``, with the spec's element names and its
error shape (``errors/error`` with ``code`` and ``description``).

The public categories are the grid-event categories; a request becomes a grid event through grid's
action, and its status follows the event (open/closed). ``address_id`` carries the village or grid
code; ``jurisdiction_id``, when given, must be the city's code; an ``Idempotency-Key`` header makes
a retry return the first request.

A POST with a partner's ``api_key`` (``Open311Key``) is answered with its ``service_request_id``; one
without (allowed unless ``ANMIN_OPEN311_REQUIRE_KEY``) is rate-limited per network, needs a proof of
work over the limit, and is answered with a ``token``: ``tokens/{token}`` names the request once the
centre accepted it (``actions.HELD_STATES``). An unknown or revoked key is refused (403).

Times are given to the day (midnight, local time): the portal keeps
no finer time of what the public submits. Descriptions are shown with ID and phone numbers masked."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from anmin.core import clock
from anmin.core.actors import SYSTEM
from anmin.core.errors import ActionError
from anmin.core.links import pk_param
from anmin.core.protected.masking import mask_identifiers_in_text
from anmin.grid.categories import category_choices, load_categories

from . import actions, pow
from .models import Open311Key, Open311Request
from .privacy import over_limit

ANONYMOUS_LIMIT_PER_HOUR = 30

MAX_LIST, DEFAULT_DAYS = 1000, 90
# Element names of the spec, in its order (a request in a list or by id; the POST's answer).
REQUEST_FIELDS = ("service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url")


def _xml_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _xml(root: str, item: str, rows: list[dict], status: int = 200) -> HttpResponse:
    top = ET.Element(root)
    for row in rows:
        el = ET.SubElement(top, item)
        for key, value in row.items():
            ET.SubElement(el, key).text = _xml_value(value)
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="utf-8", xml_declaration=False)
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


def _answer(fmt: str, root: str, item: str, rows: list[dict], status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return _xml(root, item, rows, status)
    return JsonResponse(rows, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    return _answer(fmt, "errors", "error", [{"code": status, "description": description}], status)


def require_key() -> bool:
    return bool(getattr(settings, "ANMIN_OPEN311_REQUIRE_KEY", False))


def _partner(request) -> tuple[Open311Key | None, bool]:
    """The partner key the request names (``api_key``, in the form or the query) and whether the name
    is acceptable: no key at all is (the caller decides), an unknown or revoked one is not."""
    given = (request.POST.get("api_key") or request.GET.get("api_key") or "").strip()
    if not given:
        return None, True
    key = actions.find_key(given)
    return key, key is not None


def _partner_over_limit(key: Open311Key) -> bool:
    """A partner's hourly budget (``ANMIN_OPEN311_KEY_LIMIT_PER_HOUR``), counted by key, not address."""
    hour = clock.now().strftime("%Y%m%d%H")
    name = f"portal:open311key:{key.pk}:{hour}"
    cache.add(name, 0, timeout=3600)
    try:
        count = cache.incr(name)
    except ValueError:
        cache.set(name, 1, timeout=3600)
        count = 1
    return count > int(getattr(settings, "ANMIN_OPEN311_KEY_LIMIT_PER_HOUR", 1000))


def _prove(fmt: str) -> HttpResponse:
    """Over the network's limit without a solved proof of work: the spec's error (429) saying how to go
    on, with a fresh challenge in headers for a client that can compute it (what pow.js does)."""
    challenge = pow.issue("open311")
    response = _error(fmt, 429, (
        "提交过于频繁：请一小时后再试；或使用合作应用的 api_key；或完成工作量证明后重新提交——"
        f"取响应头 X-Anmin-PoW-Challenge 的值 C，找一个非负整数 N，使 SHA-256(\"C:N\") 的前 {pow.bits()} 位"
        "为 0（响应头 X-Anmin-PoW-Bits），把 pow_challenge=C 和 pow_solution=N 随请求一并提交"
        "（10分钟内有效，只能用一次）"))
    response["X-Anmin-PoW-Challenge"] = challenge
    response["X-Anmin-PoW-Bits"] = str(pow.bits())
    response["Retry-After"] = "3600"
    return response


def _jurisdiction_ok(request) -> bool:
    wanted = (request.POST.get("jurisdiction_id") or request.GET.get("jurisdiction_id") or "").strip()
    if not wanted:
        return True
    try:
        return wanted == actions.city().code
    except ActionError:
        return False


@login_not_required
@require_http_methods(["GET"])
def services(request, fmt: str):
    if not _jurisdiction_ok(request):
        return _error(fmt, 404, "jurisdiction_id 不是本平台的辖区")
    load_categories()
    partner, _ok = _partner(request)
    # What this caller's POST gets back: the id at once (a partner), or a token (anonymous).
    kind = "realtime" if partner is not None or require_key() else "batch"
    rows = [{"service_code": code, "service_name": name, "description": name, "metadata": False,
             "type": kind, "keywords": "", "group": "网格事件"} for code, name in category_choices()]
    return _answer(fmt, "services", "service", rows)


def _day_time(day: dt.date | None) -> str | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time())).isoformat()


def _as_row(req: Open311Request) -> dict:
    event = req.event
    case = event.case
    values = {
        "service_request_id": str(req.pk), "status": "open" if case.is_open else "closed",
        "status_notes": case.status_label, "service_name": event.category_label, "service_code": req.service_code,
        "description": mask_identifiers_in_text(case.description or ""),
        "agency_responsible": case.handling_org.name if case.handling_org_id else "", "service_notice": "",
        "requested_datetime": _day_time(req.requested_on),
        "updated_datetime": _day_time(timezone.localdate(case.updated_at) if case.updated_at else None),
        "expected_datetime": _day_time(timezone.localdate(case.due_at) if case.due_at else None),
        "address": event.address, "address_id": case.region_id, "zipcode": "",
        "lat": float(event.latitude) if event.latitude is not None else None,
        "long": float(event.longitude) if event.longitude is not None else None, "media_url": ""}
    return {k: values[k] for k in REQUEST_FIELDS}


def _rows(qs) -> list[dict]:
    return [_as_row(r) for r in qs.select_related("event__case__handling_org")]


def _public():
    return actions.released(Open311Request.objects.all())


def _parse_day(value: str) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _listing(request, fmt: str) -> HttpResponse:
    """GET requests: by ``service_request_id`` (comma-separated; other filters ignored, as the spec
    says), else filtered by ``service_code``, ``status``, ``start_date`` and ``end_date`` (default: the
    last 90 days), newest first, at most 1000."""
    ids = request.GET.get("service_request_id", "")
    if ids:
        # "²" passes isdigit() but is no number to int(): each key through pk_param (0 names nothing)
        wanted = [n for i in ids.split(",") if (n := pk_param(i.strip())) > 0][:MAX_LIST]
        return _answer(fmt, "service_requests", "request", _rows(_public().filter(pk__in=wanted)))
    qs = _public()
    start = _parse_day(request.GET.get("start_date", "")) if request.GET.get("start_date") else None
    end = _parse_day(request.GET.get("end_date", "")) if request.GET.get("end_date") else None
    if (request.GET.get("start_date") and start is None) or (request.GET.get("end_date") and end is None):
        return _error(fmt, 400, "start_date / end_date 须为 W3C 日期时间")
    if start is None and end is None:
        start = clock.today() - dt.timedelta(days=DEFAULT_DAYS)
    if start:
        qs = qs.filter(requested_on__gte=start)
    if end:
        qs = qs.filter(requested_on__lte=end)
    codes = [c for c in request.GET.get("service_code", "").split(",") if c.strip()]
    if codes:
        qs = qs.filter(service_code__in=codes)
    status = request.GET.get("status", "")
    if status in ("open", "closed"):
        qs = qs.filter(event__case__is_open=status == "open")
    return _answer(fmt, "service_requests", "request", _rows(qs.order_by("-pk")[:MAX_LIST]))


@csrf_exempt
@login_not_required
@require_http_methods(["GET", "POST"])
def requests(request, fmt: str):
    if not _jurisdiction_ok(request):
        return _error(fmt, 404, "jurisdiction_id 不是本平台的辖区")
    if request.method == "GET":
        return _listing(request, fmt)
    partner, ok = _partner(request)
    if not ok:
        return _error(fmt, 403, "api_key 无效或已注销，不能提交请求")
    if partner is None and require_key():
        return _error(fmt, 403, "缺少 api_key：本平台只接受合作应用凭 api_key 提交")
    if partner is not None:
        if _partner_over_limit(partner):
            return _error(fmt, 429, "该 api_key 本小时提交已达上限，请稍后再试")
    elif over_limit(request, "open311", limit=ANONYMOUS_LIMIT_PER_HOUR) and not pow.accepted(request.POST, "open311"):
        return _prove(fmt)
    data = request.POST
    try:
        req, _created = actions.submit_open311(
            actor=SYSTEM, partner=partner,
            key=request.headers.get("Idempotency-Key", ""), service_code=data.get("service_code", ""),
            description=data.get("description", ""), address_id=data.get("address_id", ""),
            lat=data.get("lat") or None, long=data.get("long") or None,
            address_string=data.get("address_string", ""), photos=request.FILES.getlist("media"))
    except ActionError as exc:
        return _error(fmt, 400, str(getattr(exc, "message", exc)))
    if req.token_hash:  # anonymous: a token now, the id once the centre accepted it
        answer = {"token": actions.request_token(req),
                  "service_notice": "已收到，乡镇综治中心受理后可凭 token 查到请求编号", "account_id": None}
    else:
        answer = {"service_request_id": str(req.pk), "service_notice": "已受理，将转交乡镇综治中心办理",
                  "account_id": None}
    return _answer(fmt, "service_requests", "request", [answer], status=201)


@login_not_required
@require_http_methods(["GET"])
def token_detail(request, token: str, fmt: str):
    """GET service_request_id from a token: ``service_request_id`` and ``token`` once the request was
    accepted; while it waits, the ``token`` with an empty ``service_request_id``; 404 when the token is
    unknown or the request was not accepted (不予受理 / 重复)."""
    if not _jurisdiction_ok(request):
        return _error(fmt, 404, "jurisdiction_id 不是本平台的辖区")
    req, state = actions.resolve_token(token)
    if state == "unknown":
        return _error(fmt, 404, "没有这个 token")
    if state == "refused":
        return _error(fmt, 404, "该请求未被受理（不予受理或重复），没有请求编号")
    request_id = str(req.pk) if state == "accepted" else None
    return _answer(fmt, "service_requests", "request", [{"service_request_id": request_id, "token": token}])


@login_not_required
@require_http_methods(["GET"])
def request_detail(request, pk: int, fmt: str):
    if not _jurisdiction_ok(request):
        return _error(fmt, 404, "jurisdiction_id 不是本平台的辖区")
    rows = _rows(_public().filter(pk=pk))
    if not rows:
        return _error(fmt, 404, "没有这个请求")
    return _answer(fmt, "service_requests", "request", rows)
