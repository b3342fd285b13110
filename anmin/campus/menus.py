"""Menu entries of the campus domain."""

from django.utils.translation import gettext_lazy as _

from anmin.core.registry import MenuItem, menu


def register() -> None:
    for item in (
        MenuItem("campus_schools", "base", _("学校(幼儿园)"), "campus:school_list", "campus.view_school", 60, "⌂"),
        MenuItem("campus_posts", "base", _("平安护学岗"), "campus:post_list", "campus.view_guardpost", 61, "⚐"),
        MenuItem("campus_checks", "base", _("五个100%检查"), "campus:check_list", "campus.view_safetycheck", 62, "☑"),
        MenuItem("campus_incidents", "cases", _("校园周边案(事)件"), "campus:incident_list",
                 "campus.view_campusincident", 60, "⚠"),
    ):
        menu.register(item.key, item)
