"""A read API for the smaller records kept on a ledger page (``record_pages.record_ledger``): list and
detail through ``visible_to``, filtered by region (the region and everything under it), a date range
and the record's own fields. Choice fields come with their label (``<field>_label``)::

    DrunkDrivingViewSet = record_viewset(DrunkDriving, fields=("caught_on", "offence", ...),
                                         filter_fields=("offence", "penalty"), date_field="caught_on")
    ApiRoute("drunk-driving", DrunkDrivingViewSet, "drunkdriving")
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import django_filters
from rest_framework import serializers

from anmin.core.api import ScopedReadOnlyViewSet
from anmin.core.filters import FilterSet
from anmin.core.models import Region


def record_serializer(model, fields: Sequence[str]) -> type[serializers.ModelSerializer]:
    attrs: dict[str, Any] = {
        "region": serializers.CharField(source="region_id", read_only=True, help_text="区划代码"),
        "region_name": serializers.CharField(source="region.name", read_only=True),
    }
    names = ["id", "region", "region_name"]
    for name in fields:
        names.append(name)
        if getattr(model._meta.get_field(name), "choices", None):
            attrs[f"{name}_label"] = serializers.CharField(source=f"get_{name}_display", read_only=True)
            names.append(f"{name}_label")
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": names, "read_only_fields": names})
    return type(f"{model.__name__}RecordSerializer", (serializers.ModelSerializer,), attrs)


def record_api_filter(model, *, filter_fields: Sequence[str] = (), date_field: str = "") -> type:
    def inside(self, qs, name, value):
        region = Region.objects.filter(pk=value).first()
        return qs.filter(region__code__startswith=region.prefix if region else value)

    attrs: dict[str, Any] = {"region": django_filters.CharFilter(method="inside", help_text="区划代码：该区划及其下级"),
                             "inside": inside}
    names = ["region", *filter_fields]
    if date_field:
        attrs["date_from"] = django_filters.DateFilter(field_name=date_field, lookup_expr="gte")
        attrs["date_to"] = django_filters.DateFilter(field_name=date_field, lookup_expr="lte")
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": names})
    return type(f"{model.__name__}RecordApiFilter", (FilterSet,), attrs)


def record_viewset(model, *, fields: Sequence[str], filter_fields: Sequence[str] = (), date_field: str = "",
                   select_related: Sequence[str] = ("region",)) -> type:
    """A read-only, scoped API viewset for ``model`` (list and detail)."""
    related = tuple(select_related)

    def get_queryset(self):
        return ScopedReadOnlyViewSet.get_queryset(self).select_related(*related).order_by("pk")

    return type(f"{model.__name__}RecordViewSet", (ScopedReadOnlyViewSet,), {
        "__doc__": f"{model._meta.verbose_name_plural}: read only, in the caller's scope.",
        "model": model, "serializer_class": record_serializer(model, fields),
        "filterset_class": record_api_filter(model, filter_fields=filter_fields, date_field=date_field),
        "get_queryset": get_queryset,
    })
