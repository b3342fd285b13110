"""Filter bars of the lead and fraud-case ledgers."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from anmin.core.codes import code_choices
from anmin.core.filters import FilterSet
from anmin.workflow.kit.filters import CaseDetailFilter

from .models import FraudCase, Grade, Lead, LeadOutcome, LeadSource
from .workflows import LEAD


class LeadFilter(CaseDetailFilter):
    case_kind = LEAD
    grade = django_filters.ChoiceFilter(label=_("预警等级"), choices=Grade.choices, field_name="case__priority")
    fraud_type = django_filters.ChoiceFilter(label=_("诈骗类型"), choices=lambda: code_choices("fraud_type"))
    outcome = django_filters.ChoiceFilter(label=_("处置结果"), choices=LeadOutcome.choices[1:])
    source = django_filters.ChoiceFilter(label=_("线索来源"), choices=LeadSource.choices)

    class Meta:
        model = Lead
        fields = ["q", "township", "village", "grade", "fraud_type", "status", "sla", "outcome", "source",
                  "reported_from", "reported_to"]


class FraudCaseFilter(FilterSet):
    q = django_filters.CharFilter(label=_("案件编号/案情"), method="search")
    fraud_type = django_filters.ChoiceFilter(label=_("诈骗类型"), choices=lambda: code_choices("fraud_type"))
    solved = django_filters.BooleanFilter(label=_("已破案"), field_name="solved_on", lookup_expr="isnull",
                                          exclude=True)
    assisted = django_filters.BooleanFilter(label=_("带破"))
    filed_after = django_filters.DateFilter(label=_("立案日期起"), field_name="filed_on", lookup_expr="gte")
    filed_before = django_filters.DateFilter(label=_("立案日期止"), field_name="filed_on", lookup_expr="lte")

    class Meta:
        model = FraudCase
        fields = ["q", "fraud_type", "solved", "assisted", "filed_after", "filed_before"]

    def search(self, qs, name, value):
        from django.db.models import Q

        value = value.strip()
        return qs.filter(Q(police_case_number__icontains=value) | Q(title__contains=value)) if value else qs
