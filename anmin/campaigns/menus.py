"""Menu entries of the campaigns domain."""

from django.utils.translation import gettext_lazy as _

from anmin.core.registry import MenuItem, menu


def register() -> None:
    for item in (
        MenuItem("campaigns_designations", "base", _("平安创建命名"), "campaigns:designation_list",
                 "campaigns.view_designation", 70, "★"),
        MenuItem("campaigns_households", "base", _("综治保险参保农户"), "campaigns:household_list",
                 "campaigns.view_insuredhousehold", 71, "☂"),
        MenuItem("campaigns_counsellors", "base", _("心理服务人员"), "campaigns:counsellor_list",
                 "campaigns.view_counsellor", 72, "♡"),
        MenuItem("campaigns_reports", "base", _("政法工作专报刊发"), "campaigns:report_list",
                 "campaigns.view_practicereport", 73, "✎"),
        MenuItem("campaigns_publicity", "cases", _("宣传活动"), "campaigns:campaign_list",
                 "campaigns.view_publicitycampaign", 70, "★"),
        MenuItem("campaigns_sessions", "cases", _("心理服务记录"), "campaigns:session_list",
                 "campaigns.view_counsellingsession", 71, "♡"),
    ):
        menu.register(item.key, item)
