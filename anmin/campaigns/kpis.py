"""Indicators of campaigns and designations, computed from records by region and year.

Designations count those valid for the year (命名 and not revoked); the publicity figures are those of
the year's 平安创建集中宣传活动 (campaigns of kind ``focus``): pictures, the themes they cover,
programmes, leaflets, booklets and gifts; 综治保险 counts the households insured for the year (and by
township); practice reports count the townships whose practice was published in the year.
"""

from __future__ import annotations

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from anmin.core.models import Region
from anmin.core.registry import Kpi, kpis
from anmin.workflow.kit.kpis import region_prefix

from .models import (
    CampaignKind,
    CounsellingSession,
    Counsellor,
    Designation,
    DesignationKind,
    InsuredHousehold,
    MaterialKind,
    PracticeReport,
    PublicityMaterial,
)


def _scoped(model, region, user):
    qs = model.objects.visible_to(user) if user is not None else model.objects.all()
    return qs.filter(region__code__startswith=region_prefix(region)) if region else qs


def _designated(kind):
    def compute(*, year, region=None, user=None) -> int:
        return _scoped(Designation, region, user).valid(year).filter(kind=kind).count()

    compute.__doc__ = f"Valid {kind} designations of the year (named, not revoked)."
    return compute


def _focus_materials(year, region, user, kind):
    return _scoped(PublicityMaterial, region, user).filter(
        kind=kind, campaign__kind=CampaignKind.FOCUS, campaign__held_on__year=year)


def _material(kind):
    def compute(*, year, region=None, user=None) -> int:
        return _focus_materials(year, region, user, kind).aggregate(n=Sum("quantity"))["n"] or 0

    return compute


def publicity_themes(*, year, region=None, user=None) -> int:
    """Themes the pictures of the year's focus campaigns cover."""
    return _focus_materials(year, region, user, MaterialKind.PICTURE).values("title").distinct().count()


def publicity_programmes(*, year, region=None, user=None) -> int:
    """Programmes staged at the year's focus campaigns (one row a programme)."""
    return _focus_materials(year, region, user, MaterialKind.PROGRAMME).count()


def insured_households(*, year, region=None, user=None) -> int:
    return _scoped(InsuredHousehold, region, user).filter(year=year).count()


def insured_by_township(*, year, region=None, user=None) -> dict[str, int]:
    rows = (_scoped(InsuredHousehold, region, user).filter(year=year)
            .values_list("region__parent_id").annotate(n=Count("pk")).values_list("region__parent_id", "n"))
    names = dict(Region.objects.filter(pk__in=[code for code, _n in rows]).values_list("code", "name"))
    return {names.get(code, code): n for code, n in sorted(rows, key=lambda r: r[0] or "")}


def insured_townships(*, year, region=None, user=None) -> int:
    return len(insured_by_township(year=year, region=region, user=user))


def practice_reports(*, year, region=None, user=None) -> int:
    """Townships whose practice was published in 政法工作专报 in the year."""
    return _scoped(PracticeReport, region, user).filter(published_on__year=year).values("region").distinct().count()


def counsellors(*, year, region=None, user=None) -> int:
    """Counsellors (full- and part-time) on the register now."""
    return _scoped(Counsellor, region, user).filter(is_active=True).count()


def counselling_people(*, year, region=None, user=None) -> int:
    return _scoped(CounsellingSession, region, user).filter(held_on__year=year).aggregate(n=Sum("people"))["n"] or 0


def register() -> None:
    for key, label, fn, unit in (
        ("safe_villages", _("命名平安村(社区)"), _designated(DesignationKind.SAFE_VILLAGE), "个"),
        ("safe_malls", _("命名平安商场"), _designated(DesignationKind.SAFE_MALL), "个"),
        ("safe_campuses", _("命名平安校园"), _designated(DesignationKind.SAFE_CAMPUS), "个"),
        ("petition_villages", _("命名信访稳定红旗村"), _designated(DesignationKind.PETITION_VILLAGE), "个"),
        ("publicity_pictures", _("集中宣传展出图片"), _material(MaterialKind.PICTURE), "幅"),
        ("publicity_themes", _("集中宣传图片主题"), publicity_themes, "个"),
        ("publicity_programmes", _("集中宣传展演节目"), publicity_programmes, "个"),
        ("publicity_leaflets", _("发放宣传彩页"), _material(MaterialKind.LEAFLET), "份"),
        ("publicity_booklets", _("发放宣传手册"), _material(MaterialKind.BOOKLET), "册"),
        ("publicity_gifts", _("发放平安创建宣传品"), _material(MaterialKind.GIFT), "份"),
        ("insured_households", _("综治保险参保农户"), insured_households, "户"),
        ("insured_by_township", _("综治保险参保农户(按乡镇)"), insured_by_township, "户"),
        ("insured_townships", _("开展综治保险的乡镇(街道)"), insured_townships, "个"),
        ("practice_reports", _("政法工作专报刊发乡镇(街道)"), practice_reports, "个"),
        ("counsellors", _("心理服务专兼职人员"), counsellors, "人"),
        ("counselling_people", _("心理服务人次"), counselling_people, "人次"),
    ):
        kpis.register(f"campaigns.{key}", Kpi(f"campaigns.{key}", label, fn, unit, "campaigns"))
