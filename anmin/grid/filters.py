"""Filter bar of the grid-event ledger (台账)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anmin.core import clock
from anmin.core.filters import DayFromFilter, DayToFilter, township_choices
from anmin.core.models import Region

from .categories import category_choices
from .models import EventSource, GridEvent
from .workflows import GRID_EVENT

SLA_CHOICES = (("overdue", _("已逾期")), ("warning", _("临期预警")), ("open", _("未办结")), ("done", _("已办结")))


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


def status_choices():
    return [(s.code, s.display_label) for s in GRID_EVENT.workflow.states]


class GridEventFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("编号/标题"), method="search")
    township = django_filters.ModelChoiceFilter(label=_("乡镇(街道)"), queryset=township_choices, method="inside")
    village = django_filters.ModelChoiceFilter(label=_("村(社区)"), queryset=village_choices, method="inside",
                                               help_text=_("先选乡镇(街道)再选村(社区)"))
    category = django_filters.ChoiceFilter(label=_("事件类别"), choices=category_choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=status_choices, field_name="case__status")
    sla = django_filters.ChoiceFilter(label=_("办理时限"), choices=SLA_CHOICES, method="by_sla")
    source = django_filters.ChoiceFilter(label=_("来源"), choices=EventSource.choices)
    reported_from = DayFromFilter(label=_("上报日期起"), field_name="case__opened_at")
    reported_to = DayToFilter(label=_("上报日期止"), field_name="case__opened_at")

    class Meta:
        model = GridEvent
        fields = ["q", "township", "village", "category", "status", "sla", "source", "reported_from",
                  "reported_to"]

    def search(self, qs, name, value):
        value = value.strip()
        return qs.filter(Q(case__number__icontains=value) | Q(case__title__contains=value)) if value else qs

    def inside(self, qs, name, value):
        return qs.inside(value.prefix) if value else qs

    def by_sla(self, qs, name, value):
        now = clock.now()
        running = Q(case__is_open=True, case__due_at__isnull=False, case__paused_since__isnull=True)
        if value == "overdue":
            return qs.filter(running, case__due_at__lte=now)
        if value == "warning":
            return qs.filter(running, case__warn_at__lte=now, case__due_at__gt=now)
        if value == "open":
            return qs.filter(case__is_open=True)
        if value == "done":
            return qs.filter(case__is_open=False)
        return qs
