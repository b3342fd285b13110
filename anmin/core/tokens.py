"""API tokens with an expiry and an idle timeout, revoked when the account changes.

* ``issue(user=, request=)`` makes a new token (one per device; the key is returned once and only a
  SHA-256 of it is stored) — the token exchange ``POST /api/v1/auth/token/`` calls it.
* ``ApiTokenAuthentication`` (``Authorization: Token <key>``) refuses a token that is revoked, past
  its expiry (``ANMIN_TOKEN_TTL_HOURS``, 168) or unused for longer than ``ANMIN_TOKEN_IDLE_HOURS``
  (24), or whose account is inactive — each with a 401 that says which.
* ``revoke_all(user=, reason=)``: a password change, a role change and a deactivation revoke every
  token of the account (``logins`` and the ``User`` save hook below call it).
* The user lists and revokes their own tokens on the profile page (``/me/``); the 系统管理员 in the
  admin site (系统 → API 令牌).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from . import audit
from .keptquery import KeptGet
from .models import ApiToken, User
from .models.tokens import TokenRevocation

# How often last_used_at is written (a token used every second would otherwise write every second).
TOUCH_EVERY = timedelta(minutes=1)


def ttl() -> timedelta:
    return timedelta(hours=float(getattr(settings, "ANMIN_TOKEN_TTL_HOURS", 168)))


def idle_timeout() -> timedelta:
    return timedelta(hours=float(getattr(settings, "ANMIN_TOKEN_IDLE_HOURS", 24)))


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


STATE_LABELS = {"active": gettext_lazy("有效"), "revoked": gettext_lazy("已注销"), "expired": gettext_lazy("已过期"),
                "idle": gettext_lazy("空闲超时")}


def token_state(token: ApiToken, now=None) -> str:
    """``active``, ``revoked``, ``expired`` or ``idle``."""
    now = now or timezone.now()
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at <= now:
        return "expired"
    if (token.last_used_at or token.created_at) + idle_timeout() <= now:
        return "idle"
    return "active"


def issue(*, user, request=None) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it and the key (shown once, never stored)."""
    key = secrets.token_hex(20)
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, key_hash=digest(key), prefix=key[:8], created_at=now, expires_at=now + ttl(),
            client=(request.headers.get("User-Agent", "") if request is not None else "")[:200],
            address=audit.client_address(request),
        )
        audit.record(actor=user, action="token_issue", obj=user,
                     after={"token": token.prefix, "expires_at": token.expires_at}, request=request)
    return token, key


def active_tokens(user):
    now = timezone.now()
    return [t for t in ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now)
            if token_state(t, now) == "active"]


def revoke(*, token: ApiToken, actor, reason: str, request=None) -> bool:
    """Revoke one token (the user's own, or any for the administrator); audited."""
    with transaction.atomic():
        changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_reason=reason)
        if changed:
            audit.record(actor=actor, action="token_revoke", obj=token.user,
                         after={"token": token.prefix, "reason": reason}, request=request)
    return bool(changed)


def revoke_all(*, user, reason: str) -> int:
    """Revoke every live token of ``user`` (password change, role change, deactivation)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason)


# Read on every API request: its statement compiled once per process (no ORDER BY: the digest is unique).
_by_digest = KeptGet(ApiToken, "key_hash", related=("user",))


class ApiTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>`` against ``ApiToken``: expiry, idle timeout and revocation."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        token = _by_digest(digest(key))
        if token is None:
            raise exceptions.AuthenticationFailed(_("令牌无效。"))
        now = timezone.now()
        state = token_state(token, now)
        if state == "revoked":
            raise exceptions.AuthenticationFailed(
                _("令牌已注销（%(reason)s），请重新取得令牌。") % {"reason": token.get_revoked_reason_display()})
        if state == "expired":
            raise exceptions.AuthenticationFailed(_("令牌已过期，请重新取得令牌。"))
        if state == "idle":
            raise exceptions.AuthenticationFailed(_("令牌长时间未使用已失效，请重新取得令牌。"))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("账号已停用。"))
        if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token


# ---- the account changed: its tokens go -------------------------------------------------------


def _remember_previous(sender, instance, update_fields=None, **kwargs) -> None:
    if instance.pk is None or (update_fields is not None and not {"password", "is_active"} & set(update_fields)):
        instance._anmin_token_watch = None
        return
    instance._anmin_token_watch = User.objects.filter(pk=instance.pk).values("password", "is_active").first()


def _revoke_on_change(sender, instance, created=False, **kwargs) -> None:
    before = getattr(instance, "_anmin_token_watch", None)
    instance._anmin_token_watch = None
    if created or not before:
        return
    if before["is_active"] and not instance.is_active:
        revoke_all(user=instance, reason=TokenRevocation.DEACTIVATED)
    elif before["password"] != instance.password:
        revoke_all(user=instance, reason=TokenRevocation.PASSWORD)


def connect_signals() -> None:
    pre_save.connect(_remember_previous, sender=User, dispatch_uid="anmin.core.tokens.pre_save")
    post_save.connect(_revoke_on_change, sender=User, dispatch_uid="anmin.core.tokens.post_save")
