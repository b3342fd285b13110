"""Menu entries of the hazards domain."""

from django.utils.translation import gettext_lazy as _

from anmin.core.registry import MenuItem, menu


def register() -> None:
    for item in (
        MenuItem("railway_report", "work", _("登记铁路沿线隐患"), "hazards:railway_report", "hazards.add_railwayhazard",
                 70, "＋"),
        MenuItem("railway_hazards", "cases", _("铁路沿线隐患"), "hazards:railway_list", "hazards.view_railwayhazard",
                 40, "≡"),
        MenuItem("hazards_waters", "base", _("危险水域"), "hazards:water_list", "hazards.view_water", 62, "≈"),
    ):
        menu.register(item.key, item)
