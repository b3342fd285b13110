"""REST API of the anti-fraud domain.

- ``/api/v1/antifraud-leads/``: leads in the caller's scope; ``POST`` takes in one (``upstream_id``
  makes it idempotent, as does an ``Idempotency-Key``); ``POST …/batch/`` a batch (per-item errors,
  the rest accepted; repeats are the same lead); ``POST …/{id}/contact/`` a contact attempt;
  ``POST …/{id}/conclude/`` the outcome (both with the case ``version``: 409 when stale).
- ``/api/v1/antifraud-cases/``: the fraud-case ledger (read).
- ``/api/v1/antifraud-check/``: the public check (known / unknown only, rate-limited, no login).
"""

from __future__ import annotations

import django_filters
from django.conf import settings
from django.core.cache import caches
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action as drf_action
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from anmin.core.api import ScopedViewSetMixin
from anmin.core.apifields import ID_NUMBER, PHONE, REGION_CODE, NumberDecimalField, accepts
from anmin.core.bounds import MAX_INT
from anmin.core.codes import listed_codes
from anmin.core.registry import ApiRoute, api_routes
from anmin.workflow.kit.api import (
    CASE_FIELDS,
    CaseDetailApiFilter,
    CaseDetailViewSet,
    CaseFieldsSerializer,
    ReportSerializer,
    choices_help,
)

from . import actions
from .models import ContactMethod, ContactResult, FraudCase, Grade, Lead, LeadOutcome, LeadSource

_SOURCES = choices_help(LeadSource.choices)


class LeadSerializer(CaseFieldsSerializer):
    fraud_type_label = serializers.CharField(read_only=True)
    grade_label = serializers.CharField(read_only=True)
    routed_to = serializers.CharField(source="case.handling_org.name", read_only=True, default="")

    class Meta:
        model = Lead
        fields = [*CASE_FIELDS, "upstream_id", "source", "fraud_type", "fraud_type_label", "grade_label",
                  "computed_grade", "grade_overridden", "received_at", "routed_to", "routed_by", "first_contact_at",
                  "contact_minutes", "contacted_in_time", "attempts", "outcome", "concluded_at"]
        read_only_fields = fields


class LeadDetailSerializer(LeadSerializer):
    victim_phone = serializers.CharField(read_only=True)  # protected values serialise masked
    victim_id_number = serializers.CharField(read_only=True)

    class Meta(LeadSerializer.Meta):
        fields = [*LeadSerializer.Meta.fields, "victim_name", "victim_phone", "victim_id_number", "victim_age",
                  "suspect_number", "suspect_account", "suspect_url", "amount_at_risk", "grade_reason",
                  "amount_protected", "revisit_due_on", "revisited_at", "fraud_case"]
        read_only_fields = fields


class LeadInSerializer(serializers.Serializer):
    upstream_id = serializers.CharField(required=False, allow_blank=True, default="", max_length=64,
                                        help_text="推送系统的线索编号：重复推送同一编号只登记一次")
    region = accepts(serializers.CharField(max_length=16, help_text="受害人所在区划代码（网格、村或乡镇）"),
                     pattern=REGION_CODE)
    victim_name = serializers.CharField(max_length=64)
    victim_phone = accepts(serializers.CharField(required=False, allow_blank=True, default="", max_length=20),
                           pattern=PHONE)
    victim_id_number = accepts(serializers.CharField(required=False, allow_blank=True, default="", max_length=18),
                               pattern=ID_NUMBER)
    fraud_type = accepts(serializers.CharField(max_length=8, help_text="诈骗类型代码：01 刷单返利 … 99 其他"),
                         enum=lambda: listed_codes("fraud_type"))
    source = accepts(serializers.CharField(required=False, default="pushed", max_length=16, help_text=_SOURCES),
                     enum=LeadSource.values)
    suspect_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    suspect_account = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    suspect_url = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    amount_at_risk = NumberDecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True,
                                        default=None, min_value=0)
    grade = accepts(serializers.CharField(
        required=False, allow_blank=True, default="", max_length=16,
        help_text="空：按规则研判；critical / high / medium / low：人工定级（须填理由）"), enum=Grade.values)
    grade_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    received_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class LeadCreateSerializer(ReportSerializer, LeadInSerializer):
    detail_serializer_class = LeadDetailSerializer

    def report(self, actor, **data):
        return actions.report_lead(actor=actor, **data)


class LeadBatchSerializer(serializers.Serializer):
    items = serializers.ListField(child=serializers.DictField(), max_length=actions.intake.MAX_BATCH,
                                  allow_empty=False, help_text="线索列表，字段同单条接收")


BATCH_RESULT = inline_serializer("LeadBatchResult", fields={
    "created": serializers.IntegerField(), "existing": serializers.IntegerField(),
    "failed": serializers.IntegerField(), "items": serializers.ListField(child=serializers.DictField()),
    "errors": serializers.ListField(child=serializers.DictField()),
})


class ContactSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=MAX_INT, help_text="事项(case)版本")
    method = serializers.ChoiceField(choices=ContactMethod.choices)
    result = serializers.ChoiceField(choices=ContactResult.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class ConcludeSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=MAX_INT, help_text="事项(case)版本")
    outcome = serializers.ChoiceField(choices=LeadOutcome.choices[1:])
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    amount_protected = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True,
                                                default=None, min_value=0)
    amount_lost = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True,
                                           default=None, min_value=0)
    police_case_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)


class LeadApiFilter(CaseDetailApiFilter):
    grade = django_filters.CharFilter(field_name="case__priority")
    upstream_id = django_filters.CharFilter()

    class Meta:
        model = Lead
        fields = ["region", "grade", "fraud_type", "source", "outcome", "upstream_id", "status", "is_open", "overdue",
                  "opened_after", "opened_before"]


INTAKE = PolymorphicProxySerializer(component_name="LeadIntake", resource_type_field_name=None,
                                   serializers=[LeadCreateSerializer, LeadBatchSerializer])


@extend_schema_view(create=extend_schema(
    request=INTAKE, responses={201: LeadDetailSerializer, 200: BATCH_RESULT},
    description="一条线索（201，返回线索）或一批线索 {\"items\": [...]}（200，逐条结果：created / existing / "
                "errors[index, field, message]）。同一 upstream_id 重复推送返回原线索，不新建。"))
class LeadViewSet(CaseDetailViewSet):
    """预警线索 in the caller's scope. ``POST`` takes one lead, or a batch as ``{"items": [...]}``."""

    model = Lead
    filterset_class = LeadApiFilter
    serializer_class = LeadSerializer
    detail_serializer_class = LeadDetailSerializer
    create_serializer_class = LeadCreateSerializer
    create_perm, create_what = actions.ADD_PERM, "登记预警线索"
    list_related = ("case", "case__handling_org")
    # Leads are pushed by the 96110 platform and the police systems as JSON (one, or a batch of up to
    # MAX_BATCH): a form encoding of a list of objects has no meaning here (415).
    parser_classes = (JSONParser,)

    def create(self, request, *args, **kwargs):
        if isinstance(request.data, dict) and "items" in request.data:
            body = LeadBatchSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            result = actions.intake_leads(actor=request.user, items=body.validated_data["items"])
            return Response(result.as_dict(), status=status.HTTP_200_OK)
        return super().create(request, *args, **kwargs)

    def _detail(self, lead):
        return Response(LeadDetailSerializer(lead, context=self.get_serializer_context()).data)

    @extend_schema(methods=["GET"], request=None, responses={200: LeadDetailSerializer})
    @extend_schema(methods=["POST"], request=ContactSerializer, responses={200: LeadDetailSerializer})
    @drf_action(detail=True, methods=["get", "post"])
    def contact(self, request, pk=None):
        """登记一次联系（电话、短信、上门、联系亲属）；GET 返回线索（含 case_version）。"""
        lead = self.get_object()
        if request.method == "GET":
            return self._detail(lead)
        body = ContactSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        lead = actions.record_contact(actor=request.user, lead=lead, method=d["method"], result=d["result"],
                                      note=d["note"], expected_version=d["version"])
        return self._detail(lead)

    @extend_schema(methods=["GET"], request=None, responses={200: LeadDetailSerializer})
    @extend_schema(methods=["POST"], request=ConcludeSerializer, responses={200: LeadDetailSerializer})
    @drf_action(detail=True, methods=["get", "post"])
    def conclude(self, request, pk=None):
        """登记处置结果（劝阻成功、已被骗、无法联系、误报）；GET 返回线索（含 case_version）。"""
        lead = self.get_object()
        if request.method == "GET":
            return self._detail(lead)
        body = ConcludeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        lead = actions.conclude_lead(actor=request.user, lead=lead, outcome=d["outcome"], note=d["note"],
                                     expected_version=d["version"], amount_protected=d["amount_protected"],
                                     amount_lost=d["amount_lost"], police_case_number=d["police_case_number"])
        return self._detail(lead)


class FraudCaseSerializer(serializers.ModelSerializer):
    fraud_type_label = serializers.CharField(read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = FraudCase
        fields = ["id", "police_case_number", "title", "region", "fraud_type", "fraud_type_label", "filed_on",
                  "solved_on", "assisted", "assisted_for", "amount_involved", "amount_frozen", "amount_returned",
                  "version", "url"]
        read_only_fields = fields


class FraudCaseViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """电诈案件台账 in the caller's scope."""

    model = FraudCase
    serializer_class = FraudCaseSerializer
    filterset_fields = ["fraud_type", "assisted"]

    def get_queryset(self):
        return FraudCase.objects.visible_to(self.request.user).order_by("-filed_on", "-pk")


class PublicCheckThrottle(SimpleRateThrottle):
    """Per client address (signed-in callers per account): ``ANMIN_PUBLIC_CHECK_RATE`` (default 20/min)."""

    @property
    def cache(self):  # counted across the server's worker processes
        return caches["shared"]

    scope = "antifraud_check"

    def get_rate(self):
        return getattr(settings, "ANMIN_PUBLIC_CHECK_RATE", "20/min")

    def allow_request(self, request, view):
        return request.method != "POST" or super().allow_request(request, view)

    def get_cache_key(self, request, view):
        ident = request.user.pk if request.user and request.user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class PublicCheckSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[("phone", "电话号码"), ("account", "银行账户"), ("url", "网址")])
    value = serializers.CharField(max_length=2000)


CHECK_RESULT = inline_serializer("PublicCheckResult", fields={
    "kind": serializers.CharField(), "checked": serializers.CharField(), "known": serializers.BooleanField(),
    "advice": serializers.CharField(),
})


class PostOpenToAll(BasePermission):
    """The check itself (POST) needs no login; anything else does."""

    def has_permission(self, request, view):
        return request.method == "POST" or bool(request.user and request.user.is_authenticated)


class PublicCheckViewSet(viewsets.ViewSet):
    """公众查询：这个号码 / 账户 / 网址是否已被确认涉诈？只回答已知 / 未知，不透露举报人、时间或案件。
    POST 无需登录（公众门户），按来源地址限流；号码不放在网址里，所以没有 GET 查询。"""

    permission_classes = [PostOpenToAll]
    throttle_classes = [PublicCheckThrottle]

    def http_method_not_allowed(self, request, *args, **kwargs):
        """A GET (or any method but POST) is 405, with what to send instead."""
        from rest_framework.exceptions import MethodNotAllowed

        raise MethodNotAllowed(request.method,
                               detail="请用 POST 提交 kind（phone / account / url）和 value；号码不放在网址中")

    @extend_schema(request=PublicCheckSerializer, responses={200: CHECK_RESULT})
    def create(self, request):
        body = PublicCheckSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return Response(actions.public_check(body.validated_data["kind"], body.validated_data["value"]))


def register_routes() -> None:
    api_routes.register("antifraud-leads", ApiRoute("antifraud-leads", LeadViewSet, "fraudlead"))
    api_routes.register("antifraud-cases", ApiRoute("antifraud-cases", FraudCaseViewSet, "fraudcase"))
    api_routes.register("antifraud-check", ApiRoute("antifraud-check", PublicCheckViewSet, "antifraud-check"))
