"""Indicators of the prevention domain, computed from records by region and year (the keys the
year-end report reads). ``region`` is a region code (its subtree) or None; ``user`` limits the figure
to what that user sees.

Registry figures are the register **at the end of the year**: records built by then (``built_on``)
and not retired before the year was out. Compliance rates come from the coverage rules (data, see
``coverage.py``); they describe the register as it stands now.
"""

from __future__ import annotations

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from anmin.core.registry import Kpi, kpis
from anmin.workflow.kit import coverage
from anmin.workflow.kit.kpis import region_prefix

from .coverage import TOWNSHIP_PATROL, VILLAGE_LAWYER, VILLAGE_PATROL, VILLAGE_POLICE
from .models import Camera, PlaceKind, PlannedPoint, Platform, PointStatus, PoliceActivity, Programme


def _base(model, region, user):
    qs = model.objects.visible_to(user) if user is not None else model.objects.all()
    return qs.filter(region__code__startswith=region_prefix(region)) if region else qs


def _standing(model, year, region, user, *, built="built_on"):
    qs = _base(model, region, user).filter(Q(is_active=True) | Q(retired_at__year__gt=year))
    return qs.filter(Q(**{f"{built}__isnull": True}) | Q(**{f"{built}__year__lte": year})) if built else qs


def _channels(qs) -> int:
    return qs.aggregate(n=Sum("channels"))["n"] or 0


def _programme(programme: str):
    def compute(*, year, region=None, user=None) -> int:
        return _channels(_standing(Camera, year, region, user).filter(programme=programme))

    return compute


def _cameras_at(kind: str):
    def compute(*, year, region=None, user=None) -> int:
        return _standing(Camera, year, region, user).filter(place_kind=kind).count()

    return compute


def _platforms_at(kind: str):
    def compute(*, year, region=None, user=None) -> int:
        return _standing(Platform, year, region, user, built=None).filter(place_kind=kind).count()

    return compute


def cameras_total(*, year, region=None, user=None) -> int:
    """Public-security video channels (路) on the register at the end of the year."""
    return _channels(_standing(Camera, year, region, user))


def cameras_online(*, year, region=None, user=None) -> int:
    """Channels online now (a present-state figure)."""
    return _channels(_base(Camera, region, user).filter(is_active=True, status="online"))


def cameras_planned(*, year, region=None, user=None) -> int:
    """雪亮工程 channels planned or being built (not completed) on the register."""
    return _channels(_base(PlannedPoint, region, user).filter(is_active=True).exclude(status=PointStatus.DONE))


def _compliance(rule: str):
    def compute(*, year, region=None, user=None) -> float:
        return coverage.summary(rule, within=region, user=user).rate

    return compute


def _police(field: str):
    def compute(*, year, region=None, user=None) -> int:
        qs = _base(PoliceActivity, region, user).filter(month__year=year)
        return qs.aggregate(n=Sum(field))["n"] or 0

    return compute


KPIS = (
    ("prevention.cameras_township", _("平安乡镇视频监控"), _programme(Programme.TOWNSHIP), "路"),
    ("prevention.cameras_city", _("平安城市视频监控"), _programme(Programme.CITY), "路"),
    ("prevention.cameras_campus", _("平安校园视频监控"), _programme(Programme.CAMPUS), "路"),
    ("prevention.cameras_new_communities", _("新型社区摄像头"), _cameras_at(PlaceKind.NEW_COMMUNITY), "个"),
    ("prevention.platforms_new_communities", _("新型社区监控平台"), _platforms_at(PlaceKind.NEW_COMMUNITY), "套"),
    ("prevention.cameras_old_communities", _("老旧社区摄像头"), _cameras_at(PlaceKind.OLD_COMMUNITY), "个"),
    ("prevention.platforms_old_communities", _("老旧社区监控平台"), _platforms_at(PlaceKind.OLD_COMMUNITY), "套"),
    ("prevention.cameras_total", _("公共安全视频监控"), cameras_total, "路"),
    ("prevention.cameras_online", _("在线视频监控"), cameras_online, "路"),
    ("prevention.cameras_planned", _("雪亮工程在建布点"), cameras_planned, "路"),
    ("prevention.township_patrol_compliance", _("乡镇(街道)巡逻队达标率"), _compliance(TOWNSHIP_PATROL), "%"),
    ("prevention.village_patrol_compliance", _("村(社区)巡逻队达标率"), _compliance(VILLAGE_PATROL), "%"),
    ("prevention.village_police_coverage", _("一村一警覆盖率"), _compliance(VILLAGE_POLICE), "%"),
    ("prevention.village_lawyer_coverage", _("一村一法律顾问覆盖率"), _compliance(VILLAGE_LAWYER), "%"),
    ("prevention.police_visits", _("民警走访群众"), _police("visits"), "人"),
    ("prevention.police_disputes_resolved", _("民警化解矛盾纠纷"), _police("disputes_resolved"), "起"),
    ("prevention.police_suspects_caught", _("抓获违法犯罪嫌疑人"), _police("suspects_caught"), "人"),
    ("prevention.police_people_served", _("服务群众"), _police("people_served"), "人次"),
)


def register() -> None:
    for key, label, fn, unit in KPIS:
        kpis.register(key, Kpi(key, label, fn, unit, "prevention"))
