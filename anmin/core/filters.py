"""Filter sets for the foundation's ledgers."""

from __future__ import annotations

import copy
from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.filters import FilterMethod

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


class _CopiedPerRequest(dict):
    """A filter set's class filters, copied for one filter set by what one changes (``FilterSet``)."""

    def __deepcopy__(self, memo):
        return {name: _own_copy(flt) for name, flt in self.items()}


def _own_copy(flt):
    """A copy of a class's filter for one filter set: its own ``extra`` (a filter set changes
    ``choices``, django-filter sets ``queryset``), no form field of another's (``_field``, built from
    ``extra`` on first use), its ``method`` bound to the copy; ``model`` and ``parent`` are set by
    django-filter on the copy. The rest (names, lookups, labels, the widget, which a form field copies
    for itself) is the class's, never changed by a request."""
    new = copy.copy(flt)
    new.extra = dict(flt.extra)
    new.__dict__.pop("_field", None)
    if isinstance(flt.__dict__.get("filter"), FilterMethod):
        new.filter = FilterMethod(new)
    return new


class _FieldsOfOneForm(dict):
    """The fields of a form class made for one filter set's one form: that form takes them as they are."""

    def __deepcopy__(self, memo):
        return dict(self)


class FilterSet(django_filters.FilterSet):
    """django-filter's ``FilterSet`` without its deep copies: every filter set deep-copies the class's
    filters, then builds a form class of fresh fields whose one form deep-copies them again — 7,000 of
    a 50-row dispute ledger's 68,000 Python calls (docs/scaling.md, sixteenth session). A filter is
    copied by what a filter set changes (``_own_copy``); the fields, made for this filter set alone,
    go to its form uncopied. Every filter set of the project derives from this one."""

    def __init__(self, *args, **kwargs):
        self.base_filters = _CopiedPerRequest(type(self).base_filters)  # read by django-filter's __init__
        super().__init__(*args, **kwargs)

    def get_form_class(self):
        form_class = super().get_form_class()  # a new class, of new fields, for this filter set
        form_class.base_fields = _FieldsOfOneForm(form_class.base_fields)
        return form_class


def township_choices(request):
    """Townships the user may see, for filter drop-downs."""
    if request is None:
        return Region.objects.none()
    return Region.objects.visible_to(request.user).townships()


class RegionFilter(FilterSet):
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


class OrgUnitFilter(FilterSet):
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


class AuditEntryFilter(FilterSet):
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

