"""REST API of the hazards domain. Railway hazards on the case kit: list, detail and register (create,
with an ``Idempotency-Key``); their steps go through the case API
(``/api/v1/cases/{case_id}/transition/`` with the case ``version``: 409 on a stale one)."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from anmin.core.apifields import REGION_CODE, accepts
from anmin.core.registry import ApiRoute
from anmin.workflow.kit.api import (
    CASE_FIELDS,
    CaseDetailApiFilter,
    CaseDetailFields,
    CaseDetailViewSet,
    CaseFieldsSerializer,
    ReportSerializer,
    choices_help,
)
from anmin.workflow.kit.record_api import record_viewset
from anmin.workflow.models import Priority

from . import actions
from .models import DrunkDriving, RailwayHazard, RailwayHazardCategory

CATEGORY_HELP = choices_help(RailwayHazardCategory.choices)


class RailwayHazardSerializer(CaseFieldsSerializer):
    category = serializers.CharField(read_only=True, help_text=CATEGORY_HELP)

    class Meta:
        model = RailwayHazard
        fields = [*CASE_FIELDS, "category", "line", "mileage", "found_on", "requirement"]
        read_only_fields = fields


class RailwayHazardDetailSerializer(CaseDetailFields, RailwayHazardSerializer):
    class Meta(RailwayHazardSerializer.Meta):
        fields = [*RailwayHazardSerializer.Meta.fields, "description", "case_url"]
        read_only_fields = fields


class RailwayHazardCreateSerializer(ReportSerializer):
    detail_serializer_class = RailwayHazardDetailSerializer
    region = accepts(serializers.CharField(max_length=16, help_text="所在村(社区)的区划代码"), pattern=REGION_CODE)
    category = accepts(serializers.CharField(max_length=16, help_text=CATEGORY_HELP),
                       enum=RailwayHazardCategory.values)
    line = serializers.CharField(max_length=64, help_text="铁路线路，如 郑万高铁")
    description = serializers.CharField(max_length=5000, help_text="隐患情况")
    mileage = serializers.CharField(required=False, allow_blank=True, default="", max_length=32)
    requirement = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL,
                                       help_text="决定整改期限：urgent 3天，normal 15天，hard 30天")
    found_on = serializers.DateField(required=False, allow_null=True, default=None)

    def report(self, actor, **data):
        return actions.report_railway_hazard(actor=actor, **data)


class RailwayHazardApiFilter(CaseDetailApiFilter):
    category = django_filters.ChoiceFilter(choices=RailwayHazardCategory.choices)

    class Meta:
        model = RailwayHazard
        fields = ["region", "category", "line", "status", "is_open", "overdue", "opened_after", "opened_before"]


@extend_schema_view(create=extend_schema(request=RailwayHazardCreateSerializer,
                                         responses={201: RailwayHazardDetailSerializer}))
class RailwayHazardViewSet(CaseDetailViewSet):
    """铁路沿线隐患 in the caller's scope; ``create`` registers one (a retry with the same
    ``Idempotency-Key`` returns the first hazard)."""

    model = RailwayHazard
    filterset_class = RailwayHazardApiFilter
    serializer_class = RailwayHazardSerializer
    detail_serializer_class = RailwayHazardDetailSerializer
    create_serializer_class = RailwayHazardCreateSerializer
    create_perm, create_what = actions.ADD_RAILWAY, "登记铁路沿线隐患"


#: The 酒驾醉驾查处登记台账, read only (the ID number is not served; registering is the Excel import).
DrunkDrivingViewSet = record_viewset(
    DrunkDriving, fields=("caught_on", "driver_name", "offence", "penalty", "caused_accident", "unit"),
    filter_fields=("offence", "penalty", "caused_accident"), date_field="caught_on")

ROUTES = (ApiRoute("railway-hazards", RailwayHazardViewSet, "railwayhazard"),
          ApiRoute("drunk-driving", DrunkDrivingViewSet, "drunkdriving"))
