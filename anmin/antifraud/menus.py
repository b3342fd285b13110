"""Menu entries of the anti-fraud domain."""

from django.utils.translation import gettext_lazy as _

from anmin.core.registry import MenuItem, menu


def register() -> None:
    for item in (
        MenuItem("antifraud_board", "work", _("预警线索看板"), "antifraud:board", "antifraud.view_lead", 25, "⚠"),
        MenuItem("antifraud_leads", "cases", _("预警线索台账"), "antifraud:lead_list", "antifraud.view_lead", 25, "⚠"),
        MenuItem("antifraud_cases", "cases", _("电诈案件台账"), "antifraud:case_list", "antifraud.view_fraudcase", 26,
                 "¥"),
        MenuItem("antifraud_blacklist", "cases", _("涉诈黑名单"), "antifraud:blacklist_list",
                 "antifraud.view_blacklistentry", 27, "shield-alert"),
    ):
        menu.register(item.key, item)
