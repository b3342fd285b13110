"""The built-in roles and their default permissions (data: an administrator may adjust them)."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from . import registry
from .models import Role
from .models.accounts import ScopeKind
from .models.orgs import OrgKind
from .registry import RoleDef

# The foundation's roles. A domain registers its own (``registry.roles``) in its AppConfig.ready():
# disputes the 调解员, crackdown the 扫黑办.
FOUNDATION_ROLES: tuple[RoleDef, ...] = (
    RoleDef(Role.CITY_OFFICE, gettext_noop("市平安办"),
            ScopeKind.REGION, "市委政法委/市平安办：全市全局、任务交办、考评、报表", True,
            order=10, org_kinds=(OrgKind.PEACE_OFFICE,)),
    RoleDef(Role.TOWNSHIP_CENTER, gettext_noop("乡镇综治中心"),
            ScopeKind.REGION, "乡镇(街道)综治中心：受理、分拨、台账、督办本辖区",
            order=20, org_kinds=(OrgKind.CENTER,)),
    RoleDef(Role.VILLAGE_CENTER, gettext_noop("村(社区)综治"),
            ScopeKind.REGION, "村(社区)综治中心：本村(社区)事项", order=30,
            org_kinds=(OrgKind.CENTER,)),
    RoleDef(Role.GRID_WORKER, gettext_noop("网格员"),
            ScopeKind.GRIDS, "网格员：本人负责网格的上报、走访、巡查", order=40,
            org_kinds=(OrgKind.CENTER,)),
    RoleDef(Role.POLICE, gettext_noop("派出所民警"),
            ScopeKind.REGION, "派出所民警：辖区预警劝阻、巡逻、重点人员", order=60,
            org_kinds=(OrgKind.POLICE_STATION,)),
    RoleDef(Role.DEPT_HANDLER, gettext_noop("部门经办人"),
            ScopeKind.ASSIGNED, "职能部门经办人：交办给本单位的事项", order=80,
            org_kinds=(OrgKind.EDUCATION,)),
    RoleDef(Role.LEADER, gettext_noop("领导"),
            ScopeKind.REGION, "领导：驾驶舱与报表，只读", read_only=True, order=90,
            org_kinds=(OrgKind.PEACE_OFFICE,)),
    RoleDef(Role.SYSADMIN, gettext_noop("系统管理员"),
            ScopeKind.NONE, "运行和维护系统，管理账号、角色与机构；不能查看业务数据", True,
            order=100, org_kinds=(OrgKind.IT_OPERATIONS,)),
    RoleDef(Role.AUDITOR, gettext_noop("审计员"),
            ScopeKind.NONE, "只能查看和导出审计日志", True, order=110,
            org_kinds=(OrgKind.PEACE_OFFICE,)),
)


def register_foundation_roles() -> None:
    for rdef in FOUNDATION_ROLES:
        registry.roles.register(rdef.code, rdef)


def role_defs() -> list[RoleDef]:
    """Every registered role, in their order."""
    return sorted(registry.roles, key=lambda r: r.order)


def core_grants() -> registry.RoleGrants:
    grants: dict[str, tuple[str, ...]] = {registry.BUSINESS: ("core.view_region", "core.view_orgunit")}
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
        # List and revoke API tokens (the key itself is never stored).
        "core.view_apitoken",
        "core.change_apitoken",
    )
    # 三员分立: the audit log is the auditor's alone — not the system administrator's, not any
    # business role's.
    grants[Role.AUDITOR] = ("core.view_auditentry",)
    # The wording of every printed 协议书 / 通知书 is the city safety office's to set.
    grants[Role.CITY_OFFICE] = ("core.view_documenttemplate", "core.change_documenttemplate", "core.manage_accounts")
    # 账号管理: a township centre manages its own grid workers' and village staff's accounts (core.actions).
    grants[Role.TOWNSHIP_CENTER] = ("core.manage_accounts",)
    return registry.RoleGrants("core", grants)


def _permissions(names: set[str]) -> dict[str, Permission]:
    """The permissions named ``app_label.codename``, read in one query; a name that does not exist is
    an error (an app not installed or not migrated)."""
    found = {f"{p.content_type.app_label}.{p.codename}": p
             for p in Permission.objects.select_related("content_type").filter(
                 codename__in={n.split(".", 1)[1] for n in names})}
    missing = sorted(set(names) - set(found))
    if missing:
        raise LookupError(f"permission {missing[0]!r} does not exist (is the app installed and migrated?)")
    return {n: found[n] for n in names}


@transaction.atomic
def sync_roles(*, reset: bool = False) -> dict[str, int]:
    """Create the built-in roles and give them the default grants they have not had yet.

    ``reset`` puts every built-in role back to exactly its defaults.
    """
    stats = {"roles_created": 0, "grants_added": 0}
    business = set(registry.business_roles())
    defaults: dict[str, set[str]] = {}
    for rg in registry.role_grants:
        for code, perms in rg.grants.items():
            for target in (business if code == registry.BUSINESS else {code}):
                defaults.setdefault(target, set()).update(perms)
    permissions = _permissions(set().union(*defaults.values()))
    for rdef in role_defs():
        role, created = Role.objects.get_or_create(
            code=rdef.code,
            defaults={
                "name": rdef.name,
                "scope": rdef.scope,
                "description": rdef.description,
                "privileged": rdef.privileged,
                "read_only": rdef.read_only,
                "order": rdef.order,
            },
        )
        stats["roles_created"] += created
        wanted = defaults.get(rdef.code, set())
        applied = set(role.applied_defaults or [])
        todo = wanted if reset else wanted - applied
        if reset:
            role.permissions.clear()
        if todo:
            role.permissions.add(*[permissions[p] for p in sorted(todo)])
            stats["grants_added"] += len(todo)
        role.applied_defaults = sorted(applied | wanted)
        role.save(update_fields=["applied_defaults"])
    return stats


def role_label(code: str) -> str:
    rdef = registry.roles.get(code) if code in registry.roles else None
    return _(rdef.name) if rdef else code


# 三员分立: the system administrator and the auditor are each an account of its own.
EXCLUSIVE_ROLES = (Role.SYSADMIN, Role.AUDITOR)
AUDITOR_ONLY_PERMISSIONS = ("core.view_auditentry",)


def check_separation_of_duties(role_codes) -> None:
    """Refuse a role set that mixes 系统管理员 or 审计员 with any other role."""
    codes = set(role_codes)
    for code in EXCLUSIVE_ROLES:
        if code in codes and len(codes) > 1:
            raise ValidationError(
                _("角色：%(role)s 不能与其他角色授予同一账号（三员分立）。") % {"role": role_label(code)},
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
