"""Health endpoints for a supervisor or a load balancer (no login, no session, JSON).

* ``/healthz`` — liveness: the process answers (never touches the database).
* ``/readyz`` — readiness: the database answers, a task worker beats, the scheduler beats and ran a
  round lately (``anmin.core.background.readiness``); 200 when all hold, 503 naming what does not.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .. import background


@login_not_required
@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "alive"})


@login_not_required
@never_cache
@require_GET
def readyz(request):
    checks = background.readiness()
    ready = all(c.ok for c in checks)
    body = {"status": "ready" if ready else "not_ready",
            "checks": {c.name: {"ok": c.ok, "detail": c.detail} for c in checks}}
    return JsonResponse(body, status=200 if ready else 503)
