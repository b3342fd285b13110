"""The case engine's menu entries and home-page card."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from anmin.core import clock
from anmin.core.registry import BUSINESS, MenuItem, MenuSection, Widget, menu, menu_sections, widgets


def _todo_card(request) -> dict:

    from .models import Case, CaseQuerySet, Supervision

    user = request.user
    now = clock.now()
    todo = Case.objects.visible_to(user).inbox_for_user(user)
    # One statement for the three figures (the inbox's condition is read once, not three times).
    n = todo.aggregate(total=Count("pk"), warning=Count("pk", filter=CaseQuerySet.warning_q(now)),
                       overdue=Count("pk", filter=CaseQuerySet.overdue_q(now)))
    stats = [(_("我的待办"), n["total"]), (_("临期预警"), n["warning"]), (_("已逾期"), n["overdue"])]
    if user.org_unit_id:
        stats.append((_("待回复督办"), Supervision.objects.visible_to(user).addressed_to(user.org_unit_id)
                      .unreplied().count()))
    return {"stats": stats, "link": ("workflow:inbox", _("进入我的待办"))}


def _reads_a_coverage_rule(user) -> bool:
    from .kit.coverage_views import readable_rules

    return bool(readable_rules(user))


def register() -> None:
    menu_sections.register("cases", MenuSection("cases", _("事件与案件"), 20))
    for item in (
        MenuItem("inbox", "work", _("我的待办"), "workflow:inbox", "workflow.view_case", 5, "✓", roles=(BUSINESS,)),
        MenuItem("cases", "cases", _("事项台账"), "workflow:case_list", "workflow.view_case", 10, "☰",
                 roles=(BUSINESS,)),
        MenuItem("coverage_gaps", "base", _("覆盖缺口清单"), "workflow:coverage_gaps", "workflow.view_case", 90, "◎",
                 roles=(BUSINESS,), shown=_reads_a_coverage_rule),
        MenuItem("supervisions", "cases", _("督办"), "workflow:supervision_list", "workflow.view_supervision", 90,
                 "!", roles=(BUSINESS,)),
    ):
        menu.register(item.key, item)
    widgets.register(
        "todo",
        Widget(key="todo", title=_("我的待办"), template="core/widgets/stats.html", render=_todo_card,
               perm="workflow.view_case", roles=(BUSINESS,), order=2,
               cache_seconds=60),  # 临期/逾期 also move with the clock: at most a minute behind it
    )
