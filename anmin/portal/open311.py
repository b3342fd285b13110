"""Citizen reports in the Open311 GeoReport v2 style (JSON): ``services.json``, ``requests.json``
(POST a request; GET by ``service_request_id``). The public categories are the grid-event categories;
a request becomes a grid event through grid's action, and its status follows the event (open/closed).
``address_id`` carries the village or grid code; an ``Idempotency-Key`` header makes a retry return
the first request."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from anmin.core.actors import SYSTEM
from anmin.core.errors import ActionError
from anmin.grid.categories import category_choices, load_categories

from . import actions
from .models import Open311Request
from .privacy import over_limit


def _error(status: int, description: str) -> JsonResponse:
    return JsonResponse([{"code": status, "description": description}], status=status, safe=False,
                        json_dumps_params={"ensure_ascii": False})


@login_not_required
@require_http_methods(["GET"])
def services(request):
    load_categories()
    return JsonResponse([{"service_code": code, "service_name": name, "description": name, "metadata": False,
                          "type": "realtime", "keywords": "", "group": "网格事件"}
                         for code, name in category_choices()], safe=False, json_dumps_params={"ensure_ascii": False})


def _as_json(req: Open311Request) -> dict:
    event = req.event
    case = event.case
    return {"service_request_id": str(req.pk), "status": "open" if case.is_open else "closed",
            "status_notes": case.status_label, "service_name": event.category_label, "service_code": req.service_code,
            "description": case.description, "requested_datetime": req.requested_on.isoformat(),
            "address": event.address, "address_id": case.region_id,
            "lat": float(event.latitude) if event.latitude is not None else None,
            "long": float(event.longitude) if event.longitude is not None else None}


@csrf_exempt
@login_not_required
@require_http_methods(["GET", "POST"])
def requests(request):
    if request.method == "GET":
        ids = [i for i in request.GET.get("service_request_id", "").split(",") if i.isdigit()][:50]
        rows = Open311Request.objects.filter(pk__in=ids).select_related("event__case")
        return JsonResponse([_as_json(r) for r in rows], safe=False, json_dumps_params={"ensure_ascii": False})
    if over_limit(request, "open311", limit=30):
        return _error(429, "提交过于频繁，请稍后再试")
    data = request.POST
    try:
        req, _created = actions.submit_open311(
            actor=SYSTEM,
            key=request.headers.get("Idempotency-Key", ""), service_code=data.get("service_code", ""),
            description=data.get("description", ""), address_id=data.get("address_id", ""),
            lat=data.get("lat") or None, long=data.get("long") or None,
            address_string=data.get("address_string", ""), photos=request.FILES.getlist("media"))
    except ActionError as exc:
        return _error(400, str(getattr(exc, "message", exc)))
    return JsonResponse([{"service_request_id": str(req.pk), "service_notice": "已受理，将转交乡镇综治中心办理"}],
                        status=201, safe=False, json_dumps_params={"ensure_ascii": False})


@login_not_required
@require_http_methods(["GET"])
def request_detail(request, pk: int):
    req = Open311Request.objects.select_related("event__case").filter(pk=pk).first()
    if req is None:
        return _error(404, "没有这个请求")
    return JsonResponse([_as_json(req)], safe=False, json_dumps_params={"ensure_ascii": False})
