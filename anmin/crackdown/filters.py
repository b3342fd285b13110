"""Filter bars of the crackdown ledgers."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from anmin.workflow.kit.filters import CaseDetailFilter

from .models import (
    Clue,
    ClueCategory,
    ClueResult,
    ClueSource,
    CrimeOrg,
    Industry,
    Notice,
    NoticeKind,
    OrgStage,
    OrgType,
)
from .workflows import CLUE, NOTICE


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


class CrimeOrgFilter(django_filters.FilterSet):
    org_type = django_filters.ChoiceFilter(label=_("组织类型"), choices=OrgType.choices)
    stage = django_filters.ChoiceFilter(label=_("诉讼阶段"), choices=OrgStage.choices)

    class Meta:
        model = CrimeOrg
        fields = ["org_type", "stage"]
