"""The portal's own cookie and CSRF zone (docs/portal.md, "Separate zone").

Under the portal's URL prefix (where ``portal:home`` is mounted, ``/portal/``):

* ``PortalZoneMiddleware`` (before ``SessionMiddleware``) drops every cookie the browser sends but the
  portal's own CSRF cookie and the language choice, so a staff session, its CSRF cookie or the tip
  vault's cookie are never read there (``request.user`` is anonymous, the staff session is neither
  loaded nor renewed), and takes any other cookie out of the portal's answers.
* ``ZonedCsrfViewMiddleware`` (in place of Django's ``CsrfViewMiddleware``) keeps the portal's CSRF
  secret in its own cookie (``ANMIN_PORTAL_CSRF_COOKIE_NAME``, path limited to the prefix) and the staff
  site's in Django's. Each zone checks a form's token against its own secret only: a staff page's token
  is refused by the portal's forms and a portal token by the staff site's.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.middleware.csrf import CSRF_TOKEN_LENGTH, CsrfViewMiddleware, _check_token_format, _unmask_cipher_token
from django.urls import reverse
from django.utils.cache import patch_vary_headers

ZONE_ATTR = "anmin_portal_zone"


@lru_cache(maxsize=1)
def prefix() -> str:
    """The portal's URL prefix, from where its pages are mounted (with the script prefix)."""
    return reverse("portal:home")


def cookie_name() -> str:
    return getattr(settings, "ANMIN_PORTAL_CSRF_COOKIE_NAME", "anmin_portal_csrf")


def in_portal(request) -> bool:
    flag = getattr(request, ZONE_ATTR, None)
    if flag is None:
        flag = request.path.startswith(prefix())
        setattr(request, ZONE_ATTR, flag)
    return flag


def allowed_cookies() -> frozenset[str]:
    return frozenset({cookie_name(), settings.LANGUAGE_COOKIE_NAME})


class PortalZoneMiddleware:
    """In the portal: only the portal's own cookies in, only the portal's own cookies out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not in_portal(request):
            return self.get_response(request)
        keep = allowed_cookies()
        request.COOKIES = {k: v for k, v in request.COOKIES.items() if k in keep}
        response = self.get_response(request)
        for name in [n for n in response.cookies if n not in keep]:
            del response.cookies[name]
        return response


class ZonedCsrfViewMiddleware(CsrfViewMiddleware):
    """Django's CSRF check, with the portal's secret in the portal's own cookie."""

    def _get_secret(self, request):
        if not in_portal(request):
            return super()._get_secret(request)
        secret = request.COOKIES.get(cookie_name())
        if secret is None:
            return None
        _check_token_format(secret)  # raises InvalidTokenFormat, which the middleware handles
        return _unmask_cipher_token(secret) if len(secret) == CSRF_TOKEN_LENGTH else secret

    def _set_csrf_cookie(self, request, response):
        if not in_portal(request):
            return super()._set_csrf_cookie(request, response)
        response.set_cookie(
            cookie_name(), request.META["CSRF_COOKIE"], max_age=settings.CSRF_COOKIE_AGE, path=prefix(),
            secure=settings.CSRF_COOKIE_SECURE, httponly=True, samesite="Strict")
        patch_vary_headers(response, ("Cookie",))
        return None
