"""Login security: lockout per (account, address), the TOTP second factor for privileged roles,
session versions that end a user's other sessions, and the audit of login events.

The functions here are the writes; the middleware (``middleware.LoginGuardMiddleware``), the
backend (``auth.RoleBackend``) and the pages (``views.account``) call them. The auth-event signal
handlers at the bottom only record what happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import audit
from .models import LoginThrottle
from .models.audit import AuditAction
from .roles import check_separation_of_duties

SESSION_VERSION_KEY = "_anmin_session_version"


# ---- lockout -------------------------------------------------------------------------------


def lockout_failures() -> int:
    return int(getattr(settings, "ANMIN_LOCKOUT_FAILURES", 5))


def lockout_window() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "ANMIN_LOCKOUT_MINUTES", 30)))


def _norm(username: str | None) -> str:
    return (username or "").strip()[:150]


def locked_until(*, username: str | None, address: str) -> datetime | None:
    """When the lock on this (account, address) pair ends, or None when it is not locked."""
    username = _norm(username)
    if not username:
        return None
    until = (
        LoginThrottle.objects.filter(username=username, address=address, locked_until__gt=timezone.now())
        .values_list("locked_until", flat=True)
        .first()
    )
    return until


@dataclass(frozen=True)
class FailureOutcome:
    failures: int
    locked_until: datetime | None
    newly_locked: bool


def register_login_failure(*, username: str | None, address: str, request=None) -> FailureOutcome:
    """Count a failed login for (username, address); lock the pair on the N-th failure in a row.

    Failures older than the lockout window no longer count; attempts while locked do not extend
    the lock (so a locked-out worker knows when to come back).
    """
    username = _norm(username)
    now = timezone.now()
    window = lockout_window()
    with transaction.atomic():
        throttle = LoginThrottle.objects.select_for_update().filter(username=username, address=address).first()
        if throttle is None:
            try:
                with transaction.atomic():
                    throttle = LoginThrottle.objects.create(
                        username=username, address=address, failures=0, last_failure_at=now
                    )
            except IntegrityError:  # a concurrent first failure created it
                throttle = LoginThrottle.objects.select_for_update().get(username=username, address=address)
        if throttle.locked_until and throttle.locked_until > now:
            return FailureOutcome(throttle.failures, throttle.locked_until, False)
        if throttle.locked_until or now - throttle.last_failure_at > window:
            throttle.failures = 0
            throttle.locked_until = None
        throttle.failures += 1
        throttle.last_failure_at = now
        newly_locked = throttle.failures >= lockout_failures()
        if newly_locked:
            throttle.locked_until = now + window
        throttle.save()
        if newly_locked:
            audit.record(
                actor=None,
                actor_username=username,
                action=AuditAction.LOCKOUT,
                object_type="core.user",
                after={"address": address, "failures": throttle.failures, "locked_until": throttle.locked_until},
                request=request,
            )
        # Forget stale pairs of this account so the table stays small.
        LoginThrottle.objects.filter(
            username=username, last_failure_at__lt=now - window, locked_until__isnull=True
        ).exclude(pk=throttle.pk).delete()
    return FailureOutcome(throttle.failures, throttle.locked_until, newly_locked)


def clear_login_failures(*, username: str | None, address: str) -> None:
    LoginThrottle.objects.filter(username=_norm(username), address=address).delete()


# ---- second factor ---------------------------------------------------------------------------


def otp_devices(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.devices_for_user(user, confirmed=True)


def has_otp_device(user) -> bool:
    """Whether the user has bound an authenticator (asked once per request)."""
    cached = getattr(user, "_anmin_has_otp_device", None)
    if cached is None:
        from .principal import facts

        cached = facts(user).has_otp_device
        user._anmin_has_otp_device = cached
    return cached


def otp_required(user) -> bool:
    """Whoever has bound an authenticator must use it; a privileged user (系统管理员, 审计员, 市平安办,
    扫黑办) must have one. The demo relaxes only the second rule (production refuses to start with
    the relaxation)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if has_otp_device(user):
        return True
    return bool(getattr(user, "is_privileged", False)) and not getattr(settings, "ANMIN_DEMO_RELAXED", False)


def pending_otp_device(user):
    """The unconfirmed device a user is setting up (created on first visit to the setup page)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="安民动态口令", confirmed=False)
    return device


def confirm_otp_device(*, request, device, token: str) -> bool:
    """Confirm a device being set up with the first token it shows; marks the session verified."""
    from django_otp import login as otp_login

    with transaction.atomic():
        if not device.verify_token(token):
            audit.record(actor=request.user, action=AuditAction.OTP_FAILED, obj=request.user, request=request)
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        request.user._anmin_has_otp_device = True
        # One device per user: older confirmed devices stop working once a new one is bound.
        type(device).objects.filter(user=device.user).exclude(pk=device.pk).delete()
        audit.record(actor=request.user, action=AuditAction.OTP_SETUP, obj=request.user, request=request)
    otp_login(request, device)
    return True


def check_otp_token(user, token: str, request=None):
    """The confirmed device of ``user`` that accepts ``token`` (each token works once), or None.
    Failures are throttled by django-otp (each one doubles the wait before the next try)."""
    from django_otp import verify_token

    token = (token or "").strip()
    if not token:
        return None
    for device in otp_devices(user):
        verified = verify_token(user, device.persistent_id, token)
        if verified is not None:
            return verified
    audit.record_in_transaction(actor=user, action=AuditAction.OTP_FAILED, obj=user, request=request)
    return None


def verify_otp(*, request, token: str) -> bool:
    """Check a token against the user's confirmed devices; on success mark the session verified."""
    from django_otp import login as otp_login

    device = check_otp_token(request.user, token, request=request)
    if device is None:
        return False
    otp_login(request, device)
    return True


# ---- sessions --------------------------------------------------------------------------------


def session_is_current(request) -> bool:
    """False when the session was opened before the user's roles last changed."""
    stored = request.session.get(SESSION_VERSION_KEY)
    return stored is not None and stored == request.user.session_version


def end_other_sessions(*, user, request=None) -> None:
    """End every session of ``user`` except ``request``'s, if given (it is re-stamped to stay valid)."""
    model = get_user_model()
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=user.pk)
        locked.session_version += 1
        locked.save(update_fields=["session_version"])
    user.session_version = locked.session_version
    if request is not None and getattr(request, "user", None) is not None and request.user.pk == user.pk:
        request.session[SESSION_VERSION_KEY] = user.session_version


def change_password(*, user, new_password: str, request=None) -> None:
    """Set a new password (already validated by the form), clear the first-login flag and end the
    user's other sessions; the caller's own session stays."""
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        audit.record(actor=user, action=AuditAction.PASSWORD_CHANGE, obj=user, request=request)
    # The session auth hash derives from the password hash: other sessions no longer match it.
    if request is not None and getattr(request, "user", None) is not None and request.user.pk == user.pk:
        update_session_auth_hash(request, user)


def set_user_roles(*, user, roles, actor, request=None) -> bool:
    """Give ``user`` exactly ``roles``; when that changes anything, end the user's sessions.

    Raises ``ValidationError`` for a set that breaks the separation of duties.
    """
    roles = list(roles)
    check_separation_of_duties(r.code for r in roles)
    with transaction.atomic():
        before = sorted(user.roles.values_list("code", flat=True))
        user.roles.set(roles)
        after = sorted(user.roles.values_list("code", flat=True))
        if before == after:
            return False
        audit.record(
            actor=actor,
            action=AuditAction.ROLE_CHANGE,
            obj=user,
            before={"roles": before},
            after={"roles": after},
            request=request,
        )
        # An administrator's change ends all the user's sessions; a user changing their own roles
        # keeps the session they did it from.
        own = actor is not None and actor.pk == user.pk
        end_other_sessions(user=user, request=request if own else None)
        from .tokens import TokenRevocation, revoke_all

        revoke_all(user=user, reason=TokenRevocation.ROLES)
    for attr in ("role_list", "role_codes", "is_privileged", "primary_role", "scope"):
        user.__dict__.pop(attr, None)
    return True


# ---- auth-event signals: recording only ------------------------------------------------------


def _on_logged_in(sender, request, user, **kwargs) -> None:
    if request is None:
        return
    if hasattr(request, "session"):
        request.session[SESSION_VERSION_KEY] = user.session_version
        # A sign-in is activity: the idle clock (middleware.SessionRefreshMiddleware) starts again, even
        # when the sign-in kept an older session's data.
        from .middleware import SessionRefreshMiddleware

        request.session[SessionRefreshMiddleware.key] = timezone.now().timestamp()
    address = audit.client_address(request)
    clear_login_failures(username=user.get_username(), address=address)
    audit.record_in_transaction(actor=user, action=AuditAction.LOGIN, obj=user, request=request)


def _on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = _norm(credentials.get("username") if isinstance(credentials, dict) else "")
    address = audit.client_address(request)
    with transaction.atomic():
        audit.record(
            actor=None,
            actor_username=username,
            action=AuditAction.LOGIN_FAILED,
            object_type="core.user",
            request=request,
        )
        if username:
            register_login_failure(username=username, address=address, request=request)


def _on_logged_out(sender, request, user, **kwargs) -> None:
    if user is not None and request is not None:
        audit.record_in_transaction(actor=user, action=AuditAction.LOGOUT, obj=user, request=request)


def connect_signals() -> None:
    user_logged_in.connect(_on_logged_in, dispatch_uid="anmin.core.logins.logged_in")
    user_login_failed.connect(_on_login_failed, dispatch_uid="anmin.core.logins.login_failed")
    user_logged_out.connect(_on_logged_out, dispatch_uid="anmin.core.logins.logged_out")
