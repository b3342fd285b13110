"""REST API of the crackdown domain on the kit: clues (list, detail, 登记 with an ``Idempotency-Key``)
and 三书一函 (list, detail). Steps go through the case API (``/api/v1/cases/{case_id}/transition/``);
the result of a verification through the clue page (a domain step)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from anmin.core.api import ScopedViewSetMixin
from anmin.core.apifields import PHONE, REGION_CODE, accepts
from anmin.core.registry import ApiRoute, api_routes
from anmin.workflow.kit.api import (
    CASE_FIELDS,
    CaseDetailApiFilter,
    CaseDetailViewSet,
    CaseFieldsSerializer,
    ReportSerializer,
)

from . import actions
from .models import Clue, ClueCategory, ClueSource, ClueSubject, Industry, Notice


class ClueSerializer(CaseFieldsSerializer):
    class Meta:
        model = Clue
        fields = [*CASE_FIELDS, "source", "category", "subject", "industry", "received_on", "result", "concluded_on"]
        read_only_fields = fields


class ClueDetailSerializer(ClueSerializer):
    description = serializers.CharField(source="case.description", read_only=True)
    reporter_contact = serializers.CharField(read_only=True)  # a protected value serialises masked

    class Meta(ClueSerializer.Meta):
        fields = [*ClueSerializer.Meta.fields, "description", "subject_name", "result_note", "public_feedback",
                  "reporter_contact"]
        read_only_fields = fields


class ClueCreateSerializer(ReportSerializer):
    detail_serializer_class = ClueDetailSerializer
    region = accepts(serializers.CharField(max_length=16, help_text="线索涉及区域的区划代码"), pattern=REGION_CODE)
    source = serializers.ChoiceField(choices=ClueSource.choices)
    category = serializers.ChoiceField(choices=ClueCategory.choices, default=ClueCategory.EVIL)
    subject = serializers.ChoiceField(choices=ClueSubject.choices, default=ClueSubject.PEOPLE)
    industry = serializers.ChoiceField(choices=Industry.choices, default=Industry.OTHER)
    description = serializers.CharField(max_length=5000)
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    subject_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    received_on = serializers.DateField(required=False, allow_null=True, default=None)
    reporter_contact = accepts(serializers.CharField(required=False, allow_blank=True, default="", max_length=20),
                               pattern=PHONE)

    def report(self, actor, **data):
        return actions.register_clue(actor=actor, **data)


class ClueApiFilter(CaseDetailApiFilter):
    class Meta:
        model = Clue
        fields = ["region", "source", "category", "result", "status", "is_open", "overdue", "opened_after",
                  "opened_before"]


@extend_schema_view(create=extend_schema(request=ClueCreateSerializer, responses={201: ClueDetailSerializer}))
class ClueViewSet(CaseDetailViewSet):
    """涉黑涉恶线索 in the caller's scope (the 扫黑办's area, or handed to the caller's unit)."""

    model, filterset_class = Clue, ClueApiFilter
    serializer_class, detail_serializer_class = ClueSerializer, ClueDetailSerializer
    create_serializer_class = ClueCreateSerializer
    create_perm, create_what = actions.ADD_CLUE, "登记线索"


class NoticeSerializer(CaseFieldsSerializer):
    class Meta:
        model = Notice
        fields = [*CASE_FIELDS, "notice_kind", "doc_number", "issuer", "industry", "problem", "recommendation",
                  "issued_on", "reply", "replied_on"]
        read_only_fields = fields


class NoticeApiFilter(CaseDetailApiFilter):
    class Meta:
        model = Notice
        fields = ["region", "notice_kind", "status", "is_open", "overdue", "opened_after", "opened_before"]


class NoticeViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """三书一函 in the caller's scope (read only; issued on the page 制发三书一函)."""

    model, filterset_class, serializer_class = Notice, NoticeApiFilter, NoticeSerializer

    def get_queryset(self):
        return (Notice.objects.visible_to(self.request.user).select_related("case", "case__region__parent__parent")
                .order_by("-case__opened_at", "-case_id"))


def register_routes() -> None:
    api_routes.register("crackdown-clues", ApiRoute("crackdown-clues", ClueViewSet, "crackdownclue"))
    api_routes.register("crackdown-notices", ApiRoute("crackdown-notices", NoticeViewSet, "crackdownnotice"))
