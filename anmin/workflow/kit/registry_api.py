"""The API of a registry, made from its declaration (see ``kit.registry``).

``/api/v1/<prefix>/``: list (filters ``region`` = inside a region code, ``status``, ``is_active``),
detail, create (with an ``Idempotency-Key``), PATCH with the record's ``version`` (409 when stale),
``POST <id>/status/`` (``status``, ``note``, ``version``) and ``POST <id>/retire/`` (``reason``,
``version``). Every write calls the registry's actions; errors are the core's one shape.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action as api_action
from rest_framework.response import Response

from anmin.core.api import ScopedModelViewSet
from anmin.core.errors import invalid
from anmin.core.filters import INTEGER_FILTER_OVERRIDES, FilterSet
from anmin.core.models import Region

from .registry import Registry

MAX_VERSION = 2_147_483_647
COORDINATES = {"latitude": (Decimal(-90), Decimal(90)), "longitude": (Decimal(-180), Decimal(180))}
VERSION_HELP = "记录版本（已被他人修改时返回 409）"


class StatusInSerializer(serializers.Serializer):
    status = serializers.CharField(max_length=16)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(min_value=1, max_value=MAX_VERSION, help_text=VERSION_HELP)


class RetireInSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)
    version = serializers.IntegerField(min_value=1, max_value=MAX_VERSION, help_text=VERSION_HELP)


def make_serializer(registry: Registry) -> type[serializers.ModelSerializer]:
    model = registry.model
    attrs: dict[str, Any] = {
        "region": serializers.CharField(source="region_id", max_length=16,
                                        help_text="区划代码（乡镇、村(社区)或网格）"),
        "region_name": serializers.CharField(source="place_name", read_only=True),
        "status": serializers.CharField(max_length=16, required=False,
                                        help_text="状态代码：" + "、".join(f"{c} {n}" for c, n in registry.statuses)),
        "status_label": serializers.CharField(source="get_status_display", read_only=True),
        "version": serializers.IntegerField(required=False, min_value=1, max_value=2_147_483_647,
                                            help_text="记录版本：修改时提交，已被他人修改时返回 409"),
        "url": serializers.CharField(source="get_absolute_url", read_only=True),
    }
    for name in registry.fields:  # choices as plain strings: the model's action checks them
        f = model._meta.get_field(name)
        if getattr(f, "choices", None):
            attrs[name] = serializers.CharField(max_length=f.max_length or 32, required=not f.has_default()
                                                and not f.blank, allow_blank=f.blank)
        elif name in COORDINATES:  # a place: within the range core.geo.check_location keeps
            low, high = COORDINATES[name]
            attrs[name] = serializers.DecimalField(max_digits=f.max_digits, decimal_places=f.decimal_places,
                                                   required=False, allow_null=f.null, min_value=low, max_value=high)
    fields = ["id", "region", "region_name", *registry.fields, "status", "status_label", "status_since",
              "status_note", "is_active", "retired_at", "version", "url"]
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": fields,
                                      "read_only_fields": ["status_since", "status_note", "is_active", "retired_at"]})
    return type(f"{model.__name__}Serializer", (serializers.ModelSerializer,), attrs)


def make_api_filter(registry: Registry) -> type[FilterSet]:
    def inside(self, qs, name, value):
        region = Region.objects.filter(pk=value).first()
        return qs.filter(region__code__startswith=region.prefix if region else value)

    meta = type("Meta", (), {"model": registry.model, "fields": ["region", "status", "is_active",
                                                                 *registry.filter_fields],
                             "filter_overrides": INTEGER_FILTER_OVERRIDES})
    return type(f"{registry.model.__name__}ApiFilter", (FilterSet,), {
        "region": django_filters.CharFilter(method="inside", help_text="区划代码：该区划及其下级"),
        "status": django_filters.CharFilter(),
        "inside": inside, "Meta": meta})


def registry_viewset(registry: Registry, **attrs: Any) -> type:
    serializer = make_serializer(registry)

    class RegistryViewSet(ScopedModelViewSet):
        model = registry.model
        serializer_class = serializer
        filterset_class = make_api_filter(registry)
        http_method_names = ["get", "post", "patch", "head", "options"]

        def get_queryset(self):
            return super().get_queryset().select_related("region__parent__parent").order_by("pk")

        def create_action(self):
            return registry.action("create")

        def perform_create(self, ser):
            data = dict(ser.validated_data)
            data.pop("version", None)
            data["region"] = data.pop("region_id")
            ser.instance = registry.action("create")(actor=self.request.user, **data)

        def perform_update(self, ser):
            data = dict(ser.validated_data)
            if "status" in data:
                raise invalid("status", "「状态」请用 status/ 接口变更")
            if "region_id" in data:
                data["region"] = data.pop("region_id")
            version = data.pop("version", None)
            ser.instance = registry.action("update")(actor=self.request.user, record=ser.instance,
                                                     expected_version=version, **data)

        @extend_schema(methods=["GET"], responses=serializer, description="当前记录与版本")
        @extend_schema(methods=["POST"], request=StatusInSerializer, responses={200: serializer})
        @api_action(detail=True, methods=["get", "post"])
        def status(self, request, pk=None):
            obj = self.get_object()
            if request.method == "GET":
                return Response(serializer(obj, context={"request": request}).data)
            body = StatusInSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            d = body.validated_data
            obj = registry.action("set_status")(actor=request.user, record=obj, expected_version=d["version"],
                                                status=d["status"], note=d["note"])
            return Response(serializer(obj, context={"request": request}).data)

        @extend_schema(methods=["GET"], responses=serializer, description="当前记录与版本")
        @extend_schema(methods=["POST"], request=RetireInSerializer, responses={200: serializer})
        @api_action(detail=True, methods=["get", "post"])
        def retire(self, request, pk=None):
            obj = self.get_object()
            if request.method == "GET":
                return Response(serializer(obj, context={"request": request}).data)
            body = RetireInSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            d = body.validated_data
            obj = registry.action("retire")(actor=request.user, record=obj, expected_version=d["version"],
                                            reason=d["reason"])
            return Response(serializer(obj, context={"request": request}).data)

    # A PATCH does not take ``status`` (status/ does, with a note): its schema leaves it out, so a
    # request valid by the schema is not refused for it.
    update = type(f"{registry.model.__name__}UpdateSerializer", (serializer,), {"Meta": type("Meta", (), {
        "model": serializer.Meta.model, "fields": [f for f in serializer.Meta.fields if f != "status"],
        "read_only_fields": serializer.Meta.read_only_fields})})
    name = f"{registry.model.__name__}ViewSet"
    cls = type(name, (RegistryViewSet,), {"__doc__": f"{registry.title}（登记、修改、状态、注销）", **attrs})
    cls = extend_schema_view(partial_update=extend_schema(request=update, responses=serializer))(cls)
    cls.__qualname__ = name
    return cls
