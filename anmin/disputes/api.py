"""REST API of the disputes domain: disputes (list, detail, report) and the two registries.

Steps of a dispute's case go through the case API (``/api/v1/cases/{id}/transition/``), with the
case version for the 409 on a stale step; the outcome has its own endpoint here because it also
moves the case on.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from anmin.core.api import ScopedReadOnlyViewSet, ScopedViewSetMixin
from anmin.core.idempotency import IdempotentCreateMixin
from anmin.core.models import Region
from anmin.core.registry import ApiRoute, api_routes
from anmin.workflow import actions as case_actions

from . import actions
from .models import Dispute, DisputeParty, MediationOrg, Mediator, Outcome


class PartySerializer(serializers.ModelSerializer):
    # Protected values serialise as their masked form.
    id_number = serializers.CharField(read_only=True)
    phone = serializers.CharField(read_only=True)

    class Meta:
        model = DisputeParty
        fields = ["role", "name", "id_number", "phone", "address"]


class DisputeSerializer(serializers.ModelSerializer):
    number = serializers.CharField(source="case.number", read_only=True)
    title = serializers.CharField(source="case.title", read_only=True)
    region = serializers.CharField(source="case.region_id", read_only=True)
    status = serializers.CharField(source="case.status", read_only=True)
    status_label = serializers.CharField(source="case.status_label", read_only=True)
    case_id = serializers.IntegerField(source="case.pk", read_only=True)
    case_version = serializers.IntegerField(source="case.version", read_only=True)
    due_at = serializers.DateTimeField(source="case.due_at", read_only=True)

    class Meta:
        model = Dispute
        fields = [
            "id",
            "case_id",
            "case_version",
            "number",
            "title",
            "region",
            "status",
            "status_label",
            "due_at",
            "category",
            "scale",
            "source",
            "found_on",
            "occurred_on",
            "people_involved",
            "amount",
            "colour",
            "risk_flags",
            "mediation_org",
            "outcome",
            "concluded_on",
            "judicial_confirmation",
            "satisfaction",
            "criminal_case_number",
        ]


class DisputeDetailSerializer(DisputeSerializer):
    parties = PartySerializer(many=True, read_only=True)

    class Meta(DisputeSerializer.Meta):
        fields = [*DisputeSerializer.Meta.fields, "agreement", "failed_path", "withdrawn_reason", "parties"]


class PartyInSerializer(serializers.Serializer):
    role = serializers.CharField()
    name = serializers.CharField()
    id_number = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True)


class DisputeCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    region = serializers.CharField(help_text="区划代码（网格或村(社区)）")
    category = serializers.CharField(help_text="GB/T 31000 二级类别代码")
    found_on = serializers.DateField()
    source = serializers.CharField(required=False, default="sweep")
    scale = serializers.CharField(required=False, default="01")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    address = serializers.CharField(required=False, allow_blank=True, default="")
    people_involved = serializers.IntegerField(required=False, allow_null=True, default=None)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True, default=None)
    assessed_colour = serializers.CharField(required=False, default="blue")
    risk_flags = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    priority = serializers.CharField(required=False, default="normal")
    parties = PartyInSerializer(many=True)

    def validate_region(self, value):
        region = Region.objects.visible_to(self.context["request"].user).filter(pk=value).first()
        if region is None:
            raise serializers.ValidationError("「所在区划」不存在或不在您的辖区内")
        return region

    def create(self, validated_data):
        try:
            return actions.report_dispute(actor=self.context["request"].user, **validated_data)
        except ValidationError as exc:
            detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            raise serializers.ValidationError(detail) from exc
        except case_actions.WorkflowError as exc:
            raise serializers.ValidationError({exc.field or "non_field_errors": [exc.message]}) from exc

    def to_representation(self, instance):
        return DisputeDetailSerializer(instance, context=self.context).data


class OutcomeSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="事项(case)版本")
    outcome = serializers.ChoiceField(choices=Outcome.choices, help_text="success / failed / withdrawn")
    concluded_on = serializers.DateField()
    agreement = serializers.CharField(required=False, allow_blank=True, default="")
    agreement_amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None
    )
    judicial_confirmation = serializers.BooleanField(required=False, default=False)
    confirmed_on = serializers.DateField(required=False, allow_null=True, default=None)
    failed_path = serializers.CharField(required=False, allow_blank=True, default="")
    withdrawn_reason = serializers.CharField(required=False, allow_blank=True, default="")


def _validation_response(exc: ValidationError) -> Response:
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    first_field, messages = next(iter(fields.items()))
    return Response(
        {"code": "invalid", "field": first_field, "message": messages[0], "errors": fields},
        status=status.HTTP_400_BAD_REQUEST,
    )


class DisputeViewSet(ScopedViewSetMixin, IdempotentCreateMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """矛盾纠纷 in the caller's scope; ``create`` reports one (Idempotency-Key honoured)."""

    model = Dispute
    filterset_fields = ["outcome", "colour", "source", "category"]

    def get_queryset(self):
        qs = Dispute.objects.visible_to(self.request.user).select_related("case")
        if self.action == "retrieve":
            qs = qs.prefetch_related("parties")
        return qs.order_by("-found_on", "-pk")

    def get_serializer_class(self):
        if self.action == "create":
            return DisputeCreateSerializer
        if self.action == "outcome":
            return OutcomeSerializer
        return DisputeDetailSerializer if self.action == "retrieve" else DisputeSerializer

    def check_permissions(self, request):
        super().check_permissions(request)
        if self.action == "create" and not request.user.has_perm("disputes.add_dispute"):
            self.permission_denied(request, message="您没有上报矛盾纠纷的权限")

    @extend_schema(request=DisputeCreateSerializer, responses={201: DisputeDetailSerializer})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @extend_schema(
        methods=["GET"], responses=DisputeDetailSerializer, description="当前纠纷与事项版本（登记结果时提交该版本）"
    )
    @extend_schema(methods=["POST"], request=OutcomeSerializer, responses={200: DisputeDetailSerializer})
    @action(detail=True, methods=["get", "post"])
    def outcome(self, request, pk=None):
        dispute = self.get_object()
        if request.method == "GET":
            return Response(DisputeDetailSerializer(dispute).data)
        s = OutcomeSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        v = dict(s.validated_data)
        try:
            dispute = actions.record_outcome(
                actor=request.user, dispute=dispute, expected_version=v.pop("version"), **v
            )
        except ValidationError as exc:
            return _validation_response(exc)
        except case_actions.CaseConflict as exc:
            return Response(exc.as_dict(), status=status.HTTP_409_CONFLICT)
        except case_actions.WorkflowError as exc:
            return Response(
                {"code": exc.code, "message": exc.message, "field": exc.field}, status=status.HTTP_403_FORBIDDEN
            )
        return Response(DisputeDetailSerializer(dispute).data)


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
