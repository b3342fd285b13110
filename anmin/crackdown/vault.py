"""The office's unlocked tip keys while it reads: for ``UNLOCK_MINUTES`` at most, in the server-side
session only as a SecretBox whose key is in an HttpOnly cookie of the office's browser (path
``/crackdown/``, SameSite=Strict). The database (sessions included) never holds the keys in plain,
the browser never holds them at all; signing out, locking or the time running out forgets them."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta

from django.conf import settings

from anmin.core import clock

from . import sealing

SESSION_KEY, COOKIE, UNLOCK_MINUTES = "crackdown_tip_vault", "anmin_tipvault", 30


def keep(request, response, keys: dict[int, bytes]) -> None:
    box_key, blob = sealing.lock_for_session(keys)
    until = clock.now() + timedelta(minutes=UNLOCK_MINUTES)
    request.session[SESSION_KEY] = {"blob": base64.b64encode(blob).decode(), "until": until.isoformat()}
    response.set_cookie(COOKIE, base64.urlsafe_b64encode(box_key).decode(), max_age=UNLOCK_MINUTES * 60,
                        path="/crackdown/", httponly=True, samesite="Strict",
                        secure=request.is_secure() or settings.SESSION_COOKIE_SECURE)


def keys(request) -> dict[int, bytes] | None:
    """The unlocked keys, or ``None`` (never unlocked, expired, or the cookie or session gone)."""
    held = request.session.get(SESSION_KEY)
    cookie = request.COOKIES.get(COOKIE)
    if not held or not cookie:
        return None
    try:
        expired = clock.now() > datetime.fromisoformat(held["until"])
        box_key, blob = base64.urlsafe_b64decode(cookie), base64.b64decode(held["blob"])
    except (KeyError, ValueError, TypeError):
        return None
    if expired:
        forget(request)
        return None
    return sealing.open_from_session(box_key, blob)


def forget(request, response=None) -> None:
    request.session.pop(SESSION_KEY, None)
    if response is not None:
        response.delete_cookie(COOKIE, path="/crackdown/", samesite="Strict")
