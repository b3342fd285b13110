"""Filter bars of the crackdown ledgers."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from anmin.core.filters import FilterSet
from anmin.workflow.kit.filters import CaseDetailFilter

from .models import (
    Asset,
    AssetMeasure,
    Candidate,
    Clue,
    ClueCategory,
    ClueResult,
    ClueSource,
    CrimeOrg,
    Industry,
    Notice,
    NoticeKind,
    Official,
    OfficialKind,
    OfficialMeasure,
    OrgStage,
    OrgType,
    Rectification,
    Suspect,
    SuspectStatus,
)
from .workflows import CLUE, NOTICE, RECTIFICATION


class ClueFilter(CaseDetailFilter):
    case_kind = CLUE
    source = django_filters.ChoiceFilter(label=_("线索来源"), choices=ClueSource.choices)
    category = django_filters.ChoiceFilter(label=_("线索类别"), choices=ClueCategory.choices)
    industry = django_filters.ChoiceFilter(label=_("行业领域"), choices=Industry.choices)
    result = django_filters.ChoiceFilter(label=_("核查结果"), choices=ClueResult.choices)

    class Meta:
        model = Clue
        fields = ["q", "township", "status", "sla", "source", "category", "industry", "result", "reported_from",
                  "reported_to"]


class NoticeFilter(CaseDetailFilter):
    case_kind = NOTICE
    notice_kind = django_filters.ChoiceFilter(label=_("文书类型"), choices=NoticeKind.choices)

    class Meta:
        model = Notice
        fields = ["q", "status", "sla", "notice_kind", "reported_from", "reported_to"]


class CrimeOrgFilter(FilterSet):
    org_type = django_filters.ChoiceFilter(label=_("组织类型"), choices=OrgType.choices)
    stage = django_filters.ChoiceFilter(label=_("诉讼阶段"), choices=OrgStage.choices)

    class Meta:
        model = CrimeOrg
        fields = ["org_type", "stage"]


class SuspectFilter(FilterSet):
    name = django_filters.CharFilter(label=_("姓名"), lookup_expr="contains")
    status = django_filters.ChoiceFilter(label=_("诉讼状态"), choices=SuspectStatus.choices)
    org__org_type = django_filters.ChoiceFilter(label=_("组织类型"), choices=OrgType.choices)

    class Meta:
        model = Suspect
        fields = ["name", "status", "org__org_type"]


class AssetFilter(FilterSet):
    measure = django_filters.ChoiceFilter(label=_("措施"), choices=AssetMeasure.choices)
    on_from = django_filters.DateFilter(label=_("日期自"), field_name="on", lookup_expr="gte")
    on_to = django_filters.DateFilter(label=_("日期至"), field_name="on", lookup_expr="lte")

    class Meta:
        model = Asset
        fields = ["measure", "on_from", "on_to"]


class OfficialFilter(FilterSet):
    kind = django_filters.ChoiceFilter(label=_("问题类型"), choices=OfficialKind.choices)
    measure = django_filters.ChoiceFilter(label=_("处理方式"), choices=OfficialMeasure.choices)

    class Meta:
        model = Official
        fields = ["kind", "measure"]


class CandidateFilter(FilterSet):
    disqualified = django_filters.BooleanFilter(label=_("取消资格"))
    election_year = django_filters.NumberFilter(label=_("换届年份"))

    class Meta:
        model = Candidate
        fields = ["disqualified", "election_year"]


class RectificationFilter(CaseDetailFilter):
    case_kind = RECTIFICATION

    class Meta:
        model = Rectification
        fields = ["q", "status", "sla", "reported_from", "reported_to"]
