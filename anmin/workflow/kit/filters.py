"""The filter bar every case domain's ledger starts from: number or title, township → village, state,
time limit, reporting dates. A domain adds its own filters (category, colour …) by subclassing and
names its case kind for the state list."""

from __future__ import annotations

from typing import ClassVar

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anmin.core import clock
from anmin.core.filters import DayFromFilter, DayToFilter, FilterSet, township_choices
from anmin.core.models import Region

SLA_CHOICES = (("overdue", _("已逾期")), ("warning", _("临期预警")), ("open", _("未办结")), ("done", _("已办结")))
# Done states that mean "not handled" (refused, merged into another): not 已办结 in a ledger, not counted
# by the 办结 indicators (``kit.kpis.CaseKpis.closed_states``) — the figure and its ledger agree.
NOT_HANDLED = ("rejected", "duplicate")


def village_choices(request):
    """Villages of the chosen township (or of the chosen village's township, or of the user's own
    area when it is one township or less): a city user gets no list of all 678 villages to scroll,
    and the page no 678 options to render."""
    if request is None:
        return Region.objects.none()
    villages = Region.objects.visible_to(request.user).villages()
    township = request.GET.get("township") or request.GET.get("village", "")[:9]
    if township:
        return villages.filter(code__startswith=township[:9])
    if all(len(p) >= 9 for p in request.user.scope.reference_prefixes):
        return villages
    return villages.none()


def sla_q(value: str, now, prefix: str = "case__") -> Q | None:
    """The condition of a time-limit filter value on cases (``prefix`` reaches the case)."""
    running = Q(**{f"{prefix}is_open": True, f"{prefix}due_at__isnull": False, f"{prefix}paused_since__isnull": True})
    if value == "overdue":
        return running & Q(**{f"{prefix}due_at__lte": now})
    if value == "warning":
        return running & Q(**{f"{prefix}warn_at__lte": now, f"{prefix}due_at__gt": now})
    if value == "open":
        return Q(**{f"{prefix}is_open": True})
    if value == "done":
        return Q(**{f"{prefix}is_open": False}) & ~Q(**{f"{prefix}status__in": NOT_HANDLED})
    return None


class CaseDetailFilter(FilterSet):
    """Filters on a domain's detail rows through their case. Set ``case_kind`` for the state list."""

    case_kind: ClassVar = None

    q = django_filters.CharFilter(label=_("编号/标题"), method="search")
    township = django_filters.ModelChoiceFilter(label=_("乡镇(街道)"), queryset=township_choices, method="inside")
    village = django_filters.ModelChoiceFilter(label=_("村(社区)"), queryset=village_choices, method="inside",
                                               help_text=_("先选乡镇(街道)再选村(社区)"))
    status = django_filters.ChoiceFilter(label=_("状态"), field_name="case__status")
    sla = django_filters.ChoiceFilter(label=_("办理时限"), choices=SLA_CHOICES, method="by_sla")
    reported_from = DayFromFilter(label=_("上报日期起"), field_name="case__opened_at")
    reported_to = DayToFilter(label=_("上报日期止"), field_name="case__opened_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.case_kind is not None:
            self.filters["status"].extra["choices"] = [(s.code, s.display_label)
                                                       for s in self.case_kind.workflow.states]

    def search(self, qs, name, value):
        value = value.strip()
        return qs.filter(Q(case__number__icontains=value) | Q(case__title__contains=value)) if value else qs

    def inside(self, qs, name, value):
        # the queryset's own ``inside``: a detail keeping its township is placed by its copy (decision 0026)
        return qs.inside(value.prefix) if value else qs

    def by_sla(self, qs, name, value):
        q = sla_q(value, clock.now())
        return qs.filter(q) if q is not None else qs
