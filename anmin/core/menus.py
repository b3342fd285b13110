"""The foundation's menu sections and entries; other apps add theirs in their AppConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from .registry import MenuItem, MenuSection, menu, menu_sections
from .roles import BUSINESS_ROLES

for section in (
    MenuSection("work", _("工作台"), 10),
    MenuSection("cases", _("事件与案件"), 20),
    MenuSection("people", _("人口与重点人群"), 30),
    MenuSection("prevention", _("治安防控"), 40),
    MenuSection("analysis", _("统计考评"), 50),
    MenuSection("base", _("基础数据"), 80),
    MenuSection("system", _("系统"), 90),
):
    menu_sections.register(section.key, section)

for item in (
    MenuItem("home", "work", _("首页"), "core:home", None, 1, "⌂"),
    MenuItem("regions", "base", _("辖区"), "core:region_list", "core.view_region", 10, "▦", roles=BUSINESS_ROLES),
    MenuItem("orgs", "base", _("组织机构"), "core:orgunit_list", "core.view_orgunit", 20, "⚑", roles=BUSINESS_ROLES),
    MenuItem("admin", "system", _("账号、角色与机构管理"), "admin:index", "core.change_user", 10, "⚙"),
    MenuItem("audit", "system", _("审计日志"), "core:audit_list", "core.view_auditentry", 50, "☷"),
    MenuItem("api_docs", "system", _("API 文档"), "api-docs", None, 80, "⇄"),
    MenuItem("profile", "system", _("我的账号"), "core:profile", None, 90, "☺"),
):
    menu.register(item.key, item)
