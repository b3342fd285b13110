"""Menu entries of severe-mental-disorder care (its own section, after the people registers).

The keys keep the names they had when care was part of people (saved menu preferences still match).
"""

from django.utils.translation import gettext_lazy as _

from anmin.core.registry import MenuItem, MenuSection, menu, menu_sections, quick_actions
from anmin.people.models import SPECIAL_PERM


def register() -> None:
    menu_sections.register("care", MenuSection("care", _("严重精神障碍患者管理"), 31))
    for item in (
        MenuItem("people_mental", "care", _("严重精神障碍患者"), "care:mental_list", SPECIAL_PERM, 20, "✚"),
        MenuItem("people_overdue", "care", _("随访逾期"), "care:overdue_list", SPECIAL_PERM, 21, "⏰"),
        MenuItem("people_assessments", "care", _("等级评估与审批"), "care:assessment_list", SPECIAL_PERM, 22, "⚖"),
        MenuItem("people_teams", "care", _("管理小组不全"), "care:team_incomplete_list", SPECIAL_PERM, 23, "⚠"),
        MenuItem("people_subsidies", "care", _("以奖代补"), "care:subsidy_list", SPECIAL_PERM, 24, "¥"),
        MenuItem("people_payments", "care", _("以奖代补发放台账"), "care:payment_list", SPECIAL_PERM, 25, "¥"),
        MenuItem("people_incidents", "care", _("肇事肇祸登记"), "care:incident_list", SPECIAL_PERM, 26, "!"),
        MenuItem("people_visits", "care", _("走访随访记录"), "care:visit_list", "care.view_visit", 27, "✎"),
    ):
        menu.register(item.key, item)
    # On a grid worker's home: the follow-ups due, each opening its visit form.
    quick_actions.register("care_visits", MenuItem(
        "care_visits", "quick", _("走访随访"), "care:overdue_list", "care.add_visit", 30, "footprints"))
