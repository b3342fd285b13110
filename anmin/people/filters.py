"""Filter sets of the people ledgers. Every choice list is limited to what the user may see."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from anmin.core.codes import code_choices
from anmin.core.forms import DateInput
from anmin.core.models import Region

from .models import (
    SPECIAL_MODELS,
    CommunityCorrection,
    DrugUser,
    GuardianSubsidy,
    HivRisk,
    House,
    Incident,
    MentalPatient,
    Person,
    ReleasedPrisoner,
    RiskAssessment,
    SubsidyPayment,
    Visit,
    YouthOfConcern,
)
from .models.choices import (
    AssessmentStatus,
    CorrectionType,
    HouseUse,
    IncidentSeverity,
    PersonStatus,
    RecordStatus,
    SubsidyStatus,
    VisitKind,
)
from .models.persons import is_protected_query
from .models.special import RISK_LEVELS, SPECIAL_PERM

MAX_GRID_CHOICES = 300
NAME_LABEL = _("姓名/拼音首字母")


def no_protected_values(value: str) -> None:
    """Filters travel in the URL: an ID number or phone must not (use the exact lookup, a POST)."""
    if is_protected_query(value or ""):
        raise ValidationError(_("姓名：身份证号码和电话请在“按身份证号码/电话精确查找”中输入，不放在网址中"))


def name_filter() -> django_filters.CharFilter:
    return django_filters.CharFilter(label=NAME_LABEL, method="search", validators=[no_protected_values])


def townships(request):
    return Region.objects.visible_to(request.user).townships() if request else Region.objects.none()


def villages(request):
    if request is None:
        return Region.objects.none()
    qs = Region.objects.visible_to(request.user).villages()
    township = request.GET.get("township")
    return qs.filter(code__startswith=township[:9]) if township else qs


def grids(request):
    if request is None:
        return Region.objects.none()
    qs = Region.objects.visible_to(request.user).grids()
    village = request.GET.get("village")
    if village:
        return qs.filter(parent_id=village)
    return qs if qs.count() <= MAX_GRID_CHOICES else qs.none()


CATEGORY_CHOICES = [
    ("migrant", _("流动人口")),
    ("left_behind", _("留守人员")),
    ("foreign", _("境外人员")),
    *[(m.kind_key, m._meta.verbose_name) for m in SPECIAL_MODELS],
]
_FLAGS = {"migrant": "is_migrant", "left_behind": "is_left_behind", "foreign": "is_foreign"}
_SPECIAL_BY_KEY = {m.kind_key: m for m in SPECIAL_MODELS}


@extend_schema_field(OpenApiTypes.STR)
class RegionFilter(django_filters.ModelChoiceFilter):
    """A region (by code) whose subtree the records must lie in."""


class PlaceFilterMixin(django_filters.FilterSet):
    """乡镇 / 村(社区) / 网格, as prefixes of the record's region code."""

    region_path = "region"

    township = RegionFilter(label=_("乡镇(街道)"), queryset=townships, method="in_region")
    village = RegionFilter(label=_("村(社区)"), queryset=villages, method="in_region")
    grid = RegionFilter(label=_("网格"), queryset=grids, method="in_region")

    def in_region(self, qs, name, value):
        return qs.filter(**{f"{self.region_path}__code__startswith": value.prefix}) if value else qs


class PersonFilter(PlaceFilterMixin):
    q = name_filter()
    category = django_filters.ChoiceFilter(label=_("类别"), choices=CATEGORY_CHOICES, method="in_category")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=PersonStatus.choices)

    class Meta:
        model = Person
        fields = ["q", "township", "village", "grid", "category", "status"]

    def search(self, qs, name, value):
        return qs.by_name(value)

    def in_category(self, qs, name, value):
        if value in _FLAGS:
            return qs.filter(**{_FLAGS[value]: True})
        model = _SPECIAL_BY_KEY.get(value)
        if model is None:
            return qs
        user = getattr(self.request, "user", None)
        if user is None or not user.has_perm(SPECIAL_PERM):
            return qs.none()  # who may not see the special registers learns nothing from this filter
        records = model.objects.visible_to(user).filter(person=OuterRef("pk"), status=RecordStatus.ACTIVE)
        return qs.filter(Exists(records))


class HouseFilter(PlaceFilterMixin):
    q = django_filters.CharFilter(label=_("地址"), field_name="address", lookup_expr="contains")
    use = django_filters.ChoiceFilter(label=_("房屋用途"), choices=HouseUse.choices)
    is_rented = django_filters.BooleanFilter(label=_("出租房屋"), widget=forms.NullBooleanSelect)

    class Meta:
        model = House
        fields = ["q", "township", "village", "grid", "use", "is_rented"]


class SpecialFilter(PlaceFilterMixin):
    region_path = "person__region"

    q = name_filter()
    status = django_filters.ChoiceFilter(label=_("状态"), choices=RecordStatus.choices)

    def search(self, qs, name, value):
        return qs.filter(person__in=Person.objects.by_name(value).values("pk"))


def youth_types():
    return code_choices("youth_type")


def concern_levels():
    return code_choices("youth_concern")


def special_filter_class(model):
    extra: dict = {}
    fields = ["q", "township", "village", "grid", "status"]
    if model is MentalPatient:
        extra["risk_level"] = django_filters.TypedChoiceFilter(label=_("危险性等级"), choices=RISK_LEVELS, coerce=int)
        extra["level_3_up"] = django_filters.BooleanFilter(
            label=_("3级及以上"), method="at_or_above", widget=forms.CheckboxInput
        )
        fields += ["risk_level", "level_3_up"]
    elif model is CommunityCorrection:
        extra["correction_type"] = django_filters.ChoiceFilter(label=_("矫正类别"), choices=CorrectionType.choices)
        fields += ["correction_type"]
    elif model is YouthOfConcern:
        extra["youth_type"] = django_filters.ChoiceFilter(label=_("人员类型"), choices=youth_types)
        extra["concern_level"] = django_filters.ChoiceFilter(label=_("关注程度"), choices=concern_levels)
        fields += ["youth_type", "concern_level"]

    def at_or_above(self, qs, name, value):
        return qs.filter(risk_level__gte=3) if value else qs

    meta = type("Meta", (), {"model": model, "fields": fields})
    return type(f"{model.__name__}Filter", (SpecialFilter,), {**extra, "Meta": meta, "at_or_above": at_or_above})


SPECIAL_FILTERS = {
    m: special_filter_class(m)
    for m in (ReleasedPrisoner, CommunityCorrection, DrugUser, HivRisk, YouthOfConcern, MentalPatient)
}


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
