"""Menu entries of the campus domain."""

from django.utils.translation import gettext_lazy as _

from anmin.core.registry import MenuItem, menu


def register() -> None:
    for item in (
        MenuItem("campus_schools", "base", _("学校(幼儿园)"), "campus:school_list", "campus.view_school", 60, "⌂"),
        MenuItem("campus_posts", "base", _("平安护学岗"), "campus:post_list", "campus.view_guardpost", 61, "⚐"),
    ):
        menu.register(item.key, item)
