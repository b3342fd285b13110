from django.utils.translation import gettext_lazy as _

from anmin.core.registry import MenuItem, menu


def register() -> None:
    menu.register("assessment", MenuItem("assessment", "analysis", _("考核评估"), "assessment:scheme_list",
                                         "assessment.view_scheme", 30, "★"))
