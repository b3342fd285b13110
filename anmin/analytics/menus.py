"""Menu entries of analytics (统计考评 section)."""

from django.utils.translation import gettext_lazy as _

from anmin.core.registry import MenuItem, MenuSection, menu, menu_sections

from .roles import DASHBOARD


def register() -> None:
    # The 统计考评 section is the top layer's (analytics and assessment add to it).
    menu_sections.register("analysis", MenuSection("analysis", _("统计考评"), 50))
    for item in (
        MenuItem("dashboard", "analysis", _("统计分析"), "analytics:dashboard", DASHBOARD, 10, "▦"),
        MenuItem("bigscreen", "analysis", _("指挥大屏"), "analytics:bigscreen", DASHBOARD, 11, "▣"),
        MenuItem("map", "analysis", _("态势地图"), "analytics:map", DASHBOARD, 12, "◎"),
        MenuItem("reports", "analysis", _("报告与通报"), "analytics:report_list", "analytics.view_reportrun", 20, "❏"),
    ):
        menu.register(item.key, item)
