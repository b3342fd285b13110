"""The page scripts' messages (offline.js, report.js …) in the user's language: Django's JavaScript
catalogue of the ``djangojs`` domain (``anmin/locale/<lang>/LC_MESSAGES/djangojs.po``, made by
``make messages``). The source language is Chinese (decision 0001): its catalogue would be empty, so a
Chinese page loads none (one request fewer on a slow link) and the scripts' ``gettext`` falls back to
the source string.

Served as a script file (the CSP allows no inline script) at ``/jsi18n/<lang>.js?v=<version>``: the
language is in the address, not the session, so the answer is the same for everyone — cacheable for a
year (the version changes with the compiled catalogues), kept by the service worker with the shell for
offline use, and answered by ``BackgroundRequestMiddleware`` before the session is read.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET
from django.views.i18n import JavaScriptCatalog

PATH = re.compile(r"^/jsi18n/(?P<lang>[a-z]{2}(?:-[a-z]+)?)\.js$")
YEAR = 365 * 24 * 3600


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def translated() -> list[str]:
    """The languages whose pages load a catalogue: all but the source language."""
    return [code for code in languages() if code != settings.LANGUAGE_CODE]


@lru_cache(maxsize=1)
def version() -> str:
    """Changes when a compiled djangojs catalogue does (a new release's catalogue is a new address)."""
    digest = hashlib.sha256()
    for base in settings.LOCALE_PATHS:
        for mo in sorted(Path(base).glob("*/LC_MESSAGES/djangojs.mo")):
            digest.update(mo.parent.parent.name.encode())
            digest.update(mo.read_bytes())
    return digest.hexdigest()[:12]


def catalog_url(lang: str) -> str:
    """The catalogue's address for a page in ``lang``; "" in the source language (nothing to load)."""
    if lang not in translated():
        return ""
    return f"{reverse('core:jsi18n', args=[lang])}?v={version()}"


def catalog_urls() -> list[str]:
    return [catalog_url(lang) for lang in translated()]


# Only this project's catalogues (LOCALE_PATHS), not every installed app's (the admin's among them).
_catalog = JavaScriptCatalog.as_view(packages=["anmin.core"])


@login_not_required
@require_GET
def js_catalog(request, lang: str):
    if lang not in languages():
        raise Http404
    with translation.override(lang):
        response = _catalog(request)
    if request.GET.get("v") == version():
        response["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    else:
        response["Cache-Control"] = "no-cache"
    response["Content-Type"] = "text/javascript; charset=utf-8"
    return response
