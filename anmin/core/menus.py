"""The foundation's menu sections (工作台, 基础数据, 系统) and entries; other apps add their sections and
entries in their AppConfig.ready() (the case engine 事件与案件, people 人口与重点人群 …)."""

from django.utils.translation import gettext_lazy as _

from .registry import BUSINESS, MenuItem, MenuSection, menu, menu_sections

for section in (
    MenuSection("work", _("工作台"), 10),
    MenuSection("base", _("基础数据"), 80),
    MenuSection("system", _("系统"), 90),
):
    menu_sections.register(section.key, section)

for item in (
    MenuItem("home", "work", _("首页"), "core:home", None, 1, "⌂"),
    # The offline workbench (docs/offline.md): the queue, the kept lists, the offline forms.
    MenuItem("offline", "work", _("离线工作台"), "core:offline", None, 2, "✓", roles=(BUSINESS,)),
    MenuItem("regions", "base", _("辖区"), "core:region_list", "core.view_region", 10, "▦", roles=(BUSINESS,)),
    MenuItem("orgs", "base", _("组织机构"), "core:orgunit_list", "core.view_orgunit", 20, "⚑", roles=(BUSINESS,)),
    MenuItem("accounts", "system", _("账号管理"), "core:account_list", "core.manage_accounts", 5, "users"),
    MenuItem("admin", "system", _("账号、角色与机构管理"), "admin:index", "core.change_user", 10, "⚙"),
    MenuItem("documents", "system", _("文书模板"), "core:document_templates", "core.change_documenttemplate", 40, "✎"),
    MenuItem("audit", "system", _("审计日志"), "core:audit_list", "core.view_auditentry", 50, "☷"),
    MenuItem("api_docs", "system", _("API 文档"), "api-docs", None, 80, "⇄"),
    MenuItem("profile", "system", _("我的账号"), "core:profile", None, 90, "☺"),
):
    menu.register(item.key, item)
