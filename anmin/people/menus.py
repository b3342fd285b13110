"""Menu entries of the people registers (section "people")."""

from django.utils.translation import gettext_lazy as _

from anmin.core.registry import MenuItem, menu

SPECIAL = "people.view_special_population"


def register() -> None:
    for item in (
        MenuItem("people_persons", "people", _("实有人口"), "people:person_list", "people.view_person", 10, "☺"),
        MenuItem("people_houses", "people", _("实有房屋"), "people:house_list", "people.view_house", 11, "⌂"),
        MenuItem("people_mental", "people", _("严重精神障碍患者"), "people:mental_list", SPECIAL, 20, "✚"),
        MenuItem("people_overdue", "people", _("随访逾期"), "people:overdue_list", SPECIAL, 21, "⏰"),
        MenuItem("people_assessments", "people", _("等级评估与审批"), "people:assessment_list", SPECIAL, 22, "⚖"),
        MenuItem("people_teams", "people", _("管理小组不全"), "people:team_incomplete_list", SPECIAL, 23, "⚠"),
        MenuItem("people_subsidies", "people", _("以奖代补"), "people:subsidy_list", SPECIAL, 24, "¥"),
        MenuItem("people_payments", "people", _("以奖代补发放台账"), "people:payment_list", SPECIAL, 25, "¥"),
        MenuItem("people_incidents", "people", _("肇事肇祸登记"), "people:incident_list", SPECIAL, 26, "!"),
        MenuItem("people_visits", "people", _("走访随访记录"), "people:visit_list", "people.view_visit", 27, "✎"),
        MenuItem("people_released", "people", _("刑满释放人员"), "people:released_list", SPECIAL, 30, "•"),
        MenuItem("people_corrections", "people", _("社区矫正人员"), "people:correction_list", SPECIAL, 31, "•"),
        MenuItem("people_drugs", "people", _("吸毒人员"), "people:drug_list", SPECIAL, 32, "•"),
        MenuItem("people_hiv", "people", _("艾滋病危险人员"), "people:hiv_list", SPECIAL, 33, "•"),
        MenuItem("people_youth", "people", _("重点青少年"), "people:youth_list", SPECIAL, 34, "•"),
    ):
        menu.register(item.key, item)
