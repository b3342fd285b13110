"""Filter bar of the grid-event ledger (台账): the kit's case filters plus category and source."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from anmin.workflow.kit.filters import CaseDetailFilter

from .categories import CATEGORIES
from .models import EventSource, GridEvent
from .workflows import GRID_EVENT


class GridEventFilter(CaseDetailFilter):
    case_kind = GRID_EVENT
    category = django_filters.ChoiceFilter(label=_("事件类别"), choices=CATEGORIES.choices)
    source = django_filters.ChoiceFilter(label=_("来源"), choices=EventSource.choices)

    class Meta:
        model = GridEvent
        fields = ["q", "township", "village", "category", "status", "sla", "source", "reported_from",
                  "reported_to"]
