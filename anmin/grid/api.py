"""REST API of grid events on the kit: list, detail and report (create, with an ``Idempotency-Key``).

The steps of an event go through the case API (``/api/v1/cases/{case_id}/transition/`` with the
case ``version``: 409 on a stale one). Photos are sent as ``multipart/form-data`` under ``photos``
(several allowed); each comes back as a URL of the scoped photo view.
"""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from anmin.core.api import photo_viewset
from anmin.core.apifields import PHONE, REGION_CODE, accepts
from anmin.core.registry import ApiRoute
from anmin.workflow.kit.api import (
    CASE_FIELDS,
    PHONE_PARSERS,
    CaseDetailApiFilter,
    CaseDetailFields,
    CaseDetailViewSet,
    CaseFieldsSerializer,
    PhoneReportSerializer,
    choices_help,
)
from anmin.workflow.models import Priority

from . import actions
from .categories import CATEGORIES
from .models import EventPhoto, EventSource, GridEvent

SOURCE_HELP = choices_help(EventSource.choices)
EventPhotoViewSet = photo_viewset(EventPhoto, "grid-photos", "网格事件照片 in the caller's scope (metadata), and "
                                                        "``file/`` for the photo itself.")


class GridEventSerializer(CaseFieldsSerializer):
    category_label = serializers.CharField(read_only=True)
    source = serializers.CharField(read_only=True, help_text=SOURCE_HELP)

    class Meta:
        model = GridEvent
        fields = [*CASE_FIELDS, "category", "category_label", "source", "found_at", "address", "latitude",
                  "longitude", "photo_count", "recorded_at", "gps_accuracy"]
        read_only_fields = fields


class GridEventDetailSerializer(CaseDetailFields, GridEventSerializer):
    resident_phone = serializers.CharField(read_only=True)  # a protected value serialises masked
    photos = EventPhotoViewSet.serializer_class(many=True, read_only=True)

    class Meta(GridEventSerializer.Meta):
        fields = [*GridEventSerializer.Meta.fields, "description", "resident_name", "resident_phone", "photos",
                  "case_url"]
        read_only_fields = fields


class GridEventCreateSerializer(PhoneReportSerializer):
    detail_serializer_class = GridEventDetailSerializer
    region = accepts(serializers.CharField(help_text="所在网格（或村(社区)）的区划代码；网格员只能上报本人负责的网格"),
                     pattern=REGION_CODE)
    category = accepts(serializers.CharField(help_text="网格事件类别代码，如 01 治安隐患、04 环境卫生"),
                       enum=CATEGORIES.listed)
    description = serializers.CharField(help_text="情况描述", max_length=5000)
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200,
                                  help_text="可不填，按类别和描述生成")
    address = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    source = accepts(serializers.CharField(default=EventSource.PATROL, max_length=16, help_text=SOURCE_HELP),
                     enum=EventSource.values)
    found_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    resident_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
    resident_phone = accepts(serializers.CharField(required=False, allow_blank=True, default="", max_length=20),
                             pattern=PHONE)

    def report(self, actor, **data):
        return actions.report_event(actor=actor, **data)


class GridEventApiFilter(CaseDetailApiFilter):
    category = django_filters.ChoiceFilter(choices=CATEGORIES.choices)

    class Meta:
        model = GridEvent
        fields = ["region", "category", "source", "status", "is_open", "overdue", "opened_after", "opened_before"]


@extend_schema_view(create=extend_schema(request=GridEventCreateSerializer, responses={201: GridEventDetailSerializer}))
class GridEventViewSet(CaseDetailViewSet):
    """网格事件 in the caller's scope; ``create`` reports one (a retry with the same ``Idempotency-Key``
    returns the first event, never a second one)."""

    model = GridEvent
    filterset_class = GridEventApiFilter
    parser_classes = PHONE_PARSERS
    serializer_class = GridEventSerializer
    detail_serializer_class = GridEventDetailSerializer
    create_serializer_class = GridEventCreateSerializer
    create_perm, create_what = actions.ADD_PERM, "上报网格事件"
    detail_prefetch = ("photos",)


ROUTES = (ApiRoute("grid-events", GridEventViewSet, "gridevent"),
          ApiRoute("grid-photos", EventPhotoViewSet, "eventphoto"))
