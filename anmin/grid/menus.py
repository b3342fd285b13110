"""Menu entries of the grid domain."""

from django.utils.translation import gettext_lazy as _

from anmin.core.registry import MenuItem, menu, quick_actions


def register() -> None:
    for item in (
        MenuItem("grid_report", "work", _("上报网格事件"), "grid:event_report", "grid.add_gridevent", 20, "＋"),
        MenuItem("grid_events", "cases", _("网格事件台账"), "grid:event_list", "grid.view_gridevent", 15, "◎"),
    ):
        menu.register(item.key, item)
    quick_actions.register("grid_report", MenuItem(
        "grid_report", "quick", _("上报事件"), "grid:event_report", "grid.add_gridevent", 10, "circle-plus"))
