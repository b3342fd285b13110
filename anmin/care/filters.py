"""Filter sets of the care ledgers (on people's place filters). Every choice list is limited to what
the user may see."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from anmin.core.forms import DateInput
from anmin.people.filters import PlaceFilterMixin, name_filter, special_filter_class
from anmin.people.models import Person
from anmin.people.models.choices import AssessmentStatus, IncidentSeverity, SubsidyStatus, VisitKind
from anmin.people.models.special import RISK_LEVELS

from .models import GuardianSubsidy, Incident, MentalPatient, RiskAssessment, SubsidyPayment, Visit


def _at_or_above(self, qs, name, value):
    return qs.filter(risk_level__gte=3) if value else qs


PatientFilter = special_filter_class(
    MentalPatient,
    {
        # A ChoiceFilter, which offers 全部 first: the TypedChoiceFilter had no empty choice, so the bar showed
        # 0级 chosen and any 查询 from it listed the level-0 patients only.
        "risk_level": django_filters.ChoiceFilter(label=_("危险性等级"), choices=RISK_LEVELS),
        "level_3_up": django_filters.BooleanFilter(label=_("3级及以上"), method="at_or_above",
                                                   widget=forms.CheckboxInput),
    },
    ["risk_level", "level_3_up"],
    at_or_above=_at_or_above,
)


class VisitFilter(PlaceFilterMixin):
    region_path = "person__region"

    q = name_filter()
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=VisitKind.choices)
    date_from = django_filters.DateFilter(
        label=_("起始日期"),
        field_name="visited_at",
        lookup_expr="date__gte",
        widget=DateInput(),
    )
    date_to = django_filters.DateFilter(
        label=_("截止日期"),
        field_name="visited_at",
        lookup_expr="date__lte",
        widget=DateInput(),
    )

    class Meta:
        model = Visit
        fields = ["q", "township", "village", "grid", "kind", "date_from", "date_to"]

    def search(self, qs, name, value):
        return qs.filter(person__in=Person.objects.by_name(value).values("pk"))


class CareFilter(PlaceFilterMixin):
    region_path = "patient__person__region"

    q = name_filter()

    def search(self, qs, name, value):
        return qs.filter(
            **{self.region_path.replace("__region", "") + "__in": Person.objects.by_name(value).values("pk")}
        )


class AssessmentFilter(CareFilter):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=AssessmentStatus.choices)

    class Meta:
        model = RiskAssessment
        fields = ["q", "township", "village", "grid", "status"]


class IncidentFilter(CareFilter):
    year = django_filters.NumberFilter(label=_("年度"), field_name="occurred_at", lookup_expr="year")
    severity = django_filters.ChoiceFilter(label=_("性质"), choices=IncidentSeverity.choices)

    class Meta:
        model = Incident
        fields = ["q", "township", "village", "grid", "year", "severity"]


class SubsidyFilter(CareFilter):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=SubsidyStatus.choices)

    class Meta:
        model = GuardianSubsidy
        fields = ["q", "township", "village", "grid", "status"]


class PaymentFilter(CareFilter):
    region_path = "award__subsidy__patient__person__region"

    year = django_filters.NumberFilter(label=_("年度"), field_name="award__year")

    class Meta:
        model = SubsidyPayment
        fields = ["q", "township", "village", "grid", "year"]
