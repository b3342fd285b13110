"""Pages of the disputes domain: the ledger (台账), a dispute with its mediation and timeline, the
phone-width report form, mediation records and outcomes, and the two registries.

Every page reads through ``visible_to``; every write calls ``actions``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from anmin.core.codes import code_name
from anmin.core.ledgers import LedgerImportMixin
from anmin.core.views.base import DetailPage, LedgerView, ScopedMixin
from anmin.workflow import actions as case_actions
from anmin.workflow.definitions import CENTRE_ROLES, HANDLER
from anmin.workflow.rules import available_actions, may_take

from . import actions
from .filters import DisputeFilter, MediationOrgFilter, MediatorFilter
from .forms import CriminalLinkForm, DisputeReportForm, OutcomeForm, SessionForm
from .importers import DisputeLedger
from .models import Dispute, MediationOrg, Mediator, RiskFlag
from .tables import DisputeTable, MediationOrgTable, MediatorTable

try:
    from anmin.core.idempotency import IdempotentFormMixin
except ImportError:  # pragma: no cover

    class IdempotentFormMixin:  # type: ignore[no-redef]
        pass


DISPUTE_RELATED = ("case", "case__region__parent", "case__handling_org", "case__handler", "mediation_org")


def apply_errors(form, exc: ValidationError) -> None:
    """Put an action's field errors on the form fields they name (the rest on the form)."""
    for field, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
        target = field if field in form.fields else None
        for e in errors:
            form.add_error(target, e)


class DisputeLedgerView(LedgerImportMixin, LedgerView):
    """The 台账: filters, Excel export in the import's own columns, and Excel import (?import=1)."""

    model = Dispute
    ledger_class = DisputeLedger
    import_permission = "disputes.add_dispute"
    template_name = "disputes/dispute_ledger.html"
    filterset_class = DisputeFilter
    table_class = DisputeTable
    title = _("矛盾纠纷排查化解台账")
    export_name = "矛盾纠纷排查化解台账"

    def get_queryset(self):
        # Join only the case and its place; the rest by primary key in a few small queries (a wide
        # join costs PostgreSQL more to plan than to run on every page view).
        return (super().get_queryset().select_related("case", "case__region")
                .prefetch_related("case__region__parent__parent", "case__handling_org", "case__handler",
                                  "mediation_org")
                .order_by("-found_on", "-pk"))

    def export_response(self, qs):
        ledger = DisputeLedger(user=self.request.user, request=self.request)
        return ledger.export_response(qs.select_related("case__region__parent__parent").prefetch_related("parties"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.may_import():
            ctx["create_url"] = "report/"
            ctx["import_url"] = "?import=1"
        return ctx


class DisputeDetailView(DetailPage):
    model = Dispute
    template_name = "disputes/dispute_detail.html"
    tabs = (("info", _("基本情况")), ("parties", _("当事人")), ("mediation", _("调解与结果")))

    def get_queryset(self):
        return super().get_queryset().select_related(*DISPUTE_RELATED, "case__reporter", "case__center_org")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        d, user = self.object, self.request.user
        case = d.case
        ctx["case"] = case
        ctx["timeline"] = case.events.select_related("actor").order_by("seq")
        ctx["case_actions"] = available_actions(case, user)
        ctx["parties"] = d.parties.all()
        ctx["sessions"] = d.sessions.prefetch_related("mediators").select_related("recorded_by")
        ctx["flags"] = RiskFlag.objects.filter(code__in=d.risk_flags)
        ctx["scale_name"] = code_name("event_scale", d.scale)
        ctx["may_mediate"] = case.is_open and may_take(user, case, (HANDLER, *CENTRE_ROLES))
        ctx["may_conclude"] = ctx["may_mediate"] and case.status == "in_progress"
        return ctx


class DisputeReportView(IdempotentFormMixin, FormView):
    """上报矛盾纠纷 (phone width). Needs the add permission; the place must be in the user's area."""

    template_name = "disputes/dispute_report.html"
    form_class = DisputeReportForm
    scoped_create = "disputes.add_dispute"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("disputes.add_dispute"):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            dispute = actions.report_dispute(
                actor=self.request.user,
                title=data["title"],
                region=data["region"],
                category=data["category"],
                scale=data["scale"],
                found_on=data["found_on"],
                parties=form.parties(),
                source=data["source"],
                address=data["address"],
                people_involved=data["people_involved"],
                amount=data["amount"],
                assessed_colour=data["assessed_colour"],
                risk_flags=data["risk_flags"],
                description=data["description"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已上报：%(number)s") % {"number": dispute.case.number})
        return HttpResponseRedirect(dispute.get_absolute_url())


class DisputeStepView(ScopedMixin, FormView):
    """Base of the forms on one dispute (mediation session, outcome, 民转刑)."""

    model = Dispute
    template_name = "disputes/dispute_step.html"
    step_title = ""

    def dispatch(self, request, *args, **kwargs):
        self.dispute = self.get_queryset().select_related(*DISPUTE_RELATED).filter(pk=kwargs["pk"]).first()
        if self.dispute is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(dispute=self.dispute, title=self.step_title, **kwargs)

    def done(self, message):
        messages.success(self.request, message)
        return HttpResponseRedirect(self.dispute.get_absolute_url() + "?tab=mediation")

    def run(self, form, fn, **kwargs):
        try:
            return fn(actor=self.request.user, dispute=self.dispute, **kwargs), None
        except ValidationError as exc:
            apply_errors(form, exc)
        except case_actions.CaseConflict as exc:
            form.add_error(None, exc.message)
            return None, 409
        except case_actions.WorkflowError as exc:
            form.add_error(None, exc.message)
            return None, 403
        return None, 200


class SessionView(DisputeStepView):
    form_class = SessionForm
    step_title = _("添加调解记录")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "dispute": self.dispute, "user": self.request.user}

    def form_valid(self, form):
        d = form.cleaned_data
        result, status = self.run(
            form,
            actions.record_session,
            held_on=d["held_on"],
            method=d["method"],
            mediators=list(d["mediators"]),
            record=d["record"],
        )
        if result is None:
            return self.render_to_response(self.get_context_data(form=form), status=status)
        return self.done(_("已添加调解记录"))


class OutcomeView(DisputeStepView):
    form_class = OutcomeForm
    step_title = _("登记调解结果")

    def get_initial(self):
        return {"version": self.dispute.case.version, "concluded_on": None}

    def form_valid(self, form):
        d = form.cleaned_data
        result, status = self.run(
            form,
            actions.record_outcome,
            expected_version=d["version"],
            outcome=d["outcome"],
            concluded_on=d["concluded_on"],
            agreement=d["agreement"],
            agreement_amount=d["agreement_amount"],
            judicial_confirmation=d["judicial_confirmation"],
            confirmed_on=d["confirmed_on"],
            failed_path=d["failed_path"],
            withdrawn_reason=d["withdrawn_reason"],
        )
        if result is None:
            if status == 409:
                self.dispute.case.refresh_from_db()
                form = OutcomeForm(initial={**form.cleaned_data, "version": self.dispute.case.version})
                form.add_error(
                    None,
                    _("此纠纷已被他人更新（当前状态「%(s)s」），请核对后重新提交")
                    % {"s": self.dispute.case.status_label},
                )
            return self.render_to_response(self.get_context_data(form=form), status=status)
        return self.done(_("已登记调解结果，转综治中心核查"))


class CriminalLinkView(DisputeStepView):
    form_class = CriminalLinkForm
    step_title = _("登记民转刑")

    def form_valid(self, form):
        d = form.cleaned_data
        result, status = self.run(
            form, actions.link_criminal_case, number=d["criminal_case_number"], on=d["criminal_on"], reason=d["reason"]
        )
        if result is None:
            return self.render_to_response(self.get_context_data(form=form), status=status)
        return self.done(_("已登记民转刑"))


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


class DisputeAttachmentView(IdempotentFormMixin, DisputeStepView):
    """上传附件 (调解协议书、调解笔录、证据材料 …) on a dispute. The dispute page lists the documents and
    carries the same form; this page shows it alone and its errors. The file is cleaned by the core
    attachment service (``actions.attach_document``)."""

    step_title = _("上传附件")

    def get_form_class(self):
        from anmin.core.attachments.forms import AttachmentForm

        return AttachmentForm

    def get_form_kwargs(self):
        from anmin.core.attachments.actions import registration

        return {**super().get_form_kwargs(), "registration": registration(Dispute)}

    def form_valid(self, form):
        d = form.cleaned_data
        result, status = self.run(form, actions.attach_document, upload=d["file"], category=d.get("category", ""),
                                  note=d["note"], request=self.request)
        if result is None:
            return self.render_to_response(self.get_context_data(form=form), status=status)
        return self.done(_("已上传附件「%(name)s」") % {"name": result.filename})
