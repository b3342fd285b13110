"""Indicators of the hazards domain, computed from records by region and year: the drunk-driving
register (people dealt with, criminal penalties, accidents caused — the report prints the last one as
a year-on-year change, so the register keeps earlier years), dangerous waters and their protection,
minors' drownings, and the railway-hazard case indicators (found, verified, overdue, on-time rate)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anmin.core.registry import Kpi, kpis
from anmin.workflow.kit.kpis import CaseKpis, region_prefix

from .models import DrowningIncident, DrunkDriving, Penalty, Water
from .workflows import RAILWAY_HAZARD

RAILWAY_KPIS = CaseKpis(RAILWAY_HAZARD)


def _scoped(model, region, user):
    qs = model.objects.visible_to(user) if user is not None else model.objects.all()
    return qs.filter(region__code__startswith=region_prefix(region)) if region else qs


def drunk_driving_handled(*, year, region=None, user=None) -> int:
    """People dealt with for drink or drunk driving in the year."""
    return _scoped(DrunkDriving, region, user).in_year(year).count()


def drunk_driving_criminal(*, year, region=None, user=None) -> int:
    return _scoped(DrunkDriving, region, user).in_year(year).filter(penalty=Penalty.CRIMINAL).count()


def drunk_driving_accidents(*, year, region=None, user=None) -> int:
    """Accidents caused by drink or drunk driving (醉驾肇事肇祸案件) in the year."""
    return _scoped(DrunkDriving, region, user).in_year(year).filter(caused_accident=True).count()


def waters(*, year, region=None, user=None) -> int:
    """Dangerous waters on the register now (``year`` is not used)."""
    return _scoped(Water, region, user).filter(is_active=True).count()


def waters_unprotected(*, year, region=None, user=None) -> int:
    """Dangerous waters on the register now lacking warning signs, rescue equipment or a responsible
    person (``year`` is not used)."""
    qs = _scoped(Water, region, user).filter(is_active=True)
    return sum(1 for w in qs.only("warning_signs", "rescue_equipment", "responsible_name") if not w.protected)


def drownings(*, year, region=None, user=None) -> int:
    return _scoped(DrowningIncident, region, user).filter(occurred_on__year=year).count()


def register() -> None:
    for key, label, fn, unit in (
        ("drunk_driving_handled", _("处理酒驾醉驾人员"), drunk_driving_handled, "人"),
        ("drunk_driving_criminal", _("酒驾醉驾判处刑事处罚"), drunk_driving_criminal, "人"),
        ("drunk_driving_accidents", _("醉驾肇事肇祸案件"), drunk_driving_accidents, "起"),
        ("waters", _("在册危险水域"), waters, "处"),
        ("waters_unprotected", _("防护不全的危险水域"), waters_unprotected, "处"),
        ("drownings", _("未成年人溺水事故"), drownings, "起"),
    ):
        kpis.register(f"hazards.{key}", Kpi(f"hazards.{key}", label, fn, unit, "hazards"))
    for name, label, unit in (("reported", _("发现铁路沿线隐患"), "件"), ("closed", _("验收销号铁路沿线隐患"), "件"),
                              ("overdue", _("超期未整改铁路沿线隐患"), "件"),
                              ("on_time_rate", _("铁路沿线隐患按期整改率"), "%")):
        key = f"hazards.railway_{name}"
        kpis.register(key, Kpi(key, label, getattr(RAILWAY_KPIS, name), unit, "hazards"))
