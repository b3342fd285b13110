"""The API of a case domain: its records with their case's fields, the standard filters, and the
create (report) endpoint with an ``Idempotency-Key``. Steps go through the case API
(``/api/v1/cases/{case_id}/transition/`` with the case ``version``); a domain's own steps get their own
actions on its viewset. Errors are the core's one shape (``anmin.core.api.exception_handler``)."""

from __future__ import annotations

import copy
import functools
from typing import Any, ClassVar

import django_filters
from django.db import connection
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, relations, serializers, viewsets
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from anmin.core import branchpage, clock, references
from anmin.core.api import ScopedViewSetMixin
from anmin.core.apifields import coordinate
from anmin.core.filters import FilterSet
from anmin.core.idempotency import IdempotentCreateMixin
from anmin.core.models import Region
from anmin.core.offline import MAX_ACCURACY, RECORDED_MAX_AGE
from anmin.core.pagination import CURSOR_PARAM
from anmin.core.paging import planner_rows
from anmin.core.serializing import PlannedRead

from .filters import sla_q

NEWEST_FIRST = ("-case__opened_at", "-case_id")
# Up to this many rows (the planner's estimate) a list may be read by its scope's indexes and sorted.
NARROW_ROWS = 20_000
# A scope this small is always read by its indexes, sorted and counted exactly.
SMALL_ROWS = 1_000


def sorting_is_cheaper(scope_rows: int, table_rows: int, page: int) -> bool:
    """Whether reading a scope's rows and sorting them costs less than walking the table newest first
    until the page is full. The walk meets about ``page × table_rows / scope_rows`` rows (the scope's
    rows are spread over time like everyone's); the sort reads ``scope_rows``. A grid worker's 3,000
    events of a city's 870,000: sort 3,000 rather than walk 15,000. A small township's 17,500: walk
    2,500 rather than sort 17,500 — sorted, its list hashed every grid event (290 ms against 20)."""
    if scope_rows > NARROW_ROWS:
        return False
    return scope_rows <= SMALL_ROWS or scope_rows * scope_rows < page * max(table_rows, 1)

CASE_FIELDS = ["id", "case_id", "case_version", "number", "title", "region", "region_name", "status", "status_label",
               "is_open", "priority", "opened_at", "due_at", "closed_at", "sla", "handling_org", "url"]


def choices_help(choices) -> str:
    """A choice list as an API field's help: "patrol 网格员巡查发现 / resident 群众反映"."""
    return " / ".join(f"{code} {label}" for code, label in choices)


@functools.cache
def _leaf(kind: type) -> bool:
    """A field of this class holds no other field: DRF's own fields and the project's subclasses of
    them, but not a list, a dict, a nested serializer or a relation (which DRF deep-copies)."""
    return (not issubclass(kind, serializers.BaseSerializer | relations.RelatedField | relations.ManyRelatedField
                           | serializers.ListField | serializers.DictField | serializers.HStoreField)
            and kind.__deepcopy__ is serializers.Field.__deepcopy__)


def _shallow(field):
    clone = object.__new__(type(field))
    clone.__dict__.update(field.__dict__)
    return clone


def fresh_fields(fields: dict) -> dict:
    """A serializer instance's own copies of its unbound fields. DRF deep-copies each field, which
    runs its constructor again (about 30 µs a field, a millisecond for a detail answer); a field
    holding no other field is copied shallowly (its attributes, not ``copy.copy``'s reduce protocol):
    the same unbound field — binding sets attributes on the copy only, and DRF's own copy shares the
    validators too. A field that holds other fields (a list, a dict, a nested serializer, a relation)
    is deep-copied as DRF does."""
    return {name: _shallow(field) if _leaf(type(field)) else copy.deepcopy(field) for name, field in fields.items()}


class CaseFieldsSerializer(PlannedRead, serializers.ModelSerializer):
    """A domain record with its case's fields. ``Meta.fields = [*CASE_FIELDS, <the domain's own>]``."""

    case_id = serializers.IntegerField(source="case.pk", read_only=True)
    case_version = serializers.IntegerField(source="case.version", read_only=True,
                                            help_text="事项版本：办理步骤时提交，已被他人更新时返回 409")
    number = serializers.CharField(source="case.number", read_only=True)
    title = serializers.CharField(source="case.title", read_only=True)
    region = serializers.CharField(source="case.region_id", read_only=True)
    region_name = serializers.CharField(source="case.region.full_name", read_only=True)
    status = serializers.CharField(source="case.status", read_only=True)
    status_label = serializers.CharField(source="case.status_label", read_only=True)
    is_open = serializers.BooleanField(source="case.is_open", read_only=True)
    # Plain strings, not enums: "priority" is a choice set of several apps, and the OpenAPI schema
    # would otherwise carry colliding enum names.
    priority = serializers.CharField(source="case.priority", read_only=True)
    opened_at = serializers.DateTimeField(source="case.opened_at", read_only=True)
    due_at = serializers.DateTimeField(source="case.due_at", read_only=True, allow_null=True)
    closed_at = serializers.DateTimeField(source="case.closed_at", read_only=True, allow_null=True)
    sla = serializers.CharField(source="case.sla", read_only=True, help_text="overdue / warning / paused / 空")
    handling_org = serializers.IntegerField(source="case.handling_org_id", read_only=True, allow_null=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    def get_fields(self):
        # Building a model serializer's fields introspects every model field again for each instance
        # (about a third of a detail answer's CPU); they depend on the class only, so they are built
        # once per class and each serializer gets its own copy, as DRF copies declared fields.
        built = type(self).__dict__.get("_anmin_built_fields")
        if built is None:
            built = super().get_fields()
            type(self)._anmin_built_fields = built
        return fresh_fields(built)


class CaseDetailFields(serializers.Serializer):
    """The case's text and the link to the case API, for a detail serializer:
    ``class XDetailSerializer(CaseDetailFields, XSerializer)`` with ``"description"`` and ``"case_url"``
    among its ``Meta.fields``."""

    description = serializers.CharField(source="case.description", read_only=True)
    case_url = serializers.SerializerMethodField()

    def get_case_url(self, obj) -> str:
        return f"/api/v1/cases/{obj.case_id}/"


class CaseDetailApiFilter(FilterSet):
    """The filters every domain list takes; a domain's FilterSet subclasses it and adds its own."""

    region = django_filters.CharFilter(method="inside", help_text="区划代码：该区划及其下级")
    status = django_filters.CharFilter(field_name="case__status")
    is_open = django_filters.BooleanFilter(field_name="case__is_open")
    overdue = django_filters.BooleanFilter(method="by_overdue", help_text="true: 已逾期；false: 未逾期")
    opened_after = django_filters.IsoDateTimeFilter(field_name="case__opened_at", lookup_expr="gte")
    opened_before = django_filters.IsoDateTimeFilter(field_name="case__opened_at", lookup_expr="lt")

    def inside(self, qs, name, value):
        region = Region.objects.filter(pk=value).first()
        return qs.filter(case__region__code__startswith=region.prefix if region else value)

    def by_overdue(self, qs, name, value):
        late = sla_q("overdue", clock.now())
        return qs.filter(late) if value else qs.exclude(late)


def _one_query(qs):
    """``qs`` read as one statement, not part by part (a wide scope's walk newest first meets its rows
    soon: a township's first page 3 ms as one query, 12 ms part by part)."""
    if getattr(qs, "branches", None) is None:
        return qs
    qs = qs.all()
    qs.branches = None
    return qs


class CaseDetailViewSet(ScopedViewSetMixin, IdempotentCreateMixin, mixins.CreateModelMixin,
                        viewsets.ReadOnlyModelViewSet):
    """A domain's records in the caller's scope; ``create`` reports one through the domain's action
    (``create_serializer_class.create``). A retry with the same ``Idempotency-Key`` returns the first
    record, never a second one. Declare the create's schema on the subclass with
    ``@extend_schema_view(create=extend_schema(request=..., responses={201: ...}))``."""

    serializer_class: ClassVar[Any] = None
    detail_serializer_class: ClassVar[Any] = None
    create_serializer_class: ClassVar[Any] = None
    create_perm: ClassVar[str] = ""
    create_what: ClassVar[str] = ""
    list_related: ClassVar[tuple[str, ...]] = ("case",)
    list_prefetch: ClassVar[tuple[str, ...]] = ()
    # The place of the page's rows, after the page is chosen, from the process's reference tables
    # (core.references): joined instead, the region table (three times, for village and township) is
    # hashed for every row of the scope before the sort picks 50 — most of a grid worker's list
    # under load; prefetched, two more queries and 100 model instances a page.
    list_references: ClassVar[tuple[str, ...]] = ("case.region",)
    detail_prefetch: ClassVar[tuple[str, ...]] = ()
    ordering: ClassVar[tuple[str, ...]] = NEWEST_FIRST
    keyset_pagination: ClassVar[bool] = True  # ``?cursor=`` (core.pagination), on ``ordering``

    def get_queryset(self):
        qs = (self.model.objects.visible_to(self.request.user, by_branch=True).select_related(*self.list_related)
              .prefetch_related(*self.list_prefetch))
        if self.action == "retrieve" and self.detail_prefetch:
            qs = qs.prefetch_related(*self.detail_prefetch)
        return qs.order_by(*self.ordering)

    def filter_queryset(self, queryset):
        """A list asks PostgreSQL's planner how many rows the caller's scope holds (planning only),
        and how many the table holds (both estimates kept a minute: ``planner_rows``). A narrow scope
        (a grid worker's grids and unit: ~1,400–3,600 of a million cases) is counted exactly; its first
        page is read part by part of the visibility condition (``core.branchpage``: each part newest
        first through its own index — the grid's region range, the unit's and the person's
        ``(…, opened_at)``), a later page (``?cursor=``) or a filtered list through the scope's indexes
        and sorted — walking the whole table backwards by ``opened_at`` to find its newest 50 (the
        planner's choice for ``LIMIT``) reads tens of thousands of rows. A wide one
        (``sorting_is_cheaper`` says which) walks by ``opened_at`` (it meets its rows soon) as one
        query and takes the estimate as its count."""
        qs = super().filter_queryset(queryset)
        self.narrow, self.rows_estimate = False, None
        if self.action != "list" or connection.vendor != "postgresql" or self.ordering != NEWEST_FIRST:
            return _one_query(qs)
        self.rows_estimate = planner_rows(qs)
        # A bad page_size is the same 400 naming it here as when the page is read.
        page = (self.paginator.get_page_size(self.request) if self.paginator is not None else None) or 50
        self.narrow = sorting_is_cheaper(self.rows_estimate, planner_rows(self.model.objects.all()), page + 1)
        if not self.request.query_params.get(CURSOR_PARAM) and branchpage.applies(qs):
            # A first page part by part: a grid worker's 17 → 3.5 ms of SQL (3,600 cases not sorted for
            # 51), a township's 6 → 1 ms (its newest from case_township_opened, not the table walked).
            return qs
        if not self.narrow:
            return _one_query(qs)
        # The same order by a value no index holds: the planner reads the scope's rows by its
        # region/handler indexes (a bitmap) and sorts them, instead of walking opened_at.
        qs = _one_query(qs).annotate(sort_opened_at=branchpage.time_as_value("case__opened_at"))
        return qs.order_by("-sort_opened_at", "-case_id")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None and self.list_references:
            page = references.attach(page, *self.list_references)
        return page

    def get_serializer_class(self):
        if self.action == "create":
            return self.create_serializer_class
        if self.action == "retrieve":
            return self.detail_serializer_class or self.serializer_class
        return self.serializer_class

    def check_permissions(self, request):
        super().check_permissions(request)
        if self.action == "create" and not request.user.has_perm(self.create_perm):
            self.permission_denied(request, message=f"您没有{self.create_what}的权限")


class ReportSerializer(serializers.Serializer):
    """Base of a domain's create serializer: ``create`` calls ``report(actor, **validated_data)`` and the
    answer is the record in the detail serializer."""

    detail_serializer_class: ClassVar[Any] = None

    def get_fields(self):
        return fresh_fields(self._declared_fields)

    def report(self, actor, **data):
        raise NotImplementedError

    def create(self, validated_data):
        return self.report(self.context["request"].user, **validated_data)

    def to_representation(self, instance):
        return self.detail_serializer_class(instance, context=self.context).data


class PhoneReportSerializer(ReportSerializer):
    """Base of the create serializer of a report made on a phone (docs/offline.md): the position, when
    the worker recorded it there, how precise the position was, and photos (``multipart/form-data``,
    several under ``photos``; the viewset takes ``parser_classes = PHONE_PARSERS``)."""

    latitude = coordinate("latitude", required=False, allow_null=True, default=None)
    longitude = coordinate("longitude", required=False, allow_null=True, default=None)
    recorded_at = serializers.DateTimeField(
        label=_("手机记录时间"), required=False, allow_null=True, default=None,
        help_text=f"在手机上记录的时间（离线上报时早于接收时间；不晚于现在，不早于{RECORDED_MAX_AGE.days}天前）")
    gps_accuracy = serializers.IntegerField(label=_("定位精度（米）"), required=False, allow_null=True, default=None,
                                            min_value=0,
                                            max_value=MAX_ACCURACY, help_text="定位精度（米）")
    photos = serializers.ListField(child=serializers.FileField(), label=_("现场照片"), required=False, default=list,
                                   help_text="现场照片（multipart，可多张）")


PHONE_PARSERS = (JSONParser, MultiPartParser, FormParser)
