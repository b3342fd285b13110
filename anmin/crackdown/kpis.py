"""Indicators of the crackdown domain: the year-end report's eight figures, from records.

``crackdown.clues_verified`` counts clues whose verification closed in the year with a result;
organisations count by type by the day they were broken up; suspects caught by the day; assets the sum
of the values frozen or seized (元); officials by the day handled; 三书一函 by the day issued;
candidates disqualified in the year's joint review. Every figure honours ``region`` and ``user``."""

from __future__ import annotations

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from anmin.core.registry import Kpi, kpis
from anmin.workflow.kit.kpis import CaseKpis, region_prefix

from .models import Asset, AssetMeasure, Candidate, Clue, CrimeOrg, Notice, Official, OrgType, Suspect, SuspectStatus
from .workflows import CLUE, NOTICE

CLUE_KPIS = CaseKpis(CLUE)
NOTICE_KPIS = CaseKpis(NOTICE)


def _scoped(model, *, year, region, user, date_field, region_field="region"):
    qs = model.objects.visible_to(user) if user is not None else model.objects.all()
    qs = qs.filter(**{f"{date_field}__year": year})
    if region:
        qs = qs.filter(**{f"{region_field}__code__startswith": region_prefix(region)})
    return qs


def clues_verified(*, year, region=None, user=None) -> int:
    cases = CLUE_KPIS.closed_in(year, region, user).values("pk")
    return Clue.objects.filter(case__in=cases).exclude(result="").count()


def _orgs(org_type):
    def compute(*, year, region=None, user=None) -> int:
        return _scoped(CrimeOrg, year=year, region=region, user=user, date_field="broken_on").filter(
            org_type=org_type).count()
    return compute


def suspects_caught(*, year, region=None, user=None) -> int:
    return _scoped(Suspect, year=year, region=region, user=user, date_field="caught_on").exclude(
        status=SuspectStatus.AT_LARGE).count()


def assets_frozen(*, year, region=None, user=None) -> float:
    qs = _scoped(Asset, year=year, region=region, user=user, date_field="on").filter(
        measure__in=[AssetMeasure.FROZEN, AssetMeasure.SEIZED])
    return float(qs.aggregate(total=Sum("value"))["total"] or 0)


def officials_handled(*, year, region=None, user=None) -> int:
    return _scoped(Official, year=year, region=region, user=user, date_field="handled_on").count()


def notices_issued(*, year, region=None, user=None) -> int:
    cases = NOTICE_KPIS.cases(region, user).values("pk")
    return Notice.objects.filter(case__in=cases, issued_on__year=year).count()


def candidates_rejected(*, year, region=None, user=None) -> int:
    return _scoped(Candidate, year=year, region=region, user=user, date_field="reviewed_on").filter(
        disqualified=True).count()


INDICATORS = (
    ("clues_verified", _("核查线索"), clues_verified, "条"),
    ("orgs_mafia", _("打掉黑社会性质组织"), _orgs(OrgType.MAFIA), "个"),
    ("orgs_evil_group", _("打掉恶势力犯罪集团"), _orgs(OrgType.EVIL_GROUP), "个"),
    ("orgs_evil_gang", _("打掉恶势力犯罪团伙"), _orgs(OrgType.EVIL_GANG), "个"),
    ("suspects_caught", _("抓获涉黑恶犯罪嫌疑人"), suspects_caught, "人"),
    ("assets_frozen", _("冻结查封资产价值"), assets_frozen, "元"),
    ("officials_handled", _("处理腐败、保护伞及失职失责人员"), officials_handled, "人"),
    ("notices_issued", _("制发三书一函"), notices_issued, "份"),
    ("candidates_rejected", _("取消候选人资格"), candidates_rejected, "名"),
)


def register() -> None:
    for name, label, fn, unit in INDICATORS:
        key = f"crackdown.{name}"
        kpis.register(key, Kpi(key, label, fn, unit, "crackdown"))
    CLUE_KPIS.register("crackdown.clues", {"reported": _("登记线索"), "closed": _("办结线索"),
                                           "overdue": _("超期未核查线索"), "on_time_rate": _("线索按期办结率")})
