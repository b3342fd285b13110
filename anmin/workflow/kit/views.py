"""Pages of a case domain: its ledger, a record with its case and timeline, the report form and the
forms of the domain's own steps. A domain subclasses them and names its model, form and action."""

from __future__ import annotations

from typing import Any, ClassVar, NamedTuple

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from anmin.core.errors import run_action
from anmin.core.idempotency import IdempotentFormMixin
from anmin.core.views.base import DetailPage, InvalidFormIs400, LedgerView, ScopedMixin

from ..rules import available_actions


class DomainAction(NamedTuple):
    name: str
    url: str
    label: str
    style: str = ""


CASE_JOINED = ("case", "case__region")
CASE_PEOPLE = ("case__reporter", "case__handler")
CASE_PREFETCHED = ("case__region__parent__parent", "case__handling_org", "case__center_org", *CASE_PEOPLE)
CASE_REFERENCES = ("case.region", "case.handling_org", "case.center_org")  # core.references, on a page
CASE_RELATED = ("case", *CASE_PREFETCHED)


class CaseLedgerView(LedgerView):
    """A domain's 台账: its detail rows with their cases, newest first, the rows drawn fast.

    Joins only the case; the people come by primary key in small queries (a wide join costs
    PostgreSQL more to plan than to run on every page view), the place and the units from the
    process's reference tables (``core.references``); an export joins them all."""

    template_name = "anmin/ledger.html"
    ordering: ClassVar[tuple[str, ...]] = ("-case__opened_at", "-case_id")
    create_perm: ClassVar[str | None] = None
    create_label: ClassVar[Any] = _("上报")
    references = CASE_REFERENCES

    def get_queryset(self):
        if self.for_page:
            # Newest first by the case's opening, the page (unfiltered) is read part by part of the
            # visibility condition (core.branchpage), as the case ledger's: a township's 50 newest from
            # its index (8 → 1 ms of SQL) instead of the table walked. A ledger in an order of its own
            # (disputes by the day found) is read so when the detail keeps its township beside that order
            # (``township_copy_field``: the part's index); without one, as one query.
            by_branch = self.ordering[0] == "-case__opened_at" or bool(self.model.scope.township_field)
            qs = self.model.objects.visible_to(self.request.user, self.scope_action, by_branch=by_branch)
            qs = qs.select_related("case").prefetch_related(*CASE_PEOPLE)
        else:
            qs = super().get_queryset().select_related(*CASE_JOINED).prefetch_related(*CASE_PREFETCHED)
        return qs.order_by(*self.ordering)

    def row_class(self, obj) -> str:
        return obj.case.sla

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.create_perm and self.request.user.has_perm(self.create_perm):
            ctx["create_url"], ctx["create_label"] = "report/", self.create_label
        return ctx


class CaseDetailPage(DetailPage):
    """A domain record with its case: summary, the steps the user may take on the generic case page,
    the domain's own steps (``domain_actions``), and the timeline."""

    template_name = "workflow/kit/detail.html"
    ledger_url_name: ClassVar[str] = ""
    ledger_title: ClassVar[Any] = ""

    def get_queryset(self):
        return super().get_queryset().select_related(*CASE_RELATED)

    def domain_actions(self, obj, user) -> list[DomainAction]:
        """The domain's own steps the user may take now (buttons beside the case's steps)."""
        return []

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj, user = self.object, self.request.user
        case = obj.case
        ctx.update(case=case, timeline=case.events.select_related("actor").order_by("seq"),
                   case_actions=available_actions(case, user), domain_actions=self.domain_actions(obj, user),
                   ledger_url_name=self.ledger_url_name, ledger_title=self.ledger_title)
        return ctx


class CaseReportView(InvalidFormIs400, IdempotentFormMixin, FormView):
    """The phone-width report form of a domain. Needs ``scoped_create`` (anyone else: 404, the page does
    not exist for them); a retried post (same idempotency key) creates one record. Subclasses say how
    the form's data becomes the action's call in ``report(data)``."""

    template_name = "workflow/kit/report.html"
    scoped_create: ClassVar[str] = ""  # the add permission (the authorization matrix reads it)
    title: ClassVar[Any] = ""
    ledger_url_name: ClassVar[str] = ""
    success_message: ClassVar[Any] = _("已上报：%(number)s")
    form_name: ClassVar[str] = "report"  # the form's data-form attribute (what browser tests click)
    # With no network the phone keeps the report in its outbox and sends it later (docs/offline.md):
    # to ``offline_api`` (an API create URL name, with an Idempotency-Key) or else to this page again
    # (with the form's idempotency_key). ``offline = False`` leaves the form online only.
    offline: ClassVar[bool] = True
    offline_api: ClassVar[str] = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.scoped_create):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        offline = {}
        if self.offline:
            offline = {"offline_url": reverse(self.offline_api) if self.offline_api else self.request.path,
                       "offline_mode": "api" if self.offline_api else "page"}
        return super().get_context_data(title=self.title, ledger_url_name=self.ledger_url_name,
                                        form_name=self.form_name, **offline, **kwargs)

    def report(self, data: dict) -> Any:
        raise NotImplementedError

    def form_valid(self, form):
        obj, status = run_action(form, lambda: self.report(form.cleaned_data))
        if obj is None:
            return self.render_to_response(self.get_context_data(form=form), status=status)
        messages.success(self.request, self.success_message % {"number": obj.case.number})
        return HttpResponseRedirect(obj.get_absolute_url())


class CaseStepView(InvalidFormIs400, ScopedMixin, FormView):
    """A form of one of the domain's own steps on one record (``<pk>``). ``step(data)`` calls the
    action; its errors go onto the form (400/403/404), a conflict re-shows the form on the newer
    version (409)."""

    template_name = "workflow/kit/step.html"
    step_title: ClassVar[Any] = ""
    tab: ClassVar[str] = ""
    done_message: ClassVar[Any] = _("已保存")
    related: ClassVar[tuple[str, ...]] = CASE_RELATED

    def dispatch(self, request, *args, **kwargs):
        self.object = self.get_queryset().select_related(*self.related).filter(pk=kwargs["pk"]).first()
        if self.object is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, title=self.step_title, **kwargs)

    def refusal(self) -> Any:
        """Why the step cannot be taken on the record as it stands (a closed dispute takes no more
        sessions), or None. The record's page offers no button then; an address typed or kept from
        before answers with the reason on the record's page instead of a form that refuses only when
        sent. The action checks it again on the POST."""
        return None

    def get(self, request, *args, **kwargs):
        reason = self.refusal()
        if reason:
            messages.warning(request, reason)
            url = self.object.get_absolute_url()
            return HttpResponseRedirect(f"{url}?tab={self.tab}" if self.tab else url)
        return super().get(request, *args, **kwargs)

    def current_version(self) -> int:
        """The version the step's form carries: the case's (every step of the engine). A step on a
        detail that keeps a version of its own (a dispute's 风险研判) returns that one."""
        return self.object.case.version

    def get_initial(self):
        return {"version": self.current_version()}

    def step(self, data: dict) -> Any:
        raise NotImplementedError

    def form_valid(self, form):
        result, status = run_action(form, lambda: self.step(form.cleaned_data))
        if status == 409:  # show the form again on the newer version, with what the user typed
            self.object.refresh_from_db()  # its cached case too: read afresh when asked for
            said = form.non_field_errors()
            form = self.get_form_class()(**{**self.get_form_kwargs(), "data": None, "files": None,
                                            "initial": {**form.cleaned_data, "version": self.current_version()}})
            form.cleaned_data = {}
            for message in said:
                form.add_error(None, message)
        if result is None:
            return self.render_to_response(self.get_context_data(form=form), status=status)
        messages.success(self.request, self.done_message)
        url = self.object.get_absolute_url()
        return HttpResponseRedirect(f"{url}?tab={self.tab}" if self.tab else url)
