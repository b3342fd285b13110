"""The built-in roles and their default permissions (data: an administrator may adjust them)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import registry
from .models import Role
from .models.accounts import ScopeKind


@dataclass(frozen=True)
class RoleDef:
    code: str
    name: str
    scope: str
    description: str
    privileged: bool = False
    read_only: bool = False


BUILTIN_ROLES: tuple[RoleDef, ...] = (
    RoleDef(
        Role.CITY_OFFICE, "市平安办", ScopeKind.REGION, "市委政法委/市平安办：全市全局、任务交办、考评、报表", True
    ),
    RoleDef(Role.TOWNSHIP_CENTER, "乡镇综治中心", ScopeKind.REGION, "乡镇(街道)综治中心：受理、分拨、台账、督办本辖区"),
    RoleDef(Role.VILLAGE_CENTER, "村(社区)综治", ScopeKind.REGION, "村(社区)综治中心：本村(社区)事项"),
    RoleDef(Role.GRID_WORKER, "网格员", ScopeKind.GRIDS, "网格员：本人负责网格的上报、走访、巡查"),
    RoleDef(Role.MEDIATOR, "调解员", ScopeKind.ASSIGNED, "人民调解员：本调委会的纠纷、调解记录与协议"),
    RoleDef(Role.POLICE, "派出所民警", ScopeKind.REGION, "派出所民警：辖区预警劝阻、巡逻、重点人员"),
    RoleDef(Role.CRACKDOWN, "扫黑办", ScopeKind.REGION, "扫黑办：线索核查、案件、整改、三书一函", True),
    RoleDef(Role.DEPT_HANDLER, "部门经办人", ScopeKind.ASSIGNED, "职能部门经办人：交办给本单位的事项"),
    RoleDef(Role.LEADER, "领导", ScopeKind.REGION, "领导：驾驶舱与报表，只读", read_only=True),
    RoleDef(
        Role.SYSADMIN, "系统管理员", ScopeKind.NONE, "运行和维护系统，管理账号、角色与机构；不能查看业务数据", True
    ),
    RoleDef(Role.AUDITOR, "审计员", ScopeKind.NONE, "只能查看和导出审计日志", True),
)

BUSINESS_ROLES = tuple(r.code for r in BUILTIN_ROLES if r.scope != ScopeKind.NONE)


def core_grants() -> registry.RoleGrants:
    reference = ("core.view_region", "core.view_orgunit")
    grants = dict.fromkeys(BUSINESS_ROLES, reference)
    grants[Role.SYSADMIN] = (
        "core.view_user",
        "core.add_user",
        "core.change_user",
        "core.view_role",
        "core.change_role",
        "core.view_orgunit",
        "core.add_orgunit",
        "core.change_orgunit",
        "core.view_region",
        "core.add_region",
        "core.change_region",
        "core.view_codetable",
        "core.change_codetable",
        "core.view_codeitem",
        "core.add_codeitem",
        "core.change_codeitem",
        # Reset a lost authenticator (delete it); the admin never shows the secret.
        "otp_totp.view_totpdevice",
        "otp_totp.delete_totpdevice",
    )
    # 三员分立: the audit log is the auditor's alone — not the system administrator's, not any
    # business role's.
    grants[Role.AUDITOR] = ("core.view_auditentry",)
    return registry.RoleGrants("core", grants)


def _permission(name: str) -> Permission:
    app_label, codename = name.split(".", 1)
    try:
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)
    except Permission.DoesNotExist as exc:
        raise LookupError(f"permission {name!r} does not exist (is the app installed and migrated?)") from exc


@transaction.atomic
def sync_roles(*, reset: bool = False) -> dict[str, int]:
    """Create the built-in roles and give them the default grants they have not had yet.

    ``reset`` puts every built-in role back to exactly its defaults.
    """
    stats = {"roles_created": 0, "grants_added": 0}
    defaults: dict[str, set[str]] = {}
    for rg in registry.role_grants:
        for code, perms in rg.grants.items():
            defaults.setdefault(code, set()).update(perms)
    for order, rdef in enumerate(BUILTIN_ROLES):
        role, created = Role.objects.get_or_create(
            code=rdef.code,
            defaults={
                "name": rdef.name,
                "scope": rdef.scope,
                "description": rdef.description,
                "privileged": rdef.privileged,
                "read_only": rdef.read_only,
                "order": order,
            },
        )
        stats["roles_created"] += created
        wanted = defaults.get(rdef.code, set())
        applied = set(role.applied_defaults or [])
        todo = wanted if reset else wanted - applied
        if reset:
            role.permissions.clear()
        if todo:
            role.permissions.add(*[_permission(p) for p in sorted(todo)])
            stats["grants_added"] += len(todo)
        role.applied_defaults = sorted(applied | wanted)
        role.save(update_fields=["applied_defaults"])
    return stats


ROLE_LABELS = {r.code: _(r.name) for r in BUILTIN_ROLES}

# 三员分立: the system administrator and the auditor are each an account of its own.
EXCLUSIVE_ROLES = (Role.SYSADMIN, Role.AUDITOR)
AUDITOR_ONLY_PERMISSIONS = ("core.view_auditentry",)


def check_separation_of_duties(role_codes) -> None:
    """Refuse a role set that mixes 系统管理员 or 审计员 with any other role."""
    codes = set(role_codes)
    for code in EXCLUSIVE_ROLES:
        if code in codes and len(codes) > 1:
            raise ValidationError(
                _("角色：%(role)s 不能与其他角色授予同一账号（三员分立）。") % {"role": ROLE_LABELS[code]},
                code="separation_of_duties",
            )


def check_role_permissions(role_code: str, permission_names) -> None:
    """Refuse the audit log's permission on any role but 审计员."""
    if role_code == Role.AUDITOR:
        return
    for name in AUDITOR_ONLY_PERMISSIONS:
        if name in set(permission_names):
            raise ValidationError(
                _("权限：“查看审计日志”只能授予审计员角色（三员分立）。"), code="separation_of_duties"
            )
