"""The foundation's own indicators: the size of the jurisdiction (regions are reference data)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import Region
from .models.regions import RegionLevel, level_of, prefix_for
from .registry import Kpi, kpis


def _level(level: int):
    def compute(*, year, region=None, user=None) -> int:
        qs = Region.objects.visible_to(user) if user is not None else Region.objects.all()
        qs = qs.filter(level=level)
        return qs.inside(prefix_for(region, level_of(region))).count() if region else qs.count()

    return compute


def register() -> None:
    for key, label, level, unit in (
        ("core.townships", _("乡镇(街道)"), RegionLevel.TOWNSHIP, "个"),
        ("core.villages", _("村(社区)"), RegionLevel.VILLAGE, "个"),
        ("core.grids", _("网格"), RegionLevel.GRID, "个"),
    ):
        kpis.register(key, Kpi(key, label, _level(level), unit, "core"))
