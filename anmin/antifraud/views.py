"""Pages of the anti-fraud domain on the kit: the lead ledger, the station's board of open leads
(sorted by the minutes left, coloured), a lead with its contact log and timeline, the phone-width
forms to log a contact, register the outcome, 回访 and change the grade; the fraud-case ledger and a
case with its victims, suspects and cards."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from anmin.core import clock
from anmin.core.ledgers import LedgerImportMixin
from anmin.core.views.base import DetailPage, LedgerView, ScopedMixin
from anmin.workflow.kit.views import CaseDetailPage, CaseLedgerView, CaseReportView, CaseStepView, DomainAction
from anmin.workflow.rules import may_take

from . import actions
from .filters import FraudCaseFilter, LeadFilter
from .forms import ConcludeForm, ContactForm, GradeForm, LeadReportForm, RevisitForm
from .importers import LeadLedger
from .models import FraudCase, Lead
from .tables import FraudCaseTable, LeadTable
from .workflows import WORKERS


class LeadLedgerView(LedgerImportMixin, CaseLedgerView):
    """预警线索台账: filters, Excel export of the rows shown, Excel import with a dry run (?import=1)."""

    model = Lead
    ledger_class = LeadLedger
    import_permission = actions.ADD_PERM
    filterset_class = LeadFilter
    table_class = LeadTable
    title = _("预警线索台账")
    export_name = "预警线索台账"
    create_perm, create_label = actions.ADD_PERM, _("登记线索")

    def export_response(self, qs):
        """The ledger's own columns, as the background export writes them: the file imports again."""
        ledger = LeadLedger(user=self.request.user, request=self.request)
        return ledger.export_response(qs.select_related("case__region__parent__parent"))


class LeadBoardView(ScopedMixin, TemplateView):
    """The station's board: open leads, least time left first; red past the limit, amber past 75%."""

    model = Lead
    template_name = "antifraud/board.html"

    def get_context_data(self, **kwargs):
        now = clock.now()
        leads = list(self.get_queryset().open().select_related("case", "case__region", "case__handling_org")
                     .order_by("case__due_at", "case_id")[:200])
        rows = []
        for lead in leads:
            due = lead.case.due_at
            left = int((due - now).total_seconds() // 60) if due else None
            rows.append({"lead": lead, "left": left, "sla": lead.case.sla_state(now)})
        return super().get_context_data(title=_("预警线索看板"), rows=rows, now=now, **kwargs)


class LeadDetailView(CaseDetailPage):
    model = Lead
    template_name = "antifraud/lead_detail.html"
    ledger_url_name, ledger_title = "antifraud:lead_list", _("预警线索台账")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["contacts"] = self.object.contacts.select_related("by").order_by("at", "pk")
        return ctx

    def domain_actions(self, lead, user) -> list[DomainAction]:
        case, out = lead.case, []
        if not user.has_perm(actions.CHANGE_PERM) or not may_take(user, case, WORKERS):
            return out
        if case.status in ("new", "dispatched", "contacting"):
            out.append(DomainAction("contact", reverse("antifraud:lead_contact", args=[lead.pk]), _("登记联系"),
                                    "primary"))
            out.append(DomainAction("conclude", reverse("antifraud:lead_conclude", args=[lead.pk]),
                                    _("登记处置结果")))
            out.append(DomainAction("grade", reverse("antifraud:lead_grade", args=[lead.pk]), _("调整等级")))
        if case.status == "concluded":
            out.append(DomainAction("revisit", reverse("antifraud:lead_revisit", args=[lead.pk]), _("回访"),
                                    "primary"))
        return out


class LeadReportView(CaseReportView):
    template_name = "workflow/kit/report.html"
    form_class = LeadReportForm
    scoped_create = actions.ADD_PERM
    title = _("登记预警线索")
    ledger_url_name = "antifraud:lead_list"
    success_message = _("已登记预警线索 %(number)s")
    form_name = "lead-report"

    def report(self, data):
        return actions.report_lead(actor=self.request.user, **data)


class LeadStepView(CaseStepView):
    model = Lead


class ContactView(LeadStepView):
    form_class = ContactForm
    step_title, done_message = _("登记联系"), _("已登记联系记录")

    def step(self, d):
        return actions.record_contact(actor=self.request.user, lead=self.object, method=d["method"],
                                      result=d["result"], note=d["note"], expected_version=d["version"])


class ConcludeView(LeadStepView):
    form_class = ConcludeForm
    step_title, done_message = _("登记处置结果"), _("已登记处置结果")

    def step(self, d):
        return actions.conclude_lead(actor=self.request.user, lead=self.object, outcome=d["outcome"],
                                     expected_version=d["version"], note=d["note"],
                                     amount_protected=d["amount_protected"], amount_lost=d["amount_lost"],
                                     police_case_number=d["police_case_number"])


class RevisitView(LeadStepView):
    form_class = RevisitForm
    step_title, done_message = _("回访"), _("已登记回访")

    def step(self, d):
        return actions.revisit_lead(actor=self.request.user, lead=self.object, note=d["note"],
                                    expected_version=d["version"])


class GradeView(LeadStepView):
    form_class = GradeForm
    step_title, done_message = _("调整预警等级"), _("已调整预警等级")

    def get_initial(self):
        return {**super().get_initial(), "grade": self.object.case.priority}

    def step(self, d):
        return actions.override_grade(actor=self.request.user, lead=self.object, grade=d["grade"],
                                      reason=d["reason"], expected_version=d["version"])


class FraudCaseLedgerView(LedgerView):
    model = FraudCase
    filterset_class = FraudCaseFilter
    table_class = FraudCaseTable
    title = _("电诈案件台账")
    export_name = "电诈案件台账"

    def get_queryset(self):
        return super().get_queryset().select_related("region__parent__parent").order_by("-filed_on", "-pk")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.request.user.has_perm(actions.cases.ADD_PERM):
            ctx["create_url"], ctx["create_label"] = reverse("antifraud:case_register"), _("登记电诈案件")
        return ctx


class FraudCaseDetailView(DetailPage):
    model = FraudCase
    template_name = "antifraud/case_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        fc = self.object
        ctx.update(victims=fc.victims.all(), suspects=fc.suspects.all(), cards=fc.cards.order_by("kind", "pk")[:200],
                   card_count=fc.cards.count(), frozen=fc.cards.filter(frozen_on__isnull=False).count(),
                   leads=fc.leads.select_related("case"),
                   may_change=self.request.user.has_perm(actions.cases.CHANGE_PERM)
                   and FraudCase.objects.visible_to(self.request.user, "change").filter(pk=fc.pk).exists())
        return ctx
