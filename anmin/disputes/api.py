"""REST API of the disputes domain on the kit: disputes (list, detail, report), the domain's own steps
(``outcome/`` and ``followup/``, which also move the case on) and the two registries.

Other steps of a dispute's case go through the case API (``/api/v1/cases/{id}/transition/``) with the
case version (409 on a stale one); that endpoint refuses the steps this domain owns (反馈, 回访).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from anmin.core.api import ScopedReadOnlyViewSet
from anmin.core.apifields import ID_NUMBER, PHONE, REGION_CODE, accepts
from anmin.core.bounds import MAX_INT
from anmin.core.codes import listed_codes
from anmin.core.models import Region
from anmin.core.registry import ApiRoute, api_routes
from anmin.workflow.definitions import SATISFACTION
from anmin.workflow.kit.api import (
    CASE_FIELDS,
    CaseDetailApiFilter,
    CaseDetailViewSet,
    CaseFieldsSerializer,
    ReportSerializer,
)
from anmin.workflow.models import Priority

from . import actions
from .actions.disputes import ADD_PERM
from .models import (
    Dispute,
    DisputeParty,
    DisputeSource,
    FailedPath,
    MediationOrg,
    Mediator,
    Outcome,
    PartyRole,
    RiskColour,
)


class PartySerializer(serializers.ModelSerializer):
    # Protected values serialise as their masked form.
    id_number = serializers.CharField(read_only=True)
    phone = serializers.CharField(read_only=True)
    person = serializers.IntegerField(source="person_id", read_only=True, allow_null=True,
                                      help_text="关联的实有人口（人口库）编号")

    class Meta:
        model = DisputeParty
        fields = ["role", "name", "id_number", "phone", "address", "person"]


class DisputeSerializer(CaseFieldsSerializer):
    class Meta:
        model = Dispute
        fields = [*CASE_FIELDS, "category", "scale", "source", "found_on", "occurred_on", "people_involved", "amount",
                  "colour", "risk_flags", "auto_flags", "mediation_org", "outcome", "concluded_on",
                  "judicial_confirmation", "satisfaction", "criminal_case_number"]
        read_only_fields = fields


class DisputeDetailSerializer(DisputeSerializer):
    parties = PartySerializer(many=True, read_only=True)

    class Meta(DisputeSerializer.Meta):
        fields = [*DisputeSerializer.Meta.fields, "agreement", "failed_path", "withdrawn_reason", "parties"]
        read_only_fields = fields


class PartyInSerializer(serializers.Serializer):
    role = accepts(serializers.CharField(max_length=16), enum=PartyRole.values)
    name = serializers.CharField(max_length=64)
    id_number = accepts(serializers.CharField(required=False, allow_blank=True, max_length=32), pattern=ID_NUMBER)
    phone = accepts(serializers.CharField(required=False, allow_blank=True, max_length=32), pattern=PHONE)
    address = serializers.CharField(required=False, allow_blank=True, max_length=200)


class DisputeCreateSerializer(ReportSerializer):
    detail_serializer_class = DisputeDetailSerializer
    title = serializers.CharField(max_length=200)
    region = accepts(serializers.CharField(help_text="区划代码（网格或村(社区)）", max_length=16), pattern=REGION_CODE)
    category = accepts(serializers.CharField(help_text="GB/T 31000 二级类别代码", max_length=8),
                       enum=lambda: [code for code in listed_codes("dispute_category") if len(code) == 4])
    found_on = serializers.DateField()
    source = accepts(serializers.CharField(required=False, default="sweep", max_length=16), enum=DisputeSource.values)
    scale = accepts(serializers.CharField(required=False, default="01", max_length=2),
                    enum=lambda: listed_codes("event_scale"))
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    address = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    people_involved = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                               max_value=100000)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True, default=None,
                                      min_value=0)
    assessed_colour = accepts(serializers.CharField(required=False, default="blue", max_length=8),
                              enum=RiskColour.values)
    risk_flags = serializers.ListField(child=serializers.CharField(max_length=32), required=False, default=list,
                                       max_length=20)
    priority = accepts(serializers.CharField(required=False, default="normal", max_length=16), enum=Priority.values)
    parties = PartyInSerializer(many=True, max_length=50)

    def validate_region(self, value):
        region = Region.objects.filter(pk=value).first()
        if region is None:
            raise serializers.ValidationError("「所在区划」不存在或不在您的辖区内")
        return region

    def report(self, actor, **data):
        return actions.report_dispute(actor=actor, **data)


class OutcomeSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=MAX_INT, help_text="事项(case)版本")
    outcome = serializers.ChoiceField(choices=Outcome.choices[1:], help_text="success / failed / withdrawn")
    concluded_on = serializers.DateField()
    agreement = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    agreement_amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True,
                                                default=None, min_value=0)
    judicial_confirmation = serializers.BooleanField(required=False, default=False)
    confirmed_on = serializers.DateField(required=False, allow_null=True, default=None)
    failed_path = accepts(serializers.CharField(required=False, allow_blank=True, default="", max_length=16),
                          enum=FailedPath.values)
    withdrawn_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class FollowupSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=MAX_INT, help_text="事项(case)版本")
    satisfaction = accepts(serializers.CharField(max_length=16, help_text=" / ".join(c for c, _ in SATISFACTION)),
                           enum=[c for c, _ in SATISFACTION])
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class DisputeApiFilter(CaseDetailApiFilter):
    class Meta:
        model = Dispute
        fields = ["region", "status", "is_open", "overdue", "opened_after", "opened_before", "outcome", "colour",
                  "source", "category"]


@extend_schema_view(create=extend_schema(request=DisputeCreateSerializer, responses={201: DisputeDetailSerializer}))
class DisputeViewSet(CaseDetailViewSet):
    """矛盾纠纷 in the caller's scope; ``create`` reports one (Idempotency-Key honoured)."""

    model = Dispute
    filterset_class = DisputeApiFilter
    serializer_class = DisputeSerializer
    detail_serializer_class = DisputeDetailSerializer
    create_serializer_class = DisputeCreateSerializer
    create_perm, create_what = ADD_PERM, "上报矛盾纠纷"
    # A report carries its parties, a list of objects a form cannot carry (DRF's "parties[0]name"
    # notation has no OpenAPI form): JSON only, a form is 415. 登记结果 and 回访 take forms too.
    json_only_actions = ("create",)
    detail_prefetch = ("parties",)
    ordering = ("-found_on", "-pk")

    def get_serializer_class(self):
        return {"outcome": OutcomeSerializer, "followup": FollowupSerializer}.get(self.action) or \
            super().get_serializer_class()

    def _step(self, request, serializer_class, fn):
        dispute = self.get_object()
        if request.method == "GET":
            return Response(DisputeDetailSerializer(dispute, context={"request": request}).data)
        s = serializer_class(data=request.data)
        s.is_valid(raise_exception=True)
        v = dict(s.validated_data)
        dispute = fn(actor=request.user, dispute=dispute, expected_version=v.pop("version"), **v)
        return Response(DisputeDetailSerializer(dispute, context={"request": request}).data)

    @extend_schema(methods=["GET"], responses=DisputeDetailSerializer,
                   description="当前纠纷与事项版本（登记结果时提交该版本）")
    @extend_schema(methods=["POST"], request=OutcomeSerializer, responses={200: DisputeDetailSerializer})
    @action(detail=True, methods=["get", "post"])
    def outcome(self, request, pk=None):
        return self._step(request, OutcomeSerializer, actions.record_outcome)

    @extend_schema(methods=["GET"], responses=DisputeDetailSerializer, description="当前纠纷与事项版本")
    @extend_schema(methods=["POST"], request=FollowupSerializer, responses={200: DisputeDetailSerializer})
    @action(detail=True, methods=["get", "post"])
    def followup(self, request, pk=None):
        return self._step(request, FollowupSerializer, actions.record_followup)


class MediationOrgSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = MediationOrg
        fields = ["id", "name", "kind", "kind_display", "brand_name", "sector", "region", "is_active"]


class MediationOrgViewSet(ScopedReadOnlyViewSet):
    """人民调解组织"""

    model = MediationOrg
    serializer_class = MediationOrgSerializer
    filterset_fields = ["kind", "region"]


class MediatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Mediator
        fields = ["id", "name", "sex", "org", "region", "employment", "specialities", "is_active"]


class MediatorViewSet(ScopedReadOnlyViewSet):
    """人民调解员"""

    model = Mediator
    serializer_class = MediatorSerializer
    filterset_fields = ["org", "employment"]


def register_routes() -> None:
    api_routes.register("disputes", ApiRoute("disputes", DisputeViewSet, "dispute"))
    api_routes.register("mediation-orgs", ApiRoute("mediation-orgs", MediationOrgViewSet, "mediationorg"))
    api_routes.register("mediators", ApiRoute("mediators", MediatorViewSet, "mediator"))
