"""Hazards' layer of the analytics map: dangerous waters with their points; those without warning
signs, rescue equipment or a responsible person first and drawn solid."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anmin.workflow.kit import maps

from .models import WaterKind
from .registries import WATERS

UNPROTECTED = Q(warning_signs=0) | Q(rescue_equipment="") | Q(responsible_name="")


def _describe(water) -> str:
    return f"{water.name}（{WaterKind(water.kind).label}）" + ("" if water.protected else str(_("，防护不全")))


def register() -> None:
    maps.register(maps.registry_layer(WATERS, key="hazards.waters", label=_("危险水域"), colour="#1098ad",
                                      order=50, default_on=True, attention=UNPROTECTED, describe=_describe))
