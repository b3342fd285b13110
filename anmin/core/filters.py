"""Filter sets for the foundation's ledgers."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .forms import DateInput
from .models import AuditEntry, OrgUnit, Region
from .models.audit import AuditAction
from .models.orgs import OrgKind
from .models.regions import RegionLevel


class WholeNumberFilter(django_filters.NumberFilter):
    """A filter on an integer column: ``year=0.5`` is refused (400 naming the field), not read as
    "no rows"; the bounds of a 32-bit column keep absurd numbers out of the query."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", -2_147_483_648)
        kwargs.setdefault("max_value", 2_147_483_647)
        super().__init__(*args, **kwargs)


# For a FilterSet's Meta: integer columns filter with whole numbers only.
INTEGER_FILTER_OVERRIDES = {cls: {"filter_class": WholeNumberFilter} for cls in (
    models.IntegerField, models.SmallIntegerField, models.BigIntegerField, models.PositiveIntegerField,
    models.PositiveSmallIntegerField, models.PositiveBigIntegerField)}


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


def day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class DayFromFilter(django_filters.DateFilter):
    """A date from which on (whole local days), as an index-friendly range on a timestamp field —
    not ``field__date__gte``, which makes the database convert every row's timestamp first."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", DateInput())
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value or value.year < 1900:  # "from the year 1" is no limit (and 0001-01-01 has no UTC)
            return qs
        return qs.filter(**{f"{self.field_name}__gte": day_start(value)})


class DayToFilter(DayFromFilter):
    """A date up to which (inclusive, whole local days), as a range on a timestamp field."""

    def filter(self, qs, value):
        if not value or value.year >= 9999:  # "up to 9999-12-31" is no limit (and has no next day)
            return qs
        return qs.filter(**{f"{self.field_name}__lt": day_start(value + timedelta(days=1))})


class AuditEntryFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(label=_("操作人账号"), field_name="actor_username", lookup_expr="contains")
    action = django_filters.ChoiceFilter(label=_("操作"), choices=AuditAction.choices)
    object_type = django_filters.CharFilter(
        label=_("对象类型"), field_name="object_type", lookup_expr="startswith", help_text=_("如 disputes.dispute")
    )
    date_from = DayFromFilter(label=_("起始日期"), field_name="at")
    date_to = DayToFilter(label=_("截止日期"), field_name="at")

    class Meta:
        model = AuditEntry
        fields = ["actor", "action", "object_type", "date_from", "date_to"]

