"""Request middleware: login required everywhere (except where a view says otherwise), the login
guard (stale sessions, second factor, first-login password change), request ids and the security
headers Django does not set itself."""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import JsonResponse
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from . import logins

API_PREFIX = "/api/"


class AnminLoginRequiredMiddleware(LoginRequiredMiddleware):
    # DRF authenticates (session or token) inside the view and answers 401/403 as JSON,
    # so a redirect to the login page would be wrong for API clients.
    # /i18n/: a visitor must be able to switch the login page to English before logging in.
    exempt_prefixes = (API_PREFIX, "/static/", "/i18n/", "/favicon.ico")

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(self.exempt_prefixes):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Give every request an id (the proxy's X-Request-ID when well-formed) for logs and the audit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        response = self.get_response(request)
        response.setdefault("X-Request-ID", request.request_id)
        return response


class SessionRefreshMiddleware:
    """The idle timeout without a database write per request (``SESSION_SAVE_EVERY_REQUEST`` off).

    A signed-in session carries the time it was last renewed; a request renews it (saving the session,
    which pushes its stored expiry) when that is ``ANMIN_SESSION_REFRESH_SECONDS`` old, and a session
    not renewed within ``SESSION_COOKIE_AGE`` is ended here whatever the store still holds (a cached
    copy included). So the timeout counts from the last request, to within the refresh interval.
    Comes right after ``SessionMiddleware``.
    """

    key = "_anmin_renewed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        now = timezone.now().timestamp()
        if session is not None and session.session_key and not session.is_empty():
            renewed = session.get(self.key)
            if renewed is not None and now - renewed > settings.SESSION_COOKIE_AGE:
                session.flush()
        response = self.get_response(request)
        if session is not None and session.session_key and "_auth_user_id" in session:
            renewed = session.get(self.key)
            if renewed is None or now - renewed >= settings.ANMIN_SESSION_REFRESH_SECONDS:
                session[self.key] = now
        return response


class LoginGuardMiddleware:
    """For a signed-in session, in this order:

    1. a session opened before the user's roles changed is ended;
    2. a user who needs the second factor reaches nothing but the TOTP pages until verified;
    3. a user who must change the password reaches nothing but the password page until changed.

    Must come after ``AuthenticationMiddleware`` and ``django_otp``'s ``OTPMiddleware``.
    """

    # Pages reachable during steps 2 and 3 (besides the step's own page).
    always_allowed = frozenset({"core:logout", "admin:logout", "set_language"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not hasattr(request, "session"):
            return None
        api = request.path_info.startswith(API_PREFIX)
        name = request.resolver_match.view_name if request.resolver_match else ""
        if not logins.session_is_current(request):
            logout(request)
            if api:
                return _api_refusal("session_ended", _("会话已失效，请重新登录。"), 401)
            return redirect(settings.LOGIN_URL)
        if name in self.always_allowed:
            return None
        if not user.is_verified() and logins.otp_required(user):
            step = "core:otp_verify" if logins.has_otp_device(user) else "core:otp_setup"
            if name in ("core:otp_verify", "core:otp_setup"):
                return None if name == step else _redirect_with_next(step, request)
            if api:
                return _api_refusal("otp_required", _("需要先完成双因素认证（动态口令）。"), 403)
            return _redirect_with_next(step, request)
        if user.must_change_password and name != "core:password_change":
            if api:
                return _api_refusal("password_change_required", _("首次登录须先修改密码。"), 403)
            return _redirect_with_next("core:password_change", request)
        return None


def _redirect_with_next(name: str, request):
    response = redirect(name)
    nxt = request.GET.get("next") or (request.get_full_path() if request.method == "GET" else "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        response["Location"] += "?" + urlencode({"next": nxt})
    return response


def _api_refusal(code: str, message: str, status: int, *, field: str | None = None) -> JsonResponse:
    # ``field`` may be a query parameter's name as the client sent it (a quote, a backslash, a control
    # character): encoded with the rest, never pasted into the JSON.
    return JsonResponse({"code": code, "message": message, "field": field, "errors": {}, "current": None},
                        status=status, json_dumps_params={"ensure_ascii": False})


class PersonalNumbersInUrlMiddleware:
    """A full ID number or mobile number in a URL's query string is refused: URLs end up in access
    logs, proxies, browser history and Referer headers. Pages redirect (303) to the same URL
    without those parameters and say where to search instead (the exact lookup, a POST); the API
    answers 400 in the one error shape. The number itself is never logged (``core.accesslog``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get("QUERY_STRING") and request.method in ("GET", "HEAD"):
            bad = [k for k, values in request.GET.lists() if any(_carries_personal_number(v) for v in values)]
            if bad:
                return self.refuse(request, bad)
        return self.get_response(request)

    def refuse(self, request, names):
        message = _("身份证号码和手机号不能放在网址中（参数 %(names)s）；请用“按身份证号码/电话精确查找”，"
                    "API 请用 POST /api/v1/people/persons/lookup/。") % {"names": "、".join(names)}
        if request.path_info.startswith(API_PREFIX):
            return _api_refusal("personal_number_in_url", message, 400, field=names[0])
        from django.contrib import messages

        kept = request.GET.copy()
        for name in names:
            kept.pop(name, None)
        if hasattr(request, "_messages"):
            messages.warning(request, message)
        return _see_other(request.path + (f"?{kept.urlencode()}" if kept else ""))


def _see_other(location: str):
    from django.http import HttpResponseRedirect

    response = HttpResponseRedirect(location)
    response.status_code = 303
    return response


def _carries_personal_number(value: str) -> bool:
    from .protected.idnumbers import is_valid_id_number
    from .protected.masking import ID_NUMBER_IN_TEXT, PHONE_IN_TEXT

    compact = re.sub(r"[\s-]", "", value or "")
    if PHONE_IN_TEXT.search(compact):
        return True
    return any(is_valid_id_number(m.group()) for m in ID_NUMBER_IN_TEXT.finditer(compact))


class BodyLimitMiddleware:
    """Refuses a request whose declared body is over the limit before anything reads it: 413 (JSON
    in the one shape under /api/). Uploads (multipart) may be up to ``ANMIN_MAX_UPLOAD_BYTES``
    (64 MiB: six 10 MB photos and the form); any other body up to ``DATA_UPLOAD_MAX_MEMORY_SIZE``
    (2.5 MB). nginx caps bodies first (docs/deploy.md); this holds without it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/")
        limit = (int(getattr(settings, "ANMIN_MAX_UPLOAD_BYTES", 64 * 1024 * 1024)) if multipart
                 else settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        if limit is not None and length > limit:
            message = _("请求体过大：最多 %(mb).1f MB。") % {"mb": limit / 1024 / 1024}
            if request.path_info.startswith(API_PREFIX):
                return _api_refusal("payload_too_large", message, 413)
            from django.http import HttpResponse

            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Headers beyond Django's SecurityMiddleware: a Permissions-Policy, and no caching of pages
    shown to a signed-in user (shared computers in village offices)."""

    permissions_policy = "camera=(), microphone=(), payment=(), usb=(), geolocation=(self)"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.permissions_policy)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        return response


class BackgroundRequestMiddleware:
    """``/sw.js`` and the scripts' catalogue ``/jsi18n/<lang>.js`` are answered here, before the session
    is read (the browser asks for them often; their answers are the same for everyone). And a
    request the offline app makes by itself (``X-Anmin-Background: 1``: refreshing the kept lists
    and pages, sending the outbox) sets no session cookie: with ``SESSION_SAVE_EVERY_REQUEST`` its answer
    would otherwise put the cookie back after the browser dropped it (a sign-out racing a refresh).
    Must come before ``SessionMiddleware`` (its response step runs after the session's)."""

    header = "X-Anmin-Background"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/sw.js":  # the service worker: no session, no database
            from .views.offline import service_worker

            return service_worker(request)
        if request.path_info.startswith("/jsi18n/"):
            from .views import jsi18n

            match = jsi18n.PATH.match(request.path_info)
            if match:
                return jsi18n.js_catalog(request, match["lang"])
        response = self.get_response(request)
        if request.headers.get(self.header) == "1":
            response.cookies.pop(settings.SESSION_COOKIE_NAME, None)
        return response


class CompressTextMiddleware(GZipMiddleware):
    """Pages, JSON and scripts made by the views go out gzipped to a browser that accepts it (a
    20 KB home page is 4 KB on a phone's slow link: docs/offline.md, first screen). Only text: a photo,
    a spreadsheet or a PDF is compressed already and keeps its Content-Length. In production static
    files come compressed from WhiteNoise (``CompressedManifestStaticFilesStorage``) and are left alone;
    elsewhere — the demo — WhiteNoise serves them from the apps' directories as they are, and a
    streamed static text file (a script, a stylesheet, the icon sprite) is gzipped here: the 1.1 MB
    chart library took the 统计分析 page 24 s on a 400 kbps phone, 0.4 MB of it takes a third of that.
    Django's GZip carries its BREACH mitigation (random bytes in the gzip header); CSRF tokens are
    masked per response."""

    TEXT = ("text/", "application/json", "application/javascript", "application/problem+json")
    STATIC_TEXT = (*TEXT, "image/svg+xml", "application/manifest+json")

    def process_response(self, request, response):
        kind = response.get("Content-Type", "")
        if response.streaming:
            if not (kind.startswith(self.STATIC_TEXT) and response.status_code == 200 and request.method == "GET"
                    and request.path_info.startswith(settings.STATIC_URL)):
                return response  # a download, a range, a 304, a HEAD: as it is
            if response.has_header("Content-Encoding"):
                return response  # WhiteNoise's own compressed file
            # Gzipped here, its ETag would be weakened and never match WhiteNoise's again: a browser
            # revalidating after the minute of max-age fetched the whole file each time. Without it the
            # browser asks If-Modified-Since, and WhiteNoise answers 304.
            del response["ETag"]
        elif not kind.startswith(self.TEXT):
            return response
        return super().process_response(request, response)
