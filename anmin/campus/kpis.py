"""Indicators of the campus domain: schools on the register, the share meeting all five 100% items in
the year's latest term, 平安护学岗 posts and check-ins, incidents around schools."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anmin.core.registry import Kpi, kpis
from anmin.workflow.kit.kpis import rate, region_prefix

from . import coverage
from .models import CampusIncident, GuardCheckin, GuardPost, School


def _scoped(model, region, user):
    qs = model.objects.visible_to(user) if user is not None else model.objects.all()
    return qs.filter(region__code__startswith=region_prefix(region)) if region else qs


def schools(*, year, region=None, user=None) -> int:
    return _scoped(School, region, user).filter(is_active=True).count()


def five_items_compliant(*, year, region=None, user=None) -> int:
    """Schools meeting all five 100% items in the year's autumn term (``<year>-2``)."""
    qs = _scoped(School, region, user).filter(is_active=True)
    return qs.count() - len(coverage.five_items_gaps(qs, coverage.term_of_year(year)))


def five_items_rate(*, year, region=None, user=None) -> float:
    return rate(five_items_compliant(year=year, region=region, user=user), schools(year=year, region=region, user=user))


def guard_posts(*, year, region=None, user=None) -> int:
    return _scoped(GuardPost, region, user).filter(is_active=True).count()


def guard_checkins(*, year, region=None, user=None) -> int:
    return _scoped(GuardCheckin, region, user).filter(at__year=year).count()


def incidents(*, year, region=None, user=None) -> int:
    return _scoped(CampusIncident, region, user).filter(occurred_on__year=year).count()


def register() -> None:
    for key, label, fn, unit in (
        ("schools", _("在册学校(幼儿园)"), schools, "所"),
        ("five_items_compliant", _("五个100%全部达标学校"), five_items_compliant, "所"),
        ("five_items_rate", _("五个100%达标率"), five_items_rate, "%"),
        ("guard_posts", _("平安护学岗"), guard_posts, "个"),
        ("guard_checkins", _("护学岗签到"), guard_checkins, "次"),
        ("incidents", _("校园周边案(事)件"), incidents, "起"),
    ):
        kpis.register(f"campus.{key}", Kpi(f"campus.{key}", label, fn, unit, "campus"))
