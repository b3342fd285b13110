"""Indicators the assessment contributes (read by the year-end report): excellent units and
individuals of a year's assessment, and the commendations from above."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anmin.core.models.regions import level_of, prefix_for
from anmin.core.registry import Kpi, kpis

from . import engine
from .models import Commendation, CommendationKind, Designation, Scheme, Target, UnitType


def _prefix(region):
    return prefix_for(region, level_of(region)) if region else ""


def _schemes(year, user):
    qs = Scheme.objects.visible_to(user) if user is not None else Scheme.objects.all()
    return qs.filter(year=year)


def _excellent(unit_type):
    def compute(*, year, region=None, user=None) -> int:
        n = 0
        for scheme in _schemes(year, user).filter(unit_type=unit_type):
            targets = Target.objects.visible_to(user) if user is not None else Target.objects.all()
            allowed = set(targets.filter(scheme=scheme, region__code__startswith=_prefix(region))
                          .values_list("pk", flat=True))
            n += sum(1 for r in engine.compute(scheme) if r.excellent and r.target.pk in allowed)
        return n

    return compute


def excellent_individuals(*, year, region=None, user=None) -> int:
    qs = Designation.objects.filter(scheme__in=_schemes(year, user))
    if region:
        qs = qs.filter(target__region__code__startswith=_prefix(region))
    return qs.count()


def _commended(kind, unit_type_only=False):
    def compute(*, year, region=None, user=None) -> int:
        qs = Commendation.objects.visible_to(user) if user is not None else Commendation.objects.all()
        qs = qs.filter(year=year, kind=kind)
        if unit_type_only:
            qs = qs.filter(region__level=2)  # 乡镇(街道) units; the city's own title is counted apart
        return qs.filter(region__code__startswith=_prefix(region)).count() if region else qs.count()

    return compute


def register() -> None:
    for key, label, fn, unit in (
        ("assessment.excellent_townships", _("考核优秀乡镇(街道)"), _excellent(UnitType.TOWNSHIP), "个"),
        ("assessment.excellent_departments", _("考核优秀市直单位"), _excellent(UnitType.DEPARTMENT), "个"),
        ("assessment.excellent_individuals", _("平安建设先进个人"), excellent_individuals, "人"),
        ("assessment.external_units", _("上级表彰的乡镇(街道)优秀单位"), _commended(CommendationKind.UNIT, True), "个"),
        ("assessment.external_individuals", _("上级表彰的优秀个人"), _commended(CommendationKind.INDIVIDUAL), "人"),
    ):
        kpis.register(key, Kpi(key, label, fn, unit, "assessment"))
