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
from anmin.core.filters import FilterSet
from anmin.core.models import Region

from .models import (
    CommunityCorrection,
    DrugUser,
    HivRisk,
    House,
    Person,
    ReleasedPrisoner,
    YouthOfConcern,
)
from .models.choices import CorrectionType, HouseUse, PersonStatus, RecordStatus
from .models.persons import is_protected_query
from .models.special import SPECIAL_PERM
from .registers import special_models

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
    qs = Region.objects.visible_to(request.user).grids().select_related("parent")
    village = request.GET.get("village")
    if village:
        return qs.filter(parent_id=village)
    return qs if qs.count() <= MAX_GRID_CHOICES else qs.none()


def category_choices():
    """流动/留守/境外 and every register on a person (those other apps keep included)."""
    return [
        ("migrant", _("流动人口")),
        ("left_behind", _("留守人员")),
        ("foreign", _("境外人员")),
        *[(m.kind_key, m._meta.verbose_name) for m in special_models()],
    ]


_FLAGS = {"migrant": "is_migrant", "left_behind": "is_left_behind", "foreign": "is_foreign"}


@extend_schema_field(OpenApiTypes.STR)
class RegionFilter(django_filters.ModelChoiceFilter):
    """A region (by code) whose subtree the records must lie in."""


class GridChoiceField(django_filters.fields.ModelChoiceField):
    """A grid named with its village (109 "第N网格" alone cannot be told apart)."""

    def label_from_instance(self, obj):
        return f"{obj.parent.name} / {obj.name}" if obj.parent_id else obj.name


@extend_schema_field(OpenApiTypes.STR)
class GridFilter(RegionFilter):
    field_class = GridChoiceField


class PlaceFilterMixin(FilterSet):
    """乡镇 / 村(社区) / 网格, as prefixes of the record's region code."""

    region_path = "region"

    township = RegionFilter(label=_("乡镇(街道)"), queryset=townships, method="in_region")
    village = RegionFilter(label=_("村(社区)"), queryset=villages, method="in_region")
    grid = GridFilter(label=_("网格"), queryset=grids, method="in_region")

    def in_region(self, qs, name, value):
        return qs.filter(**{f"{self.region_path}__code__startswith": value.prefix}) if value else qs


class PersonFilter(PlaceFilterMixin):
    q = name_filter()
    category = django_filters.ChoiceFilter(label=_("类别"), choices=category_choices, method="in_category")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=PersonStatus.choices)

    class Meta:
        model = Person
        fields = ["q", "township", "village", "grid", "category", "status"]

    def search(self, qs, name, value):
        return qs.by_name(value)

    def in_category(self, qs, name, value: str):
        if value in _FLAGS:
            return qs.filter(**{_FLAGS[value]: True})
        model = next((m for m in special_models() if m.kind_key == value), None)
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


def special_filter_class(model, extra: dict | None = None, fields: list[str] | None = None, **methods):
    """The filter set of a register: place, name, status, plus the register's own filters."""
    extra = dict(extra or {})
    fields = ["q", "township", "village", "grid", "status", *(fields or [])]
    if model is CommunityCorrection:
        extra["correction_type"] = django_filters.ChoiceFilter(label=_("矫正类别"), choices=CorrectionType.choices)
        fields += ["correction_type"]
    elif model is YouthOfConcern:
        extra["youth_type"] = django_filters.ChoiceFilter(label=_("人员类型"), choices=youth_types)
        extra["concern_level"] = django_filters.ChoiceFilter(label=_("关注程度"), choices=concern_levels)
        fields += ["youth_type", "concern_level"]

    meta = type("Meta", (), {"model": model, "fields": fields})
    return type(f"{model.__name__}Filter", (SpecialFilter,), {**extra, "Meta": meta, **methods})


SPECIAL_FILTERS = {
    m: special_filter_class(m)
    for m in (ReleasedPrisoner, CommunityCorrection, DrugUser, HivRisk, YouthOfConcern)
}
