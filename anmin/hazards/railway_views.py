"""Pages of railway hazards on the case kit: the ledger (台账), a hazard with its timeline and the
register form. The steps (下达整改, 整改反馈, 验收销号 …) are the case engine's pages."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from anmin.core.forms import RegionChoiceField
from anmin.core.ledgers import LedgerImportMixin
from anmin.core.tables import Column, Table
from anmin.workflow.kit.filters import CaseDetailFilter
from anmin.workflow.kit.forms import CaseReportForm
from anmin.workflow.kit.tables import CaseColumns
from anmin.workflow.kit.views import CaseDetailPage, CaseLedgerView, CaseReportView
from anmin.workflow.models import Priority

from . import actions
from .importers import RailwayHazardLedger
from .models import RailwayHazard, RailwayHazardCategory
from .workflows import RAILWAY_HAZARD


class RailwayHazardFilter(CaseDetailFilter):
    case_kind = RAILWAY_HAZARD
    category = django_filters.ChoiceFilter(label=_("隐患类别"), choices=RailwayHazardCategory.choices)
    line = django_filters.CharFilter(label=_("铁路线路"), lookup_expr="icontains")

    class Meta:
        model = RailwayHazard
        fields = ["q", "township", "village", "category", "line", "status", "sla", "reported_from", "reported_to"]


class RailwayHazardTable(Table):
    columns = (
        *CaseColumns.head(_("隐患")),
        Column("category", _("隐患类别"), value=lambda h: h.get_category_display(), width=12),
        Column("line", _("铁路线路"), width=12),
        Column("mileage", _("里程"), width=12),
        CaseColumns.place(),
        Column("found_on", _("发现日期"), width=12),
        *CaseColumns.tail(),
    )


class RailwayHazardForm(CaseReportForm):
    region = RegionChoiceField(label=_("所在村(社区)"))
    line = forms.CharField(label=_("铁路线路"), max_length=64, help_text=_("如：郑万高铁、禹亳铁路"))
    # Starts on 请选择 (core.formkit): a form sent untouched registered its first category (危房).
    category = forms.ChoiceField(label=_("隐患类别"), choices=RailwayHazardCategory.choices)
    mileage = forms.CharField(label=_("里程(公里标)"), max_length=32, required=False)
    description = forms.CharField(label=_("隐患情况"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    requirement = forms.CharField(label=_("整改要求"), max_length=500, required=False)
    priority = forms.ChoiceField(label=_("紧急程度"), choices=Priority.choices, initial=Priority.NORMAL,
                                 help_text=_("整改期限：紧急3天，一般15天，疑难复杂（危房危树）30天"))
    found_on = forms.DateField(label=_("发现日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class RailwayHazardLedgerView(LedgerImportMixin, CaseLedgerView):
    """铁路沿线隐患台账: filters, Excel export in the import's own columns, Excel import (?import=1)."""

    model = RailwayHazard
    ledger_class = RailwayHazardLedger
    import_permission = actions.ADD_RAILWAY
    filterset_class = RailwayHazardFilter
    table_class = RailwayHazardTable
    title = _("铁路沿线隐患台账")
    export_name = "铁路沿线隐患台账"
    create_perm = actions.ADD_RAILWAY


class RailwayHazardDetailView(CaseDetailPage):
    model = RailwayHazard
    template_name = "hazards/railway_detail.html"
    ledger_url_name, ledger_title = "hazards:railway_list", _("铁路沿线隐患台账")


class RailwayHazardReportView(CaseReportView):
    template_name = "workflow/kit/report.html"
    form_class = RailwayHazardForm
    scoped_create = actions.ADD_RAILWAY
    title = _("登记铁路沿线隐患")
    ledger_url_name = "hazards:railway_list"
    success_message = _("已登记铁路沿线隐患 %(number)s")
    form_name = "railway-report"

    def report(self, data):
        return actions.report_railway_hazard(actor=self.request.user, **{k: data[k] for k in (
            "region", "line", "category", "mileage", "description", "requirement", "priority", "found_on")})
