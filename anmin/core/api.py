"""API base: viewsets fetch only through ``visible_to``; errors carry a stable code and a message."""

from __future__ import annotations

from typing import ClassVar

from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from . import audit, logins, registry
from .idempotency import IdempotentCreateMixin
from .models import OrgUnit, Region, User
from .models.audit import AuditAction


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
    ScopedViewSetMixin,
    IdempotentCreateMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Create/update go through the app's actions (override ``perform_create``/``perform_update``).

    Creates honour an ``Idempotency-Key`` header (see ``core.idempotency``).
    """


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
    lookup_field = "code"
    lookup_value_regex = r"\d{12,16}"
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


class TokenSerializer(AuthTokenSerializer):
    otp_token = serializers.CharField(
        label=_("动态口令"), required=False, allow_blank=True, write_only=True, help_text=_("特权角色必填")
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        user = attrs["user"]
        if logins.otp_required(user):
            if not logins.has_otp_device(user):
                raise serializers.ValidationError(
                    {"otp_token": [_("动态口令：您的角色须先在网页上绑定动态口令，才能取得 API 令牌。")]},
                    code="otp_setup_required",
                )
            if logins.check_otp_token(user, attrs.get("otp_token") or "", self.context.get("request")) is None:
                raise serializers.ValidationError(
                    {"otp_token": [_("动态口令：必填，且须为验证器当前显示的数字。")]}, code="otp_required"
                )
        return attrs


class TokenView(ObtainAuthToken):
    """Exchange username + password (+ TOTP for privileged roles) for an API token; audited."""

    serializer_class = TokenSerializer

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token, _created = Token.objects.get_or_create(user=user)
        audit.record_in_transaction(
            actor=user, action=AuditAction.LOGIN, obj=user, after={"via": "api_token"}, request=request
        )
        return Response({"token": token.key})


def register_routes() -> None:
    registry.api_routes.register("regions", registry.ApiRoute("regions", RegionViewSet, "region"))
    registry.api_routes.register("orgs", registry.ApiRoute("orgs", OrgUnitViewSet, "orgunit"))
