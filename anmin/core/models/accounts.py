"""Accounts and roles. Roles map to Django permissions as data an administrator can adjust."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.models import AbstractUser, Permission, UserManager
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .regions import RegionLevel


def _backends():
    from django.contrib.auth import get_backends

    return get_backends()


class ScopeKind(models.TextChoices):
    REGION = "region", _("本机构辖区")
    GRIDS = "grids", _("本人负责网格")
    ASSIGNED = "assigned", _("仅交办给本人/本单位的")
    NONE = "none", _("无业务数据")


class Role(models.Model):
    """A role such as 乡镇综治中心 or 网格员. Which permissions it carries is data (admin-editable)."""

    # The foundation's role codes (core.roles); a domain names its own (disputes.roles.MEDIATOR).
    SYSADMIN = "sysadmin"
    AUDITOR = "auditor"
    CITY_OFFICE = "city_office"
    TOWNSHIP_CENTER = "township_center"
    VILLAGE_CENTER = "village_center"
    GRID_WORKER = "grid_worker"
    POLICE = "police"
    DEPT_HANDLER = "dept_handler"
    LEADER = "leader"

    code = models.SlugField(_("角色编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    description = models.TextField(_("说明"), blank=True)
    scope = models.CharField(_("数据范围"), max_length=16, choices=ScopeKind.choices, default=ScopeKind.REGION)
    permissions = models.ManyToManyField(Permission, verbose_name=_("权限"), blank=True)
    privileged = models.BooleanField(_("特权角色"), default=False, help_text=_("需要双因素认证"))
    read_only = models.BooleanField(_("只读"), default=False)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    applied_defaults = models.JSONField(
        _("已应用的默认权限"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("默认权限只应用一次；管理员移除的权限不会被重新加上"),
    )

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name in the reader's language: a built-in role's name is in the catalogues (its
        ``RoleDef``), a name an administrator typed is shown as typed."""
        return gettext(self.name)


@dataclass(frozen=True)
class UserScope:
    """What a user's jurisdiction is, computed once per request."""

    prefixes: tuple[str, ...]
    reference_prefixes: tuple[str, ...]
    region_code: str | None

    @property
    def is_empty(self) -> bool:
        return not self.prefixes


class User(AbstractUser):
    name = models.CharField(_("姓名"), max_length=64, blank=True)
    org_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    roles = models.ManyToManyField(Role, verbose_name=_("角色"), blank=True, related_name="users")
    grids = models.ManyToManyField(
        "core.Region",
        verbose_name=_("负责网格"),
        blank=True,
        related_name="grid_workers",
        limit_choices_to={"level": RegionLevel.GRID},
    )
    must_change_password = models.BooleanField(_("首次登录须修改密码"), default=True)
    # Bumped when the user's roles change: sessions carrying an older version are ended.
    session_version = models.PositiveIntegerField(_("会话版本"), default=0, editable=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["username"]
        # 账号管理 (core.actions): a township centre its own staff's accounts, the city office everyone's.
        permissions = [("manage_accounts", "管理本辖区账号")]

    def __str__(self) -> str:
        return self.name or self.username

    # No superuser (三员分立): Django's "a superuser has every permission" shortcut is switched off,
    # so a stray is_superuser flag grants nothing beyond the user's roles.
    def has_perm(self, perm, obj=None) -> bool:
        return self.is_active and any(
            backend.has_perm(self, perm, obj) for backend in _backends() if hasattr(backend, "has_perm")
        )

    def has_perms(self, perm_list, obj=None) -> bool:
        return all(self.has_perm(p, obj) for p in perm_list)

    def has_module_perms(self, app_label) -> bool:
        return self.is_active and any(
            backend.has_module_perms(self, app_label) for backend in _backends() if hasattr(backend, "has_module_perms")
        )

    @cached_property
    def role_list(self) -> list[Role]:
        from anmin.core.principal import facts

        return list(facts(self).roles)

    @cached_property
    def role_codes(self) -> frozenset[str]:
        return frozenset(r.code for r in self.role_list)

    def has_role(self, *codes: str) -> bool:
        return bool(self.role_codes.intersection(codes))

    @cached_property
    def is_privileged(self) -> bool:
        """Holds a role that needs the TOTP second factor (系统管理员, 审计员, 市平安办, 扫黑办)."""
        return any(r.privileged for r in self.role_list)

    @cached_property
    def primary_role(self) -> Role | None:
        return self.role_list[0] if self.role_list else None

    @property
    def org_unit_with_region(self):
        """The org unit with its region, in one query unless the unit is already loaded."""
        if self.org_unit_id is None:
            return None
        if not self.__class__.org_unit.is_cached(self):
            from anmin.core.principal import facts

            org = facts(self).org_unit
            if org is None or org.pk != self.org_unit_id:  # changed on this instance since
                org = (self.__class__.org_unit.field.related_model.objects.select_related("region")
                       .get(pk=self.org_unit_id))
            self.org_unit = org
        return self.org_unit

    @cached_property
    def scope(self) -> UserScope:
        prefixes: set[str] = set()
        region_code = None
        org = self.org_unit_with_region
        for role in self.role_list:
            if role.scope == ScopeKind.REGION and org is not None:
                prefixes.add(org.region.prefix)
                region_code = org.region_id
            elif role.scope == ScopeKind.GRIDS:
                from anmin.core.principal import facts

                prefixes.update(facts(self).grid_prefixes)
        # A prefix already covered by a shorter one adds nothing.
        minimal = tuple(sorted(p for p in prefixes if not any(p != q and p.startswith(q) for q in prefixes)))
        # Reference data (the region tree, org units) follows the org's area for every business role,
        # so a department handler whose business scope is "assigned only" still sees the map.
        reference = set(minimal)
        if org is not None and any(r.scope != ScopeKind.NONE for r in self.role_list):
            reference.add(org.region.prefix)
        reference_minimal = tuple(
            sorted(p for p in reference if not any(p != q and p.startswith(q) for q in reference))
        )
        return UserScope(
            prefixes=minimal,
            reference_prefixes=reference_minimal,
            region_code=region_code or (org.region_id if org else None),
        )
