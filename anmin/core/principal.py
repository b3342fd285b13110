"""What every request asks of the signed-in user, read once and kept until it can have changed.

Every page and API call needs the user's roles, the permissions those roles grant, the org unit with
its region, the grids of a grid worker and whether an authenticator is bound. Read from the database
that is five statements on every request, the same answer each time. ``facts(user)`` reads them in
one go and keeps them in this process's memory (the ``default`` cache) under a key made of

* the user's id, ``session_version`` (moved when their roles change) and ``org_unit_id`` — all on the
  user row, which the session middleware reads on every request anyway (deactivation, a new password
  and a changed role still take effect on the next request through that row);
* the generation ``WHO`` (``core.scopecache``), moved when any user, role, role's grants, user's roles
  or grids, or authenticator is written — on commit, as every generation — and ``REF`` (regions and
  org units).

Inside a transaction that wrote one of those, the facts are read afresh (the writer sees its own
write), then kept for that transaction until its next write (``scopecache.memo``).
A lost or evicted generation only costs one recomputation.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import caches

from . import scopecache

WHO = "g:who"
SECONDS = 300
ATTR = "_anmin_facts"


@dataclass(frozen=True)
class Facts:
    roles: tuple  # Role instances, in the roles' order
    perms: frozenset[str]  # "app_label.codename" granted by the roles
    org_unit: object | None  # OrgUnit with its region loaded
    grid_prefixes: tuple[str, ...]
    has_otp_device: bool


def _compute(user) -> Facts:
    from django.contrib.auth.models import Permission

    from .logins import otp_devices
    from .models import OrgUnit

    roles = tuple(user.roles.all())
    perms = frozenset(
        f"{app}.{code}" for app, code in
        Permission.objects.filter(role__users=user).values_list("content_type__app_label", "codename"))
    org = (OrgUnit.objects.select_related("region").filter(pk=user.org_unit_id).first()
           if user.org_unit_id is not None else None)
    grid_prefixes = tuple(user.grids.values_list("prefix", flat=True)) if any(
        r.scope == "grids" for r in roles) else ()
    has_device = otp_devices(user).exists()
    return Facts(roles, perms, org, grid_prefixes, has_device)


def facts(user) -> Facts:
    """The user's roles, grants, org unit, grids and second factor (see the module's note)."""
    known = user.__dict__.get(ATTR)
    if known is not None:
        return known
    wrote, value = scopecache.remembered(
        {WHO, scopecache.REF}, ("who", user.pk, user.session_version, user.org_unit_id), lambda: _compute(user))
    if not wrote:
        who, ref = scopecache.generations([WHO, scopecache.REF])
        key = f"who:{user.pk}:{user.session_version}:{user.org_unit_id}:{who}:{ref}"
        value = caches["default"].get(key)
        if value is None:
            value = _compute(user)
            caches["default"].set(key, value, SECONDS)
    user.__dict__[ATTR] = value
    return value


def forget(user) -> None:
    """Drop what this instance holds (after changing the user in the same request)."""
    user.__dict__.pop(ATTR, None)


def _moved(sender, **kwargs) -> None:
    if kwargs.get("raw") or kwargs.get("action", "post_")[:5] != "post_":
        return
    if set(kwargs.get("update_fields") or ()) == {"last_login"}:  # a sign-in changes none of the facts
        return
    instance = kwargs.get("instance")
    if instance is not None:
        forget(instance)  # this instance's next read sees the write
    moved()


def moved() -> None:
    """Users, roles or their assignments were written set by set (no signals): as ``_moved``."""
    scopecache.bump_keys({WHO})


def connect_signals() -> None:
    from django.contrib.auth import get_user_model
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .models import Role

    user_model = get_user_model()
    for model in (user_model, Role, TOTPDevice):
        uid = f"anmin.principal.{model._meta.label_lower}"
        post_save.connect(_moved, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(_moved, sender=model, dispatch_uid=uid + ".delete")
    for through in (user_model.roles.through, user_model.grids.through, Role.permissions.through):
        m2m_changed.connect(_moved, sender=through, dispatch_uid=f"anmin.principal.{through._meta.label_lower}")
