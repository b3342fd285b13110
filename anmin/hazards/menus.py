"""Menu entries of the hazards domain."""

from django.utils.translation import gettext_lazy as _

from anmin.core.registry import MenuItem

ITEMS = (
    MenuItem("railway_report", "work", _("登记铁路沿线隐患"), "hazards:railway_report", "hazards.add_railwayhazard",
             70, "＋"),
    MenuItem("railway_hazards", "cases", _("铁路沿线隐患"), "hazards:railway_list", "hazards.view_railwayhazard",
             40, "≡"),
    MenuItem("hazards_waters", "base", _("危险水域"), "hazards:water_list", "hazards.view_water", 62, "≈"),
    MenuItem("hazards_inspections", "cases", _("水域巡查记录"), "hazards:inspection_list",
             "hazards.view_waterinspection", 41, "☑"),
    MenuItem("hazards_drownings", "cases", _("未成年人溺水事故"), "hazards:drowning_list",
             "hazards.view_drowningincident", 42, "⚠"),
    MenuItem("hazards_drunk_driving", "cases", _("酒驾醉驾查处"), "hazards:drunk_driving_list",
             "hazards.view_drunkdriving", 43, "car"),
)
