"""Access-log lines that never carry a personal number.

A URL's query string may hold anything a client typed (a search by ID number, a phone); a path may
too (a mistyped link). The access log therefore never writes a query string — only ``?…`` to say
there was one — and masks any full ID number or mobile number left in the path or the referer.

* ``GunicornLogger`` — gunicorn's ``--logger-class`` (``anmin serve`` passes it; use it in the
  systemd unit too): the same atoms as gunicorn's, with ``r``, ``q``, ``U`` and ``f`` cleaned.
* ``AccessLogMiddleware`` — writes the same line through the ``anmin.access`` logger from inside
  Django; the test suite turns it on (``ANMIN_ACCESS_LOG``) so that the plaintext watch reads every
  request of the run, the way a proxy or gunicorn would log it.

Paths under ``settings.ANMIN_UNLOGGED_CLIENT_PREFIXES`` (the public portal: anonymous tips) are
logged without the client: no address, no user agent, no referer, no forwarded-for header — ``-`` in
their place. The rest of the line (method, cleaned path, status, size, time) stays for operations.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from gunicorn.glogging import Logger

from .protected.masking import mask_identifiers_in_text

log = logging.getLogger("anmin.access")


def clean_path(path: str, query: str = "") -> str:
    """``/people/?q=<anything>`` → ``/people/?…``; numbers in the path masked."""
    return mask_identifiers_in_text(path or "") + ("?…" if query else "")


def clean_url(url: str) -> str:
    if not url or url == "-":
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return "-"
    return urlunsplit((parts.scheme, parts.netloc, mask_identifiers_in_text(parts.path), "…" if parts.query else "",
                       ""))


def client_unlogged(path: str) -> bool:
    """True when requests to ``path`` must not leave the client's address or user agent in a log."""
    prefixes = tuple(getattr(settings, "ANMIN_UNLOGGED_CLIENT_PREFIXES", ()) or ())
    return bool(prefixes) and (path or "").startswith(prefixes)


def line(*, address: str, user: str, method: str, path: str, query: str, protocol: str, status: int,
         size: int | str, referer: str, agent: str, millis: int) -> str:
    return (f'{address} - {user or "-"} "{method} {clean_path(path, query)} {protocol}" {status} {size} '
            f'"{clean_url(referer)}" "{mask_identifiers_in_text(agent or "-")}" {millis}ms')


class GunicornLogger(Logger):
    """gunicorn's logger with query strings dropped and personal numbers masked."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        raw = environ.get("RAW_URI", "") or ""
        path, _, query = raw.partition("?")
        atoms["r"] = f"{environ.get('REQUEST_METHOD')} {clean_path(path, query)} {environ.get('SERVER_PROTOCOL')}"
        atoms["U"] = clean_path(environ.get("PATH_INFO", ""))
        atoms["q"] = "…" if environ.get("QUERY_STRING") else ""
        atoms["f"] = clean_url(environ.get("HTTP_REFERER", "-"))
        atoms["a"] = mask_identifiers_in_text(environ.get("HTTP_USER_AGENT", "-"))
        for key in [k for k in atoms if k.startswith("{")]:
            if key.endswith(("}e", "}i")):
                atoms[key] = mask_identifiers_in_text(str(atoms[key])) if key != "{query_string}e" else "…"
        if client_unlogged(environ.get("PATH_INFO", "")):
            atoms["h"] = atoms["a"] = atoms["f"] = atoms["u"] = "-"
            for key in [k for k in atoms if k.startswith("{") and k.endswith(("}i", "}e"))]:
                atoms[key] = "-"
        return atoms


class AccessLogMiddleware:
    """One access line per request through ``anmin.access`` (when ``settings.ANMIN_ACCESS_LOG``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        anonymous = client_unlogged(request.path)
        log.info("%s", line(
            address="-" if anonymous else request.META.get("REMOTE_ADDR", "-"),
            user=user.get_username() if not anonymous and getattr(user, "is_authenticated", False) else "-",
            method=request.method, path=request.path, query=request.META.get("QUERY_STRING", ""),
            protocol=request.META.get("SERVER_PROTOCOL", "HTTP/1.1"), status=response.status_code,
            size=len(response.content) if not response.streaming else "-",
            referer="-" if anonymous else request.META.get("HTTP_REFERER", "-"),
            agent="-" if anonymous else request.META.get("HTTP_USER_AGENT", "-"),
            millis=int((time.monotonic() - started) * 1000)))
        return response
