"""账号管理: a township centre manages the accounts of its own grid workers and village staff, the city
office everyone's in the city — list, create (with a one-time initial password), deactivate and
reactivate, reset the password, change roles, unit and grids. Every write here is an ``@action``:
``core.manage_accounts`` first, then the rules below, one transaction, an audit entry.

Who may touch which account (roles are data: ``Role.order`` and ``Role.privileged`` decide):

* **The manager's area**: the org units in the manager's jurisdiction (``user.scope.prefixes``); a
  manager below the city keeps to units of its own kind (a township centre: the 综治中心 of its
  township and villages, not the police station next door).
* **Roles it may grant**: business roles (not 系统管理员 or 审计员), not privileged (市平安办, 扫黑办 …
  stay with the system administrator), and below the manager's own (a larger ``order``).
* **Accounts it may touch**: active or not, in a unit of its area, holding only roles it may grant,
  and never its own. Anything else looks absent (``NotFound``), like every out-of-scope record.

The system administrator keeps the admin site for everything else (三员分立: it has no business
scope, so it manages no account here).
"""

from __future__ import annotations

import re
import secrets
import string
from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from . import audit, logins
from .errors import Invalid, NotFound, invalid
from .guards import action
from .models import OrgUnit, Region, Role, User
from .models.accounts import ScopeKind
from .models.audit import AuditAction
from .models.regions import RegionLevel
from .models.tokens import TokenRevocation

MANAGE_PERM = "core.manage_accounts"
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@-]{3,150}$")
PASSWORD_LENGTH = 12


# --- what a manager may touch ----------------------------------------------------------------------


def _prefixes(manager) -> tuple[str, ...]:
    return manager.scope.prefixes if manager.has_perm(MANAGE_PERM) else ()


def _own_rank(manager) -> int:
    """The manager's highest role (the smallest ``order``) among those that manage accounts."""
    orders = [r.order for r in manager.role_list if r.scope == ScopeKind.REGION]
    return min(orders) if orders else 10**6


def grantable_roles(manager) -> QuerySet[Role]:
    """The roles ``manager`` may give: business, not privileged, below the manager's own."""
    if not _prefixes(manager):
        return Role.objects.none()
    return (Role.objects.exclude(scope=ScopeKind.NONE).filter(privileged=False, order__gt=_own_rank(manager))
            .order_by("order", "code"))


def manageable_orgs(manager) -> QuerySet[OrgUnit]:
    prefixes = _prefixes(manager)
    if not prefixes:
        return OrgUnit.objects.none()
    q = Q()
    for p in prefixes:
        q |= Q(region__code__startswith=p)
    qs = OrgUnit.objects.filter(q, is_active=True)
    org = manager.org_unit_with_region
    if org is not None and org.region.level > RegionLevel.CITY:
        qs = qs.filter(kind=org.kind)
    return qs.select_related("region").order_by("region_id", "name")


def manageable_users(manager) -> QuerySet[User]:
    """The accounts ``manager`` may see and change here (active or not)."""
    orgs = manageable_orgs(manager)
    if not orgs.exists():
        return User.objects.none()
    allowed = grantable_roles(manager).values("pk")
    return (User.objects.filter(org_unit__in=orgs.values("pk")).exclude(pk=manager.pk)
            .exclude(roles__in=Role.objects.exclude(pk__in=allowed)).distinct())


def allowed_grids(manager, org: OrgUnit | None) -> QuerySet[Region]:
    """Grids the manager may give an account of ``org``: inside both the manager's area and the unit's."""
    prefixes = _prefixes(manager)
    if org is None or not prefixes:
        return Region.objects.none()
    q = Q()
    for p in prefixes:
        q |= Q(code__startswith=p)
    return Region.objects.filter(q, level=RegionLevel.GRID, code__startswith=org.region.prefix).order_by("code")


def _account(manager, user) -> User:
    pk = getattr(user, "pk", user)
    found = manageable_users(manager).filter(pk=pk).first()
    if found is None:
        raise NotFound("该账号不存在或不在您的管理范围内")
    return User.objects.select_for_update().get(pk=found.pk)


def _check_roles(manager, roles: Iterable[Role]) -> list[Role]:
    roles = list(roles)
    if not roles:
        raise invalid("roles", "角色：请至少选择一个")
    allowed = set(grantable_roles(manager).values_list("pk", flat=True))
    beyond = [r.name for r in roles if r.pk not in allowed]
    if beyond:
        raise invalid("roles", f"角色：您不能授予「{'、'.join(beyond)}」")
    return roles


def _check_org(manager, org: OrgUnit | None) -> OrgUnit:
    if org is None:
        raise invalid("org_unit", "所属机构：必填")
    if not manageable_orgs(manager).filter(pk=org.pk).exists():
        raise invalid("org_unit", "所属机构：不在您的管理范围内")
    return org


def _check_grids(manager, org: OrgUnit, roles: list[Role], grids: Iterable[Region]) -> list[Region]:
    grids = list(grids)
    allowed = set(allowed_grids(manager, org).values_list("pk", flat=True))
    outside = [g.name for g in grids if g.pk not in allowed]
    if outside:
        raise invalid("grids", f"负责网格：「{'、'.join(outside)}」不在所属机构的辖区或您的辖区内")
    if any(r.scope == ScopeKind.GRIDS for r in roles) and not grids:
        raise invalid("grids", "负责网格：网格员须至少负责一个网格")
    return grids


def initial_password() -> str:
    """A one-time password that meets the password rules (the user replaces it at first login)."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = "".join(secrets.choice(alphabet) for _i in range(PASSWORD_LENGTH - 2))
        pw = f"{secrets.choice('ABCDEFGHJKLMNPQRSTUVWXYZ')}{body}{secrets.choice('@#%+=')}"
        if any(c.islower() for c in pw) and any(c.isdigit() for c in pw):
            return pw


def _end_access(user: User, reason: str) -> None:
    """End every session and API token of the account (after a deactivation or a reset)."""
    from .tokens import revoke_all

    logins.end_other_sessions(user=user)
    revoke_all(user=user, reason=reason)


def _place(user: User) -> str | None:
    """The account's place, for the audit log (its unit's region)."""
    return user.org_unit.region_id if user.org_unit_id else None


def _snapshot(user: User) -> dict:
    return {"username": user.username, "name": user.name, "org_unit": user.org_unit_id,
            "roles": sorted(user.roles.values_list("code", flat=True)),
            "grids": sorted(user.grids.values_list("code", flat=True)), "is_active": user.is_active}


# --- the actions -----------------------------------------------------------------------------------


def _checked_account_fields(actor, name, org_unit, roles, grids):
    """The name, unit, roles and grids of an account, as the actor may set them (create and update)."""
    name = (name or "").strip()
    if not name:
        raise invalid("name", "姓名：必填")
    org = _check_org(actor, org_unit)
    roles = _check_roles(actor, roles)
    return name, org, roles, _check_grids(actor, org, roles, grids)


@action(perm=MANAGE_PERM, what="管理账号")
def create_account(*, actor, username: str, name: str, org_unit: OrgUnit, roles: Iterable[Role],
                   grids: Iterable[Region] = (), request=None) -> tuple[User, str]:
    """A new account with a one-time initial password, returned once (never stored in the clear,
    never in the audit log); the user must change it at first login."""
    username = (username or "").strip()
    if not USERNAME_RE.match(username):
        raise invalid("username", "用户名：3 至 150 个字母、数字或 _ . @ -")
    name, org, roles, grids = _checked_account_fields(actor, name, org_unit, roles, grids)
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise invalid("username", "用户名：已被占用")
        password = initial_password()
        user = User(username=username, name=name[:64], org_unit=org, must_change_password=True)
        validate_password(password, user)
        user.set_password(password)
        user.save()
        user.roles.set(roles)
        user.grids.set(grids)
        audit.record(actor=actor, action=AuditAction.CREATE, obj=user, after=_snapshot(user), request=request,
                     region_code=_place(user))
    return user, password


@action(perm=MANAGE_PERM, what="管理账号")
def set_account_active(*, actor, user: User, active: bool, reason: str = "", request=None) -> User:
    """停用 / 启用. A deactivated account cannot log in; its sessions and API tokens end at once."""
    reason = (reason or "").strip()
    if not active and len(reason) < 2:
        raise invalid("reason", "停用原因：必填（至少2个字）")
    with transaction.atomic():
        u = _account(actor, user)
        if u.is_active == active:
            return u
        u.is_active = active
        u.save(update_fields=["is_active"])
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=u, before={"is_active": not active},
                     after={"is_active": active}, reason=reason[:200], request=request,
                     region_code=_place(u))
        if not active:
            _end_access(u, TokenRevocation.DEACTIVATED)
    return u


@action(perm=MANAGE_PERM, what="管理账号")
def reset_account_password(*, actor, user: User, request=None) -> tuple[User, str]:
    """A new one-time password (returned once); the old one, the account's sessions and tokens stop
    working, and the user must change it at the next login."""
    with transaction.atomic():
        u = _account(actor, user)
        password = initial_password()
        u.set_password(password)
        u.must_change_password = True
        u.save(update_fields=["password", "must_change_password"])
        audit.record(actor=actor, action=AuditAction.PASSWORD_CHANGE, obj=u,
                     after={"reset_by": actor.get_username(), "must_change_password": True}, request=request,
                     region_code=_place(u))
        _end_access(u, TokenRevocation.PASSWORD)
    return u, password


@action(perm=MANAGE_PERM, what="管理账号")
def update_account(*, actor, user: User, name: str, org_unit: OrgUnit, roles: Iterable[Role],
                   grids: Iterable[Region] = (), request=None) -> User:
    """Name, unit, roles and grids. A change of roles ends the account's sessions (``logins``)."""
    name, org, roles, grids = _checked_account_fields(actor, name, org_unit, roles, grids)
    with transaction.atomic():
        u = _account(actor, user)
        before = _snapshot(u)
        u.name, u.org_unit = name[:64], org
        u.save(update_fields=["name", "org_unit"])
        u.grids.set(grids)
        try:
            logins.set_user_roles(user=u, roles=roles, actor=actor, request=request)
        except ValidationError as exc:
            raise Invalid(exc.messages[0], field="roles") from None
        after = _snapshot(u)
        changed = {k: v for k, v in after.items() if before[k] != v and k != "roles"}
        if changed:
            audit.record(actor=actor, action=AuditAction.UPDATE, obj=u,
                         before={k: before[k] for k in changed}, after=changed, request=request,
                         region_code=_place(u))
            if "org_unit" in changed or "grids" in changed:
                logins.end_other_sessions(user=u)  # the account's area changed: its pages change
    return u
