"""REST API of grid events: list, detail and report (create, with an ``Idempotency-Key``).

The steps of an event go through the case API (``/api/v1/cases/{case_id}/transition/`` with the
case ``version``: 409 on a stale one). Photos are sent as ``multipart/form-data`` under ``photos``
(several allowed); each comes back as a URL of the scoped photo view.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from anmin.core import clock
from anmin.core.api import ScopedReadOnlyViewSet, ScopedViewSetMixin
from anmin.core.idempotency import IdempotentCreateMixin
from anmin.core.models import Region
from anmin.core.registry import ApiRoute, api_routes
from anmin.workflow.models import Priority

from . import actions
from .categories import category_choices
from .models import EventPhoto, EventSource, GridEvent
from .views import photo_response
from .workflows import GRID_EVENT

SOURCE_HELP = " / ".join(f"{code} {label}" for code, label in EventSource.choices)


class PhotoSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True, help_text="网页（会话登录）地址")
    file_url = serializers.SerializerMethodField(help_text="API（令牌）下载地址")

    class Meta:
        model = EventPhoto
        fields = ["id", "event", "url", "file_url", "content_type", "width", "height", "size", "uploaded_at"]
        read_only_fields = fields

    def get_file_url(self, photo) -> str:
        return f"/api/v1/grid-photos/{photo.pk}/file/"


class GridEventSerializer(serializers.ModelSerializer):
    case_id = serializers.IntegerField(source="case.pk", read_only=True)
    case_version = serializers.IntegerField(source="case.version", read_only=True)
    number = serializers.CharField(source="case.number", read_only=True)
    title = serializers.CharField(source="case.title", read_only=True)
    region = serializers.CharField(source="case.region_id", read_only=True)
    region_name = serializers.CharField(source="case.region.full_name", read_only=True)
    category_label = serializers.CharField(read_only=True)
    status = serializers.CharField(source="case.status", read_only=True)
    status_label = serializers.CharField(source="case.status_label", read_only=True)
    is_open = serializers.BooleanField(source="case.is_open", read_only=True)
    priority = serializers.CharField(source="case.priority", read_only=True)
    opened_at = serializers.DateTimeField(source="case.opened_at", read_only=True)
    due_at = serializers.DateTimeField(source="case.due_at", read_only=True)
    closed_at = serializers.DateTimeField(source="case.closed_at", read_only=True)
    sla = serializers.CharField(source="case.sla", read_only=True)
    handling_org = serializers.IntegerField(source="case.handling_org_id", read_only=True)
    # Plain strings, not enums: "source" and "priority" are choice sets of other apps too, and the
    # OpenAPI schema would otherwise carry colliding enum names.
    source = serializers.CharField(read_only=True, help_text=SOURCE_HELP)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = GridEvent
        fields = ["id", "case_id", "case_version", "number", "title", "region", "region_name", "category",
                  "category_label", "source", "status", "status_label", "is_open", "priority", "found_at",
                  "opened_at", "due_at", "closed_at", "sla", "address", "latitude", "longitude", "handling_org",
                  "photo_count", "url"]
        read_only_fields = fields


class GridEventDetailSerializer(GridEventSerializer):
    description = serializers.CharField(source="case.description", read_only=True)
    # A protected value serialises as its masked form.
    resident_phone = serializers.CharField(read_only=True)
    photos = PhotoSerializer(many=True, read_only=True)
    case_url = serializers.SerializerMethodField()

    class Meta(GridEventSerializer.Meta):
        fields = [*GridEventSerializer.Meta.fields, "description", "resident_name", "resident_phone", "photos",
                  "case_url"]
        read_only_fields = fields

    def get_case_url(self, event) -> str:
        return f"/api/v1/cases/{event.case_id}/"


class GridEventCreateSerializer(serializers.Serializer):
    region = serializers.CharField(help_text="所在网格（或村(社区)）的区划代码；网格员只能上报本人负责的网格")
    category = serializers.CharField(help_text="网格事件类别代码，如 01 治安隐患、04 环境卫生")
    description = serializers.CharField(help_text="情况描述")
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200,
                                  help_text="可不填，按类别和描述生成")
    address = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                        default=None, coerce_to_string=False)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                         default=None, coerce_to_string=False)
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    source = serializers.CharField(default=EventSource.PATROL, max_length=16, help_text=SOURCE_HELP)
    found_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    resident_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
    resident_phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list,
                                   help_text="现场照片（multipart，可多张）")

    def create(self, validated_data):
        try:
            return actions.report_event(actor=self.context["request"].user, **validated_data)
        except ValidationError as exc:
            detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
            raise serializers.ValidationError(detail) from exc
        except PermissionDenied as exc:
            raise ApiPermissionDenied(str(exc)) from exc

    def to_representation(self, instance):
        return GridEventDetailSerializer(instance, context=self.context).data


class GridEventApiFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(method="inside", help_text="区划代码：该区划及其下级")
    category = django_filters.ChoiceFilter(choices=category_choices)
    status = django_filters.CharFilter(field_name="case__status")
    is_open = django_filters.BooleanFilter(field_name="case__is_open")
    overdue = django_filters.BooleanFilter(method="by_overdue", help_text="true: 已逾期；false: 未逾期")
    opened_after = django_filters.IsoDateTimeFilter(field_name="case__opened_at", lookup_expr="gte")
    opened_before = django_filters.IsoDateTimeFilter(field_name="case__opened_at", lookup_expr="lt")

    class Meta:
        model = GridEvent
        fields = ["region", "category", "source", "status", "is_open", "overdue", "opened_after", "opened_before"]

    def inside(self, qs, name, value):
        region = Region.objects.filter(pk=value).first()
        return qs.inside(region.prefix if region else value)

    def by_overdue(self, qs, name, value):
        late = Q(case__is_open=True, case__due_at__isnull=False, case__paused_since__isnull=True,
                 case__due_at__lte=clock.now())
        return qs.filter(late) if value else qs.exclude(late)


class GridEventViewSet(ScopedViewSetMixin, IdempotentCreateMixin, mixins.CreateModelMixin,
                       viewsets.ReadOnlyModelViewSet):
    """网格事件 in the caller's scope; ``create`` reports one (a retry with the same ``Idempotency-Key``
    returns the first event, never a second one)."""

    model = GridEvent
    filterset_class = GridEventApiFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        qs = GridEvent.objects.visible_to(self.request.user).select_related(
            "case", "case__region__parent__parent")
        if self.action == "retrieve":
            qs = qs.prefetch_related("photos")
        return qs.order_by("-case__opened_at", "-case_id")

    def get_serializer_class(self):
        if self.action == "create":
            return GridEventCreateSerializer
        return GridEventDetailSerializer if self.action == "retrieve" else GridEventSerializer

    def check_permissions(self, request):
        super().check_permissions(request)
        if self.action == "create" and not request.user.has_perm(actions.ADD_PERM):
            self.permission_denied(request, message=f"您没有上报{GRID_EVENT.label}的权限")

    @extend_schema(request=GridEventCreateSerializer, responses={201: GridEventDetailSerializer})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)


class EventPhotoViewSet(ScopedReadOnlyViewSet):
    """网格事件照片 in the caller's scope (metadata), and ``file/`` for the photo itself."""

    model = EventPhoto
    serializer_class = PhotoSerializer
    filterset_fields = ["event"]

    def get_queryset(self):
        return super().get_queryset().order_by("-pk")

    @extend_schema(responses={(200, "image/jpeg"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        return photo_response(self.get_object())


def register_routes() -> None:
    api_routes.register("grid-events", ApiRoute("grid-events", GridEventViewSet, "gridevent"))
    api_routes.register("grid-photos", ApiRoute("grid-photos", EventPhotoViewSet, "eventphoto"))
