"""The patrol API: check-ins from a phone (the offline field app's outbox posts here, docs/offline.md).

``POST /api/v1/prevention/checkins/`` checks in on a patrol the caller may see, through
``actions.check_in``; a retry with the same ``Idempotency-Key`` returns the first check-in, never a
second one. ``GET`` lists the check-ins of the patrols the caller may see.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from anmin.core import offline
from anmin.core.api import ScopedViewSetMixin
from anmin.core.apifields import coordinate
from anmin.core.idempotency import IdempotentCreateMixin
from anmin.core.registry import ApiRoute, api_routes

from . import actions
from .models import CheckIn, PatrolLog


class CheckInSerializer(serializers.ModelSerializer):
    log = serializers.PrimaryKeyRelatedField(queryset=PatrolLog.objects.none(), help_text="巡逻记录（须未结束）")
    latitude = coordinate("latitude", required=False, allow_null=True, default=None)
    longitude = coordinate("longitude", required=False, allow_null=True, default=None)
    recorded_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None,
        help_text="在手机上打卡的时间（离线打卡时早于接收时间；不晚于现在，不早于30天前）")
    gps_accuracy = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0,
                                            max_value=offline.MAX_ACCURACY, help_text="定位精度（米）")

    class Meta:
        model = CheckIn
        fields = ["id", "log", "point", "finding", "at", "recorded_at", "gps_accuracy", "latitude", "longitude",
                  "event_ref"]
        read_only_fields = ["at", "event_ref"]
        extra_kwargs = {"finding": {"required": False, "allow_blank": True, "default": ""}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:  # only patrols the caller may see are choices
            self.fields["log"].queryset = PatrolLog.objects.visible_to(request.user)


@extend_schema_view(create=extend_schema(summary="巡逻打卡"))
class CheckInViewSet(ScopedViewSetMixin, IdempotentCreateMixin, mixins.CreateModelMixin,
                     viewsets.ReadOnlyModelViewSet):
    """巡逻打卡 of the patrols in the caller's scope; ``create`` checks in (the action checks the
    permission, that the patrol is visible and not finished)."""

    model = CheckIn
    serializer_class = CheckInSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return CheckIn.objects.visible_to(self.request.user).order_by("-at", "-pk")

    def create_action(self):
        return actions.check_in

    def perform_create(self, serializer):
        serializer.instance = actions.check_in(actor=self.request.user, **serializer.validated_data)


def register_routes() -> None:
    api_routes.register("prevention/checkins", ApiRoute("prevention/checkins", CheckInViewSet, "prevention-checkin"))
