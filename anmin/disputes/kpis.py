"""Indicators of the disputes domain, computed from records by region and year.

``compute(year=, region=, user=)``: ``region`` is a region code (its subtree counts) or None for
the whole installation; ``user`` (when given) limits the figures to what that user may see.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from anmin.core import branchpage
from anmin.core.areas import count_by_area
from anmin.core.registry import Kpi, kpis
from anmin.workflow.kit.kpis import CaseKpis, rate
from anmin.workflow.kit.kpis import region_prefix as _prefix

from .models import Dispute, MediationOrg, Mediator, Outcome, mediated_q
from .workflows import DISPUTE

DISPUTE_KPIS = CaseKpis(DISPUTE)


def _disputes(year: int, region: str | None, user):
    # Counted part by part of the user's condition (core.branchpage.aggregate): a county's year of
    # disputes from the disputes' own township index, not a province's joined to their cases.
    qs = Dispute.objects.visible_to(user, by_branch=True) if user is not None else Dispute.objects.all()
    qs = qs.found_in(year)
    return qs.inside(_prefix(region)) if region else qs


def _count(qs) -> int:
    return branchpage.aggregate(qs, n=Count("pk"))["n"]


def found(*, year, region=None, user=None) -> int:
    return _count(_disputes(year, region, user))


def mediated(*, year, region=None, user=None) -> int:
    return _count(_disputes(year, region, user).mediated())


def succeeded(*, year, region=None, user=None) -> int:
    return _count(_disputes(year, region, user).succeeded())


def _year_counts() -> dict:
    return {"found": Count("pk"), "mediated": Count("pk", filter=mediated_q()),
            "succeeded": Count("pk", filter=Q(outcome=Outcome.SUCCESS)),
            "criminal": Count("pk", filter=~Q(criminal_case_number=""))}


def year_figures(*, year, region=None, user=None) -> dict[str, int]:
    """``found``, ``mediated``, ``succeeded`` and ``criminal`` of the year together (the home card):
    the year's disputes read once per part of the user's condition, not once per figure."""
    return branchpage.aggregate(_disputes(year, region, user), **_year_counts())


def year_figures_by_area(*, year, region=None, codes, user=None) -> dict[str, dict[str, int]]:
    """``year_figures`` of each of the sibling areas ``codes`` inside ``region``, in one grouped read."""
    return count_by_area(_disputes(year, region, user), "case__region", codes, **_year_counts())


def _by_area(figure):
    """The by-area form (``Kpi.by_area``) of a figure computed from ``year_figures``."""
    def by_area(*, year, region=None, codes, user=None) -> dict:
        return {code: figure(row) for code, row in
                year_figures_by_area(year=year, region=region, codes=codes, user=user).items()}
    return by_area


def mediation_rate(*, year, region=None, user=None) -> float:
    f = year_figures(year=year, region=region, user=user)  # both counts in one read of the year's disputes
    return rate(f["mediated"], f["found"])


def success_rate(*, year, region=None, user=None) -> float:
    f = year_figures(year=year, region=region, user=user)
    return rate(f["succeeded"], f["mediated"])


overdue = DISPUTE_KPIS.overdue  # open dispute cases past their limit now


def criminal(*, year, region=None, user=None) -> int:
    return _count(_disputes(year, region, user).turned_criminal())


def _registry(model):
    def compute(*, year, region=None, user=None) -> int:
        qs = model.objects.visible_to(user) if user is not None else model.objects.all()
        qs = qs.filter(is_active=True)
        return qs.filter(region__code__startswith=_prefix(region)).count() if region else qs.count()

    return compute


mediation_orgs = _registry(MediationOrg)
mediators = _registry(Mediator)


def brand_rooms(*, year, region=None, user=None) -> int:
    qs = MediationOrg.objects.visible_to(user) if user is not None else MediationOrg.objects.all()
    qs = qs.brands().filter(is_active=True)
    return qs.filter(region__code__startswith=_prefix(region)).count() if region else qs.count()


def register() -> None:
    for kpi in (
        Kpi("disputes.found", _("排查矛盾纠纷"), found, "件", "disputes", by_area=_by_area(lambda f: f["found"])),
        Kpi("disputes.mediated", _("调解纠纷"), mediated, "件", "disputes",
            by_area=_by_area(lambda f: f["mediated"])),
        Kpi("disputes.succeeded", _("调解成功"), succeeded, "件", "disputes",
            by_area=_by_area(lambda f: f["succeeded"])),
        Kpi("disputes.mediation_rate", _("调解率"), mediation_rate, "%", "disputes",
            by_area=_by_area(lambda f: rate(f["mediated"], f["found"]))),
        Kpi("disputes.success_rate", _("调成率"), success_rate, "%", "disputes",
            by_area=_by_area(lambda f: rate(f["succeeded"], f["mediated"]))),
        DISPUTE_KPIS.kpi("disputes.overdue", _("超期未办结纠纷"), "overdue"),
        DISPUTE_KPIS.kpi("disputes.on_time_rate", _("纠纷按期办结率"), "on_time_rate"),
        Kpi("disputes.criminal", _("民转刑"), criminal, "件", "disputes", by_area=_by_area(lambda f: f["criminal"])),
        Kpi("disputes.mediation_orgs", _("人民调解组织"), mediation_orgs, "个", "disputes"),
        Kpi("disputes.mediators", _("人民调解员"), mediators, "人", "disputes"),
        Kpi("disputes.brand_rooms", _("品牌调解室"), brand_rooms, "个", "disputes"),
    ):
        kpis.register(kpi.key, kpi)
