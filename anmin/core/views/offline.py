"""The offline field app's endpoints (docs/offline.md):

* ``/sw.js`` — the service worker, served from the root so that its scope is the whole site; no login
  (it holds only the addresses of static files), never cached by the browser's HTTP cache;
* ``/offline/`` — the offline workbench: the queue (待上传), the kept lists and the offline forms, all
  drawn on the phone from its encrypted store (the page's HTML holds no personal data);
* ``/offline/data.json`` — what the phone keeps, built from ``visible_to`` (``core.offline``); to a
  signed-out or deactivated account it answers 401 with ``"clear": true`` (the phone drops its lists);
* ``/logout/`` — Django's logout, plus ``Clear-Site-Data``: the browser drops this site's storage
  (the encrypted store with its key, the caches, the service worker).
"""

from __future__ import annotations

import hashlib
import json

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from .. import offline
from . import jsi18n

# The shell every offline page needs; the pages' own files are kept when the page is (offline.js).
SHELL = (
    "anmin/anmin.css", "anmin/anmin.js", "anmin/forms.js", "anmin/offline-store.js", "anmin/offline.js",
    "anmin/vendor/htmx-2.0.11.min.js", "anmin/vendor/lucide-sprite-1.62.0.svg", "anmin/favicon.svg",
    "anmin/icon-192.png", "anmin/icon-512.png", "anmin/manifest.json",
)


def shell_urls() -> list[str]:
    # With the scripts' message catalogues (every language: the user may switch with no network).
    return [static(path) for path in SHELL] + jsi18n.catalog_urls()


@login_not_required
@require_GET
def service_worker(request):
    urls = shell_urls()
    version = hashlib.sha256(json.dumps(urls).encode()).hexdigest()[:16]
    body = render_to_string("anmin/sw.js", {
        "version": version, "shell_json": json.dumps(urls), "offline_url": reverse("core:offline"),
        "store_url": static("anmin/offline-store.js"),
    })
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@never_cache
@require_GET
def offline_data(request):
    user = request.user
    if not user.is_authenticated or not user.is_active:
        # Not an error: the phone's regular contact, answered "drop your lists" (a 401 would show as a
        # failed resource on every signed-out page, the login page included).
        return JsonResponse({"signed_in": False, "clear": True})
    return JsonResponse({"signed_in": True, "clear": False, **offline.build_data(user)})


class OfflineWorkbenchView(TemplateView):
    """离线工作台: the same page for every user; the lists and the queue come from the phone's store."""

    template_name = "anmin/offline.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        forms = [{"form": f, "html": render_to_string(f.template, f.context(user), request=self.request)}
                 for f in offline.visible_forms(user)]
        return {**super().get_context_data(**kwargs), "title": _("离线工作台"), "offline_forms": forms}


class LogoutView(auth_views.LogoutView):
    """Sign out, and tell the browser to drop this site's stored data (the offline store and caches)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response
