"""Filter sets for the disputes ledgers: the kit's case filters plus the dispute's own."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anmin.core import clock
from anmin.core.codes import code_names
from anmin.core.filters import FilterSet, township_choices
from anmin.core.formkit import grouped_code_choices
from anmin.core.forms import YesNoFilterWidget
from anmin.workflow.kit.filters import CaseDetailFilter, sla_q

from .models import Dispute, DisputeSource, MediationOrg, MediationOrgKind, Mediator, Outcome, RiskColour, mediated_q
from .workflows import DISPUTE


class DisputeFilter(CaseDetailFilter):
    case_kind = DISPUTE
    category = django_filters.ChoiceFilter(
        label=_("纠纷类别"), method="by_category",
        choices=lambda: grouped_code_choices("dispute_category", pick_group=True)
    )
    scale = django_filters.ChoiceFilter(label=_("事件规模"), choices=lambda: list(code_names("event_scale").items()))
    colour = django_filters.ChoiceFilter(label=_("风险等级"), choices=RiskColour.choices)
    outcome = django_filters.ChoiceFilter(label=_("调解结果"), choices=Outcome.choices[1:])
    source = django_filters.ChoiceFilter(label=_("来源"), choices=DisputeSource.choices)
    overdue = django_filters.BooleanFilter(label=_("仅超期"), method="only_overdue", widget=YesNoFilterWidget())
    # what the 调解纠纷 and 民转刑 figures count (their drill-down links filter by them)
    mediated = django_filters.BooleanFilter(label=_("已调解"), method="only_mediated", widget=YesNoFilterWidget())
    criminal = django_filters.BooleanFilter(label=_("民转刑"), method="only_criminal", widget=YesNoFilterWidget())
    found_after = django_filters.DateFilter(label=_("登记日期起"), field_name="found_on", lookup_expr="gte")
    found_before = django_filters.DateFilter(label=_("登记日期止"), field_name="found_on", lookup_expr="lte")

    class Meta:
        model = Dispute
        fields = ["q", "township", "village", "category", "scale", "status", "sla", "colour", "outcome", "source",
                  "overdue", "mediated", "criminal", "found_after", "found_before"]

    def by_category(self, qs, name, value):
        return qs.filter(category__startswith=value) if value else qs

    def only_overdue(self, qs, name, value):
        return qs.filter(sla_q("overdue", clock.now())) if value else qs

    def only_mediated(self, qs, name, value):
        return qs if value is None else qs.filter(mediated_q()) if value else qs.exclude(mediated_q())

    def only_criminal(self, qs, name, value):
        return qs if value is None else qs.exclude(criminal_case_number="") if value else qs.filter(
            criminal_case_number="")


class MediationOrgFilter(FilterSet):
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


class MediatorFilter(FilterSet):
    q = django_filters.CharFilter(label=_("姓名"), field_name="name", lookup_expr="contains")
    township = django_filters.ModelChoiceFilter(label=_("乡镇(街道)"), queryset=township_choices, method="in_region")
    employment = django_filters.ChoiceFilter(label=_("专兼职"), choices=Mediator._meta.get_field("employment").choices)

    class Meta:
        model = Mediator
        fields = ["q", "township", "employment"]

    def in_region(self, qs, name, value):
        return qs.filter(region__code__startswith=value.prefix) if value else qs
