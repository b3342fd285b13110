"""Cases over the REST API: list/detail/create and ``POST /api/v1/cases/{id}/transition/``.

Reads come from ``Case.objects.visible_to``; who may take a step is the workflow's rule, checked by
``actions.transition_case`` (so the queryset is the caller's view scope for every method).
A stale ``version`` answers 409 with the case's current state and version.
"""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from anmin.core import clock
from anmin.core import registry as core_registry
from anmin.core.api import ScopedViewSetMixin
from anmin.core.apifields import REGION_CODE, JSONObjectField, accepts
from anmin.core.bounds import MAX_BIG_INT, MAX_INT, TEXT_MAX
from anmin.core.filters import FilterSet
from anmin.core.models import Region
from anmin.core.serializing import PlannedRead

from . import actions, registry
from .definitions import INPUTS
from .models import Case, CaseEvent, Priority
from .rules import available_actions

try:  # Idempotency-Key support for creates (core.idempotency); without it, creates work as plain POSTs
    from anmin.core.idempotency import IDEMPOTENCY_PARAMETER, IdempotentCreateMixin
except ImportError:  # pragma: no cover - core without the idempotency module
    IDEMPOTENCY_PARAMETER = None

    class IdempotentCreateMixin:  # type: ignore[no-redef]
        pass


class CaseSerializer(PlannedRead, serializers.ModelSerializer):
    kind_label = serializers.CharField(read_only=True)
    status_label = serializers.CharField(read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    center_org_name = serializers.CharField(source="center_org.name", read_only=True, default=None)
    handling_org_name = serializers.CharField(source="handling_org.name", read_only=True, default=None)
    handler_name = serializers.SerializerMethodField()
    sla = serializers.CharField(read_only=True)
    paused = serializers.BooleanField(source="is_paused", read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    # A plain string, not the model's three choices: a kind may grade its cases its own way (a fraud
    # lead's critical / high / medium / low, ``Workflow.priorities``), which the model field's enum
    # would declare out of the schema.
    priority = serializers.CharField(read_only=True, help_text="紧急程度：urgent / normal / hard，"
                                     "或事项类型自己的等级（预警线索 critical / high / medium / low）")

    class Meta:
        model = Case
        fields = [
            "id", "number", "kind", "kind_label", "title", "region", "region_name", "status", "status_label",
            "is_open", "priority", "source", "center_org", "center_org_name", "handling_org", "handling_org_name",
            "handler", "handler_name", "opened_at", "due_at", "warn_at", "warned_at", "overdue_at", "closed_at",
            "paused", "sla", "pending_transition", "duplicate_of", "version", "url",
        ]
        read_only_fields = fields

    def get_handler_name(self, case) -> str | None:
        return str(case.handler) if case.handler_id else None


class CaseEventSerializer(PlannedRead, serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor_label", read_only=True)

    class Meta:
        model = CaseEvent
        fields = ["seq", "at", "actor", "actor_name", "action", "label", "from_state", "to_state", "reason", "data"]
        read_only_fields = fields


class CaseDetailSerializer(CaseSerializer):
    events = CaseEventSerializer(many=True, read_only=True)
    co_orgs = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "description", "co_orgs", "reporter", "stage", "paused_seconds",
                  "data", "events", "actions"]
        read_only_fields = fields

    def get_actions(self, case) -> list[dict]:
        request = self.context.get("request")
        if request is None:
            return []
        return [{"name": a.name, "label": a.label, "reason_required": a.reason_required, "inputs": list(a.inputs)}
                for a in available_actions(case, request.user)]


# A created case's extra fields (``Case.data``): named texts, bounded; not what the steps write into it.
DATA_KEYS_MAX, DATA_KEY_MAX, DATA_VALUE_MAX = 30, 64, 2000
RESERVED_DATA = (*INPUTS, "visited_at")


class CaseCreateSerializer(serializers.Serializer):
    kind = accepts(serializers.CharField(help_text="事项类型编码，如 JB（交办事项）"),
                   enum=lambda: [k.code for k in registry.case_kinds if k.creatable])
    title = serializers.CharField(max_length=200)
    # Free text as the case's column keeps it (core.bounds.TEXT_MAX): said here, so the schema says it too.
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX)
    region = accepts(serializers.CharField(help_text="所在区划代码（最细一级）"), pattern=REGION_CODE)
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    source = serializers.CharField(required=False, allow_blank=True, default="", max_length=32)
    data = serializers.DictField(
        child=serializers.CharField(max_length=DATA_VALUE_MAX, allow_blank=True), required=False, default=dict,
        help_text=f"该事项类型的附加字段：至多 {DATA_KEYS_MAX} 项，名称至多 {DATA_KEY_MAX} 字，值为文字（至多 "
                  f"{DATA_VALUE_MAX} 字）；办理中由系统写入的字段（{'、'.join(RESERVED_DATA)}）不可填写")

    def validate_data(self, value):
        if len(value) > DATA_KEYS_MAX:
            raise serializers.ValidationError(f"附加字段至多 {DATA_KEYS_MAX} 项，收到 {len(value)} 项")
        for key in value:
            if not key.strip() or len(key) > DATA_KEY_MAX:
                raise serializers.ValidationError(f"附加字段的名称须为 1–{DATA_KEY_MAX} 个字：{key[:DATA_KEY_MAX]!r}")
            if key in RESERVED_DATA:
                raise serializers.ValidationError(f"附加字段「{key}」由办理过程写入，不可在登记时填写")
        return value

    def validate_kind(self, value):
        try:
            kind = registry.get_kind(value)
        except LookupError as exc:
            raise serializers.ValidationError(f"未知的事项类型：{value}") from exc
        if not kind.creatable:
            raise serializers.ValidationError(f"「{kind.label}」须通过其业务模块登记")
        return kind

    def validate_region(self, value):
        region = Region.objects.visible_to(self.context["request"].user).filter(pk=value).first()
        if region is None:
            raise serializers.ValidationError("「所在区划」不存在或不在您的辖区内")
        return region

    def create(self, validated_data):
        return actions.open_task(
            actor=self.context["request"].user, kind=validated_data["kind"], title=validated_data["title"],
            region=validated_data["region"], priority=validated_data["priority"], source=validated_data["source"],
            description=validated_data["description"], data=validated_data["data"],
        )

    def to_representation(self, instance):
        return CaseDetailSerializer(instance, context=self.context).data


class TransitionSerializer(serializers.Serializer):
    # Every text and number bounded, as the schema says it: a step's name (the longest is 16 characters),
    # the reason as the timeline's column keeps it, a version as the case's column holds it, a row's id.
    transition = serializers.CharField(max_length=32, help_text="操作名，如 accept、assign、feedback、approve")
    version = serializers.IntegerField(min_value=1, max_value=MAX_INT,
                                       help_text="您看到的事项版本；已被他人更新时返回 409")
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX)
    target_org = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                          max_value=MAX_BIG_INT)
    target_user = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                           max_value=MAX_BIG_INT)
    data = JSONObjectField(required=False, default=dict, help_text="days / result / satisfaction / duplicate_of")


class CaseFilter(FilterSet):
    region = django_filters.CharFilter(method="inside", help_text="区划代码：该区划及其下级")
    overdue = django_filters.BooleanFilter(method="filter_overdue")
    opened_after = django_filters.IsoDateTimeFilter(field_name="opened_at", lookup_expr="gte")
    opened_before = django_filters.IsoDateTimeFilter(field_name="opened_at", lookup_expr="lt")
    priority = django_filters.ChoiceFilter(choices=registry.priority_choices,
                                           help_text="urgent / normal / hard，或事项类型自己的等级（critical …）")

    class Meta:
        model = Case
        fields = ["kind", "status", "priority", "is_open", "handling_org", "handler"]

    def inside(self, qs, name, value):
        region = Region.objects.filter(pk=value).first()
        return qs.inside(region.prefix if region else value)

    def filter_overdue(self, qs, name, value):
        overdue = qs.overdue(clock.now())
        return overdue if value else qs.exclude(pk__in=overdue.values("pk"))


class CaseViewSet(ScopedViewSetMixin, IdempotentCreateMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """事项 (cases of every kind) inside the caller's scope.

    ``create`` honours an ``Idempotency-Key`` header (a retry returns the first case). ``transition``
    needs no key: a retried step carries the version it was based on, so it cannot apply twice — the
    retry gets 409 naming who took the step.

    Both read JSON only (a form body is refused 415 in the one error shape, naming JSON): a step's and
    a created case's ``data`` is an object of named inputs, which a form cannot carry as such — a form
    would have to put its JSON text in one field, two encodings in one body that OpenAPI 3.0 can only
    hint at, clients and generated SDKs handle unevenly and a schema cannot check. The schema has said
    JSON only since ``data`` became an object; the server now says the same.
    """

    model = Case
    filterset_class = CaseFilter
    json_only_actions = ("create", "transition")

    def get_queryset(self):
        # Every method reads through the caller's view scope; what a caller may change is the
        # workflow's rule, enforced by the actions (403/409/400 with a message).
        qs = self.model.objects.visible_to(self.request.user, "view").select_related(
            "region", "center_org", "handling_org", "handler"
        )
        if self.action in ("retrieve", "transition"):
            qs = qs.prefetch_related("co_orgs", "events__actor")
        return qs.order_by("-opened_at", "-pk")

    def get_serializer_class(self):
        if self.action == "create":
            return CaseCreateSerializer
        if self.action == "transition":
            return TransitionSerializer
        if self.action == "retrieve":
            return CaseDetailSerializer
        return CaseSerializer

    def check_permissions(self, request):
        super().check_permissions(request)
        if self.action == "create" and not request.user.has_perm("workflow.add_case"):
            self.permission_denied(request, message="您没有登记交办事项的权限")

    # The mixin's Idempotency-Key parameter, which an extend_schema of its own would otherwise drop.
    @extend_schema(request=CaseCreateSerializer, responses={201: CaseDetailSerializer},
                   parameters=[p for p in (IDEMPOTENCY_PARAMETER,) if p is not None])
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @extend_schema(
        methods=["GET"], responses=CaseDetailSerializer, description="当前状态、版本和您可执行的操作",
    )
    @extend_schema(
        methods=["POST"], request=TransitionSerializer,
        responses={200: CaseDetailSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def transition(self, request, pk=None):
        """GET: the case, its timeline and the steps the caller may take now. POST: take one, as JSON
        (``{"transition": "feedback", "version": 3, "data": {"result": "已处理"}}``); a form body is
        415 — ``data`` is a JSON object, which a form has no way to carry (see the class)."""
        case = self.get_object()
        if request.method == "GET":
            return Response(CaseDetailSerializer(case, context={"request": request}).data)
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        v = serializer.validated_data
        case = actions.transition_case(
            case=case, actor=request.user, transition=v["transition"], expected_version=v["version"],
            reason=v["reason"], data=v["data"], target_org=v["target_org"], target_user=v["target_user"],
        )
        case = self.get_queryset().get(pk=case.pk)
        return Response(CaseDetailSerializer(case, context={"request": request}).data)


def register_routes() -> None:
    core_registry.api_routes.register("cases", core_registry.ApiRoute("cases", CaseViewSet, "case"))
