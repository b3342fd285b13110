"""Home-page cards the foundation contributes."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .models import OrgUnit, Region, Role
from .models.regions import RegionLevel
from .registry import Widget, widgets
from .roles import BUSINESS_ROLES


def _jurisdiction(request) -> dict:
    counts = Region.objects.visible_to(request.user).aggregate(
        townships=Count("code", filter=Q(level=RegionLevel.TOWNSHIP)),
        villages=Count("code", filter=Q(level=RegionLevel.VILLAGE)),
        grids=Count("code", filter=Q(level=RegionLevel.GRID)),
    )
    return {
        "stats": [
            (_("乡镇(街道)"), counts["townships"]),
            (_("村(社区)"), counts["villages"]),
            (_("网格"), counts["grids"]),
            (_("机构"), OrgUnit.objects.visible_to(request.user).count()),
        ],
        "link": ("core:region_list", _("查看辖区")),
    }


def _system(request) -> dict:
    user_model = get_user_model()
    return {
        "stats": [
            (_("启用账号"), user_model.objects.filter(is_active=True).count()),
            (_("角色"), Role.objects.count()),
            (_("机构"), OrgUnit.objects.count()),
        ],
        "link": ("admin:index", _("进入管理")),
    }


widgets.register(
    "jurisdiction",
    Widget(
        "jurisdiction", _("我的辖区"), "core/widgets/stats.html", _jurisdiction, "core.view_region", BUSINESS_ROLES, 10
    ),
)
widgets.register(
    "system", Widget("system", _("系统概况"), "core/widgets/stats.html", _system, "core.change_user", order=10)
)
