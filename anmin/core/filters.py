"""Filter sets for the foundation's ledgers."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import OrgUnit, Region
from .models.orgs import OrgKind
from .models.regions import RegionLevel


def township_choices(request):
    """Townships the user may see, for filter drop-downs."""
    if request is None:
        return Region.objects.none()
    return Region.objects.visible_to(request.user).townships()


class RegionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称/代码"), method="search")
    level = django_filters.ChoiceFilter(label=_("层级"), choices=RegionLevel.choices)
    township = django_filters.ModelChoiceFilter(label=_("乡镇(街道)"), queryset=township_choices, method="in_township")

    class Meta:
        model = Region
        fields = ["q", "level", "township"]

    def search(self, qs, name, value):
        return qs.filter(name__contains=value) | qs.filter(code__startswith=value)

    def in_township(self, qs, name, value):
        return qs.inside(value) if value else qs


class OrgUnitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称"), field_name="name", lookup_expr="contains")
    kind = django_filters.ChoiceFilter(label=_("机构类型"), choices=OrgKind.choices)
    township = django_filters.ModelChoiceFilter(label=_("乡镇(街道)"), queryset=township_choices, method="in_township")

    class Meta:
        model = OrgUnit
        fields = ["q", "kind", "township"]

    def in_township(self, qs, name, value):
        return qs.filter(region__code__startswith=value.prefix) if value else qs
