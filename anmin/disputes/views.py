"""Pages of the disputes domain on the kit: the ledger (台账) with its Excel import, a dispute with
its mediation and timeline, the phone-width report form, the domain's own steps (mediation session,
outcome, 回访, 民转刑, documents) and the two registries. Every page reads through ``visible_to``;
every write calls ``actions``."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anmin.core import clock
from anmin.core.codes import code_name
from anmin.core.idempotency import IdempotentFormMixin
from anmin.core.ledgers import LedgerImportMixin
from anmin.core.views.base import DetailPage, LedgerView
from anmin.people.models import Person
from anmin.workflow.kit.views import CaseDetailPage, CaseLedgerView, CaseReportView, CaseStepView, DomainAction
from anmin.workflow.rules import may_take

from . import actions
from .actions.disputes import ADD_PERM
from .filters import DisputeFilter, MediationOrgFilter, MediatorFilter
from .forms import CriminalLinkForm, DisputeReportForm, FollowupForm, OutcomeForm, RiskForm, SessionForm
from .importers import DisputeLedger
from .models import Dispute, MediationOrg, Mediator, RiskFlag
from .tables import DisputeTable, MediationOrgTable, MediatorTable


class DisputeLedgerView(LedgerImportMixin, CaseLedgerView):
    """The 台账: filters, Excel export in the import's own columns, and Excel import (?import=1)."""

    model = Dispute
    ledger_class = DisputeLedger
    import_permission = ADD_PERM
    filterset_class = DisputeFilter
    table_class = DisputeTable
    title = _("矛盾纠纷排查化解台账")
    export_name = "矛盾纠纷排查化解台账"
    create_perm, create_label = ADD_PERM, _("上报")
    ordering = ("-found_on", "-pk")

    def get_queryset(self):
        return super().get_queryset().prefetch_related("mediation_org")

    def row_class(self, obj) -> str:
        return f"{obj.case.sla} colour-{obj.colour}"

    def export_response(self, qs):
        ledger = DisputeLedger(user=self.request.user, request=self.request)
        return ledger.export_response(qs.select_related("case__region__parent__parent").prefetch_related("parties"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.may_import():
            ctx["import_url"] = "?import=1"
        return ctx


class DisputeDetailView(CaseDetailPage):
    model = Dispute
    template_name = "disputes/dispute_detail.html"
    tabs = (("info", _("基本情况")), ("parties", _("当事人")), ("mediation", _("调解与结果")))
    ledger_url_name, ledger_title = "disputes:dispute_list", _("矛盾纠纷台账")

    def get_queryset(self):
        return super().get_queryset().select_related("mediation_org")

    def domain_actions(self, d, user) -> list[DomainAction]:
        case, out = d.case, []
        handler = case.is_open and actions.may_attach_document(user, d)
        if handler:
            out.append(DomainAction("session", reverse("disputes:dispute_session", args=[d.pk]), _("添加调解记录")))
        if handler and case.status == "in_progress":
            out.append(DomainAction("outcome", reverse("disputes:dispute_outcome", args=[d.pk]), _("登记调解结果"),
                                    "primary"))
        if handler:
            out.append(DomainAction("risk", reverse("disputes:dispute_risk", args=[d.pk]), _("风险研判")))
        # 民转刑 may come after the mediation ended: offered on a closed dispute too
        if not d.criminal_case_number and actions.may_attach_document(user, d):
            out.append(DomainAction("criminal", reverse("disputes:dispute_criminal", args=[d.pk]), _("登记民转刑")))
        if case.status == "closed" and may_take(user, case, case.workflow.transition("visit").roles):
            out.append(DomainAction("visit", reverse("disputes:dispute_followup", args=[d.pk]), _("回访"),
                                    "primary"))
        return out

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        d = self.object
        ctx["parties"] = parties = list(d.parties.all())
        # a party linked to the person register opens that person's page, for a viewer who sees it
        # (where the ID number is revealed with a reason); for anyone else the tag stays a tag
        linked = {p.person_id for p in parties if p.person_id}
        ctx["people_seen"] = set(Person.objects.visible_to(self.request.user).filter(pk__in=linked)
                                 .values_list("pk", flat=True)) if linked else set()
        ctx["sessions"] = d.sessions.prefetch_related("mediators").select_related("recorded_by")
        flags = {f.code: f for f in RiskFlag.objects.filter(code__in=[*d.risk_flags, *(d.auto_flags or {})])}
        ctx["flags"] = [flags[c] for c in d.risk_flags if c in flags]
        ctx["auto_flags"] = [(flags.get(c), reason) for c, reason in (d.auto_flags or {}).items()]
        ctx["scale_name"] = code_name("event_scale", d.scale)
        ctx["category_name"] = (f"{code_name('dispute_category', d.category[:2])} / "
                                f"{code_name('dispute_category', d.category)}")
        return ctx


class DisputeReportView(CaseReportView):
    """上报矛盾纠纷 (phone width). Needs the add permission; the place must be in the user's area."""

    template_name = "workflow/kit/report.html"
    form_class = DisputeReportForm
    scoped_create = ADD_PERM
    title = _("上报矛盾纠纷")
    ledger_url_name = "disputes:dispute_list"
    form_name = "dispute-report"

    def report(self, data):
        fields = ("title", "region", "category", "scale", "found_on", "source", "address", "people_involved",
                  "amount", "assessed_colour", "risk_flags", "description")
        return actions.report_dispute(actor=self.request.user, parties=DisputeReportForm.parties(data),
                                      **{k: data[k] for k in fields})


class DisputeStepView(CaseStepView):
    """Base of the forms on one dispute (mediation session, outcome, 回访, 民转刑, documents)."""

    model = Dispute
    tab = "mediation"


class SessionView(DisputeStepView):
    form_class = SessionForm
    step_title, done_message = _("添加调解记录"), _("已添加调解记录")

    def refusal(self):
        return None if self.object.case.is_open else _("纠纷已办结，不能再添加调解记录")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "dispute": self.object, "user": self.request.user}

    def step(self, d):
        return actions.record_session(actor=self.request.user, dispute=self.object, held_on=d["held_on"],
                                      method=d["method"], mediators=list(d["mediators"]), record=d["record"])


class OutcomeView(DisputeStepView):
    form_class = OutcomeForm
    step_title, done_message = _("登记调解结果"), _("已登记调解结果，转综治中心核查")

    def get_initial(self):
        # The outcome is most often registered on the day it was reached: today on the business
        # clock, which the form may change (not before the dispute was found, not after today).
        return {**super().get_initial(), "concluded_on": clock.today()}

    def step(self, d):
        return actions.record_outcome(
            actor=self.request.user, dispute=self.object, expected_version=d["version"], outcome=d["outcome"],
            concluded_on=d["concluded_on"], agreement=d["agreement"], agreement_amount=d["agreement_amount"],
            judicial_confirmation=d["judicial_confirmation"], confirmed_on=d["confirmed_on"],
            failed_path=d["failed_path"], withdrawn_reason=d["withdrawn_reason"])


class FollowupView(DisputeStepView):
    form_class = FollowupForm
    step_title, done_message = _("回访"), _("已登记回访")

    def step(self, d):
        return actions.record_followup(actor=self.request.user, dispute=self.object, expected_version=d["version"],
                                       satisfaction=d["satisfaction"], note=d["reason"])


class RiskView(DisputeStepView):
    """风险研判 on a dispute being handled (the dispute's own version: a colour changed by a factor found
    elsewhere meanwhile is told, 409, and the form shown again on the newer state)."""

    form_class = RiskForm
    step_title, done_message = _("风险研判"), _("已更新风险研判")
    tab = "info"

    def refusal(self):
        return None if self.object.case.is_open else _("纠纷已办结，不再研判风险")

    def current_version(self) -> int:
        return self.object.version

    def get_initial(self):
        d = self.object
        return {**super().get_initial(), "assessed_colour": d.assessed_colour, "risk_flags": list(d.risk_flags)}

    def step(self, d):
        return actions.update_risk(actor=self.request.user, dispute=self.object, expected_version=d["version"],
                                   assessed_colour=d["assessed_colour"], risk_flags=list(d["risk_flags"]),
                                   reason=d["reason"])


class CriminalLinkView(DisputeStepView):
    form_class = CriminalLinkForm
    step_title, done_message = _("登记民转刑"), _("已登记民转刑")

    def step(self, d):
        return actions.link_criminal_case(actor=self.request.user, dispute=self.object,
                                          number=d["criminal_case_number"], on=d["criminal_on"], reason=d["reason"])


class DisputeAttachmentView(IdempotentFormMixin, DisputeStepView):
    """上传附件 (调解协议书、调解笔录、证据材料 …) on a dispute. The dispute page lists the documents and
    carries the same form; this page shows it alone and its errors. The file is cleaned by the core
    attachment service (``actions.attach_document``); a retried post stores it once."""

    step_title = _("上传附件")

    def get_form_class(self):
        from anmin.core.attachments.forms import AttachmentForm

        return AttachmentForm

    def get_form_kwargs(self):
        from anmin.core.attachments.actions import registration

        return {**super().get_form_kwargs(), "registration": registration(Dispute)}

    def step(self, d):
        result = actions.attach_document(actor=self.request.user, dispute=self.object, upload=d["file"],
                                         category=d.get("category", ""), note=d["note"], request=self.request)
        self.done_message = _("已上传附件「%(name)s」") % {"name": result.filename}
        return result


class MediationOrgLedgerView(LedgerView):
    model = MediationOrg
    filterset_class = MediationOrgFilter
    table_class = MediationOrgTable
    title = _("人民调解组织")
    export_name = "人民调解组织"

    def get_queryset(self):
        return (super().get_queryset().select_related("region__parent").annotate(n_mediators=Count("mediators"))
                .order_by("region_id", "pk"))


class MediationOrgDetailView(DetailPage):
    model = MediationOrg
    template_name = "disputes/mediationorg_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["mediators"] = Mediator.objects.visible_to(self.request.user).filter(org=self.object)
        return ctx


class MediatorLedgerView(LedgerView):
    model = Mediator
    filterset_class = MediatorFilter
    table_class = MediatorTable
    title = _("人民调解员")
    export_name = "人民调解员"

    def get_queryset(self):
        return super().get_queryset().select_related("org", "region__parent")


class MediatorDetailView(DetailPage):
    model = Mediator
    template_name = "disputes/mediator_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("org", "region")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # A link only to a page the reader may open (a mediator sees themself, not always their committee).
        ctx["org_link"] = MediationOrg.objects.visible_to(self.request.user).filter(pk=self.object.org_id).exists()
        return ctx
