"""API base: viewsets fetch only through ``visible_to``; errors carry a stable code and a message."""

from __future__ import annotations

from typing import ClassVar

from django.db.models import Model
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from . import registry
from .models import OrgUnit, Region, User


class ScopedViewSetMixin:
    """Every API endpoint over business data derives from this: querysets come from visible_to."""

    model: ClassVar[type[Model]]
    scoped: ClassVar[bool] = True

    def get_queryset(self):
        action = "view" if self.request.method in ("GET", "HEAD", "OPTIONS") else "change"
        return self.model.objects.visible_to(self.request.user, action)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(
    ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Create/update go through the app's actions (override ``perform_create``/``perform_update``)."""


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        detail = response.data["detail"]
        response.data = {"code": getattr(detail, "code", "error"), "message": str(detail)}
    return response


class RegionSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "level_display", "kind", "parent", "prefix"]


class RegionViewSet(ScopedReadOnlyViewSet):
    """行政区划 (jurisdiction tree) inside the caller's scope."""

    model = Region
    serializer_class = RegionSerializer
    filterset_fields = ["level", "parent"]


class OrgUnitSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = OrgUnit
        fields = ["id", "code", "name", "kind", "kind_display", "region", "parent", "phone", "is_active"]


class OrgUnitViewSet(ScopedReadOnlyViewSet):
    """组织机构 inside the caller's scope."""

    model = OrgUnit
    serializer_class = OrgUnitSerializer
    filterset_fields = ["kind", "region"]

    def get_queryset(self):
        return super().get_queryset().select_related("region")


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    org_unit = OrgUnitSerializer(read_only=True)
    scope = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["username", "name", "org_unit", "roles", "scope"]

    def get_scope(self, user) -> list[str]:
        return list(user.scope.prefixes)


class MeView(APIView):
    """The caller's own account, roles and jurisdiction prefixes."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


def register_routes() -> None:
    registry.api_routes.register("regions", registry.ApiRoute("regions", RegionViewSet, "region"))
    registry.api_routes.register("orgs", registry.ApiRoute("orgs", OrgUnitViewSet, "orgunit"))
