"""Indicators of the grid domain: the kit's case indicators (reported, closed, overdue, on-time rate —
on time meaning closed without an automatic 督办) and events per category."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anmin.core.registry import Kpi, kpis
from anmin.workflow.kit.kpis import CaseKpis

from .categories import CATEGORIES
from .models import GridEvent
from .workflows import GRID_EVENT

GRID_KPIS = CaseKpis(GRID_EVENT)
reported, closed, overdue = GRID_KPIS.reported, GRID_KPIS.closed, GRID_KPIS.overdue
on_time_rate = GRID_KPIS.on_time_rate
by_category = GRID_KPIS.count_by(GridEvent, "category", CATEGORIES.choices)


def register() -> None:
    GRID_KPIS.register("grid", {"reported": _("上报网格事件"), "closed": _("办结网格事件"),
                                "overdue": _("超期未办结网格事件"), "on_time_rate": _("网格事件按期办结率")})
    kpis.register("grid.by_category", Kpi("grid.by_category", _("网格事件按类别上报"), by_category, "件", "grid"))
