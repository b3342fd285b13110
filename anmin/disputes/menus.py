"""Menu entries of the disputes domain."""

from django.utils.translation import gettext_lazy as _

from anmin.core.registry import MenuItem, menu, quick_actions


def register() -> None:
    for item in (
        MenuItem("disputes", "cases", _("矛盾纠纷台账"), "disputes:dispute_list", "disputes.view_dispute", 20, "⚖"),
        MenuItem(
            "dispute_report", "work", _("上报矛盾纠纷"), "disputes:dispute_report", "disputes.add_dispute", 30, "＋"
        ),
        MenuItem(
            "mediation_orgs",
            "base",
            _("人民调解组织"),
            "disputes:mediationorg_list",
            "disputes.view_mediationorg",
            40,
            "⌂",
        ),
        MenuItem("mediators", "base", _("人民调解员"), "disputes:mediator_list", "disputes.view_mediator", 41, "☺"),
    ):
        menu.register(item.key, item)
    quick_actions.register("dispute_report", MenuItem(
        "dispute_report", "quick", _("上报纠纷"), "disputes:dispute_report", "disputes.add_dispute", 20, "scale"))
