"""Home-page cards the foundation contributes."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .models import OrgUnit, Region, Role
from .models.regions import RegionLevel
from .registry import BUSINESS, Widget, widgets


def _jurisdiction(request) -> dict:
    """The regions the user works in: a grid worker's own grids, not the village their committee's
    reference area covers (the card said 村(社区) 1, 网格 7 to a worker of two grids)."""
    scope = request.user.scope
    prefixes = scope.prefixes or scope.reference_prefixes
    if not prefixes:
        return {"stats": [], "link": ("core:region_list", _("查看辖区"))}
    inside = Q()
    for prefix in prefixes:
        inside |= Q(code__startswith=prefix)
    counts = Region.objects.visible_to(request.user).filter(inside).aggregate(
        townships=Count("code", filter=Q(level=RegionLevel.TOWNSHIP)),
        villages=Count("code", filter=Q(level=RegionLevel.VILLAGE)),
        grids=Count("code", filter=Q(level=RegionLevel.GRID)),
    )
    levels = [(_("乡镇(街道)"), counts["townships"]), (_("村(社区)"), counts["villages"]), (_("网格"), counts["grids"])]
    # The levels above the jurisdiction's top say nothing (a village's 乡镇(街道) 0): from the first
    # level it holds downwards.
    first = next((i for i, (_label, n) in enumerate(levels) if n), len(levels) - 1)
    return {
        "stats": [*levels[first:], (_("机构"), OrgUnit.objects.visible_to(request.user).count())],
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
        "jurisdiction", _("我的辖区"), "core/widgets/stats.html", _jurisdiction, "core.view_region", (BUSINESS,), 10,
        cache_seconds=600,
    ),
)
widgets.register(
    "system", Widget("system", _("系统概况"), "core/widgets/stats.html", _system, "core.change_user", order=10)
)


def _townships(request) -> dict:
    """City-level roles: every township with its villages and grids, counted from the tree."""
    visible = Region.objects.visible_to(request.user)
    rows = []
    per_township: dict[str, list[int]] = {}
    for code, level in visible.filter(level__gte=RegionLevel.VILLAGE).values_list("code", "level"):
        counts = per_township.setdefault(code[:9] + "000", [0, 0])
        counts[0 if level == RegionLevel.VILLAGE else 1] += 1
    for t in visible.townships():
        villages, grids = per_township.get(t.code, [0, 0])
        rows.append((t, villages, grids))
    return {"headers": [_("乡镇(街道)"), _("村(社区)"), _("网格")], "rows": rows}


def _my_grids(request) -> dict:
    grids = request.user.grids.select_related("parent").order_by("code")
    return {"items": [(g, f"{g.parent.name if g.parent else ''} {g.name}") for g in grids]}


widgets.register("townships", Widget("townships", _("各乡镇(街道)"), "core/widgets/townships.html", _townships,
                                     "core.view_region", (Role.CITY_OFFICE, Role.LEADER), 90,
                                     wide=True, cache_seconds=600))
widgets.register("my_grids", Widget("my_grids", _("我负责的网格"), "core/widgets/links.html", _my_grids,
                                    "core.view_region", ("grid_worker",), 5))


def _audit(request) -> dict:
    """The auditor's card: today's entries, failed logins and lockouts (local day)."""
    from datetime import datetime, time

    from django.db.models import Max
    from django.utils import timezone

    from .models import AuditEntry

    # The audit log keeps real time (not the business clock): "today" here is the real day.
    start = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    today = AuditEntry.objects.visible_to(request.user).filter(at__gte=start)
    counts = today.aggregate(
        total=Count("seq"),
        failed=Count("seq", filter=Q(action="login_failed")),
        lockouts=Count("seq", filter=Q(action="lockout")),
        reveals=Count("seq", filter=Q(action="reveal")),
    )
    head = AuditEntry.objects.visible_to(request.user).aggregate(head=Max("seq"))["head"]
    return {
        "stats": [
            (_("今日记录"), counts["total"]),
            (_("今日登录失败"), counts["failed"]),
            (_("今日账号锁定"), counts["lockouts"]),
            (_("今日查看敏感信息"), counts["reveals"]),
            (_("最新序号"), head or 0),
        ],
        "link": ("core:audit_list", _("查看审计日志")),
    }


widgets.register(
    "audit", Widget("audit", _("审计概况"), "core/widgets/stats.html", _audit, "core.view_auditentry", order=10)
)
