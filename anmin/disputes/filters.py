"""Filter sets for the disputes ledgers."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anmin.core import clock
from anmin.core.codes import code_choices, code_names
from anmin.core.filters import township_choices
from anmin.core.forms import YesNoFilterWidget
from anmin.core.models import Region

from .models import Dispute, DisputeSource, MediationOrg, MediationOrgKind, Mediator, Outcome, RiskColour

STATUS_CHOICES = (
    ("open", _("未办结")),
    ("closed", _("已办结")),
)


def village_choices(request):
    if request is None:
        return Region.objects.none()
    return Region.objects.visible_to(request.user).villages()


class DisputeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("编号/标题"), method="search")
    township = django_filters.ModelChoiceFilter(label=_("乡镇(街道)"), queryset=township_choices, method="in_region")
    village = django_filters.ModelChoiceFilter(label=_("村(社区)"), queryset=village_choices, method="in_region")
    category = django_filters.ChoiceFilter(
        label=_("纠纷类别"), method="by_category", choices=lambda: code_choices("dispute_category")
    )
    scale = django_filters.ChoiceFilter(label=_("事件规模"), choices=lambda: list(code_names("event_scale").items()))
    status = django_filters.ChoiceFilter(label=_("办理状态"), choices=STATUS_CHOICES, method="by_status")
    colour = django_filters.ChoiceFilter(label=_("风险等级"), choices=RiskColour.choices)
    outcome = django_filters.ChoiceFilter(label=_("调解结果"), choices=Outcome.choices[1:])
    source = django_filters.ChoiceFilter(label=_("来源"), choices=DisputeSource.choices)
    overdue = django_filters.BooleanFilter(
        label=_("仅超期"), method="only_overdue", widget=YesNoFilterWidget()
    )
    found_after = django_filters.DateFilter(label=_("登记日期起"), field_name="found_on", lookup_expr="gte")
    found_before = django_filters.DateFilter(label=_("登记日期止"), field_name="found_on", lookup_expr="lte")

    class Meta:
        model = Dispute
        fields = [
            "q",
            "township",
            "village",
            "category",
            "scale",
            "status",
            "colour",
            "outcome",
            "source",
            "overdue",
            "found_after",
            "found_before",
        ]

    def search(self, qs, name, value):
        return qs.filter(Q(case__number__icontains=value) | Q(case__title__contains=value))

    def in_region(self, qs, name, value):
        return qs.filter(case__region__code__startswith=value.prefix) if value else qs

    def by_category(self, qs, name, value):
        return qs.filter(category__startswith=value) if value else qs

    def by_status(self, qs, name, value):
        if value == "open":
            return qs.filter(case__is_open=True)
        if value == "closed":
            return qs.filter(case__is_open=False)
        return qs

    def only_overdue(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(case__is_open=True, case__paused_since__isnull=True, case__due_at__lte=clock.now())


class MediationOrgFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称/品牌"), method="search")
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=MediationOrgKind.choices)
    township = django_filters.ModelChoiceFilter(label=_("乡镇(街道)"), queryset=township_choices, method="in_region")
    brand = django_filters.BooleanFilter(
        label=_("仅品牌调解室"), method="only_brand", widget=YesNoFilterWidget()
    )

    class Meta:
        model = MediationOrg
        fields = ["q", "kind", "township", "brand"]

    def search(self, qs, name, value):
        return qs.filter(Q(name__contains=value) | Q(brand_name__contains=value))

    def in_region(self, qs, name, value):
        return qs.filter(region__code__startswith=value.prefix) if value else qs

    def only_brand(self, qs, name, value):
        return qs.brands() if value else qs


class MediatorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("姓名"), field_name="name", lookup_expr="contains")
    township = django_filters.ModelChoiceFilter(label=_("乡镇(街道)"), queryset=township_choices, method="in_region")
    employment = django_filters.ChoiceFilter(label=_("专兼职"), choices=Mediator._meta.get_field("employment").choices)

    class Meta:
        model = Mediator
        fields = ["q", "township", "employment"]

    def in_region(self, qs, name, value):
        return qs.filter(region__code__startswith=value.prefix) if value else qs
