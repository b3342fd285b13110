"""Menu entries of the people registers (section "people")."""

from django.utils.translation import gettext_lazy as _

from anmin.core.registry import MenuItem, menu

SPECIAL = "people.view_special_population"


def register() -> None:
    for item in (
        MenuItem("people_persons", "people", _("实有人口"), "people:person_list", "people.view_person", 10, "☺"),
        MenuItem("people_houses", "people", _("实有房屋"), "people:house_list", "people.view_house", 11, "⌂"),
        MenuItem("people_released", "people", _("刑满释放人员"), "people:released_list", SPECIAL, 30, "•"),
        MenuItem("people_corrections", "people", _("社区矫正人员"), "people:correction_list", SPECIAL, 31, "•"),
        MenuItem("people_drugs", "people", _("吸毒人员"), "people:drug_list", SPECIAL, 32, "•"),
        MenuItem("people_hiv", "people", _("艾滋病危险人员"), "people:hiv_list", SPECIAL, 33, "•"),
        MenuItem("people_youth", "people", _("重点青少年"), "people:youth_list", SPECIAL, 34, "•"),
    ):
        menu.register(item.key, item)
