"""Pages of the case engine: 我的待办, the case ledger, a case with its timeline and steps, and
supervision notices. Every page reads through ``visible_to``; every write calls ``actions``."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from anmin.core import clock, references
from anmin.core.errors import ActionError, apply_to_form, run_action
from anmin.core.idempotency import IdempotentFormMixin
from anmin.core.views.base import DetailPage, LedgerView, ScopedMixin

from . import actions
from .definitions import SUPERVISE
from .filters import CaseFilter, InboxFilter, SupervisionFilter
from .forms import ActionForm, ReplyForm, TaskForm
from .models import Case, CaseTodo, Supervision
from .registry import get_kind
from .rules import available_actions
from .tables import CaseTable, SupervisionTable

CASE_RELATED = ("region__parent__parent", "center_org", "handling_org", "handler")
CASE_PLACES = ("region", "center_org", "handling_org")  # core.references


class CaseLedgerBase(LedgerView):
    """事项台账: every case kind in the user's scope, with filters and Excel export; users who may
    register 交办事项 get the form at the top (``?new=1``)."""

    model = Case
    template_name = "workflow/case_ledger.html"
    filterset_class = CaseFilter
    table_class = CaseTable
    title = _("事项台账")
    export_name = "事项台账"
    references = ("region", "center_org", "handling_org")  # a page's from core.references

    def get_queryset(self):
        related = ("handler",) if self.for_page else CASE_RELATED
        return super().get_queryset().select_related(*related).order_by("-opened_at", "-pk")

    def row_class(self, obj) -> str:
        return obj.sla

    def may_create(self) -> bool:
        return self.request.user.has_perm("workflow.add_case")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.may_create():
            ctx["create_url"] = "?new=1"
            if self.request.GET.get("new") or kwargs.get("task_form") is not None:
                ctx["task_form"] = kwargs.get("task_form") or TaskForm(user=self.request.user)
        return ctx

    def post(self, request, *args, **kwargs):
        if not self.may_create():
            raise Http404
        form = TaskForm(request.POST, user=request.user)
        if form.is_valid():
            case, _status = run_action(form, lambda: self.create_task(form))
            if case is not None:
                messages.success(request, _("已登记交办事项 %(number)s") % {"number": case.number})
                return HttpResponseRedirect(case.domain_url or case.get_absolute_url())
        return self.render_to_response(self.get_context_data(task_form=form))

    def create_task(self, form) -> Case:
        data = form.cleaned_data
        return actions.open_task(actor=self.request.user, title=data["title"], description=data["description"],
                                 region=data["region"], priority=data["priority"],
                                 target_org=data.get("target_org") or None)


class CaseLedgerView(IdempotentFormMixin, CaseLedgerBase):
    """The ledger page; its 交办事项 form post honours the idempotency key (a retry creates one case)."""


INBOX_TABS = (("me", _("我的待办")), ("org", _("本单位待办")), ("done", _("已办")), ("reported", _("我上报的")))


class InboxView(LedgerView):
    """我的待办: open items waiting for me (or, on the second tab, for my unit), the most overdue first,
    then by the time that is left, with counts per state and kind; 已办 and 我上报的 on their own tabs."""

    model = CaseTodo
    template_name = "workflow/inbox.html"
    filterset_class = InboxFilter
    table_class = CaseTable
    title = _("我的待办")
    export_name = "我的待办"

    def scope(self) -> str:
        who = self.request.GET.get("who") or "me"
        if who == "org" and not self.request.user.org_unit_id:
            return "me"
        return who if who in dict(INBOX_TABS) else "me"

    def get_queryset(self):
        user, who = self.request.user, self.scope()
        qs = super().get_queryset()
        qs = {"org": lambda: qs.inbox_for_org(user.org_unit_id), "done": lambda: qs.done_by(user),
              "reported": lambda: qs.reported_by(user)}.get(who, lambda: qs.inbox_for_user(user))()
        return qs.select_related(*CASE_RELATED)

    def row_class(self, obj) -> str:
        return obj.sla

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["who"] = who = self.scope()
        ctx["tabs"] = [(k, label) for k, label in INBOX_TABS if k != "org" or user.org_unit_id]
        ctx["now"] = clock.now()
        ctx["title"] = dict(INBOX_TABS)[who]
        if who in ("me", "org"):
            ctx["counts"] = self.counts(self.get_queryset())
        if user.org_unit_id:
            ctx["open_supervisions"] = (
                Supervision.objects.visible_to(user).addressed_to(user.org_unit_id).unreplied()
                .select_related("case", "centre_org").order_by("reply_due_at", "issued_at")[:20]
            )
        return ctx

    def counts(self, qs) -> dict:
        """How many wait, per kind and state, and how many are overdue or near their deadline."""
        now = clock.now()
        rows = qs.order_by().values_list("kind", "status").annotate(n=Count("pk"))
        per: dict[tuple[str, str], int] = {}
        for kind, status, n in rows:
            per[(kind, status)] = n
        shown = []
        for (kind, status), n in sorted(per.items()):
            try:
                k = get_kind(kind)
                shown.append((k.display_label, k.workflow.state(status).display_label, n, kind, status))
            except LookupError:
                shown.append((kind, status, n, kind, status))
        return {"total": sum(per.values()), "overdue": qs.overdue(now).count(), "warning": qs.warning(now).count(),
                "by_state": shown}


class CaseDetailView(DetailPage):
    model = Case
    template_name = "workflow/case_detail.html"

    def get_queryset(self):
        # The place and the units from the process's tables (core.references), not joined: nine tables
        # joined took PostgreSQL 2.5–4.4 ms to plan for a statement that ran in 0.5 ms.
        return super().get_queryset().select_related("handler", "reporter", "duplicate_of")

    def get_object(self, queryset=None):
        case = super().get_object(queryset)
        references.attach([case], *CASE_PLACES)
        return case

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        case, user = self.object, self.request.user
        ctx["timeline"] = case.events.select_related("actor").order_by("seq")
        ctx["actions"] = available_actions(case, user)
        ctx["supervisions"] = (Supervision.objects.visible_to(user).filter(case=case)
                               .select_related("to_org", "centre_org", "issued_by"))
        ctx["co_orgs"] = case.co_orgs.all()
        ctx["domain_url"] = case.domain_url
        if case.pending_transition:
            t = case.workflow.transition(case.pending_transition)
            ctx["pending_label"] = t.display_label if t else case.pending_transition
        return ctx


class CaseActView(ScopedMixin, DetailView):
    """One step on a case (``?t=<name>``): the form, then ``actions.transition_case``. A stale
    version answers 409 with the newer state shown."""

    model = Case
    template_name = "workflow/case_act.html"
    context_object_name = "case"

    def get_queryset(self):
        return super().get_queryset().select_related(*CASE_RELATED)

    def chosen(self, case, name: str | None):
        acts = available_actions(case, self.request.user)
        return acts, next((a for a in acts if a.name == name), None)

    def domain_step_refusal(self, case, name: str | None) -> str | None:
        """Why a step the case's domain owns is not offered here (its own page takes it)."""
        try:
            kind = case.kind_def
        except LookupError:
            return None
        t = case.workflow.transition(name or "")
        if t is None or not kind.owns(t.name):
            return None
        where = kind.domain_step_labels.get(t.name) or t.display_label
        return _("「%(step)s」须在%(kind)s页面通过「%(where)s」办理。") % {
            "step": t.display_label, "kind": kind.display_label, "where": where}

    def get(self, request, *args, **kwargs):
        self.object = case = self.get_object()
        acts, act = self.chosen(case, request.GET.get("t"))
        if act is None and (refusal := self.domain_step_refusal(case, request.GET.get("t"))):
            messages.error(request, refusal)
        form = ActionForm(action=act, user=request.user, initial={"version": case.version}) if act else None
        return self.render_to_response(self.get_context_data(actions=acts, act=act, form=form))

    def post(self, request, *args, **kwargs):
        self.object = case = self.get_object()
        acts, act = self.chosen(case, request.POST.get("t"))
        if act is None:
            refusal = self.domain_step_refusal(case, request.POST.get("t"))
            if refusal:
                messages.error(request, refusal)
                return self.render_to_response(self.get_context_data(actions=acts, act=None, form=None), status=403)
            if request.POST.get("version") == str(case.version):
                messages.error(request, _("您不能对此事项执行该操作"))
                return self.render_to_response(self.get_context_data(actions=acts, act=None, form=None), status=403)
            # The step is gone because someone else moved the case on meanwhile.
            conflict = _(
                "此事项在您打开后已被他人更新，当前状态为「%(status)s」，该操作已不可用。请查看最新情况。"
            ) % {"status": case.status_label}
            return self.render_to_response(self.get_context_data(actions=acts, act=None, form=None,
                                                                 conflict=conflict), status=409)
        form = ActionForm(request.POST, action=act, user=request.user)
        if form.is_valid():
            try:
                self.perform(case, act, form.cleaned_data)
            except actions.CaseConflict as exc:
                self.object = exc.case
                # the form again on the newer version, with what the user typed (as the kit's CaseStepView)
                fresh = ActionForm(action=act, user=request.user,
                                   initial={**form.cleaned_data, "version": exc.case.version})
                return self.render_to_response(
                    self.get_context_data(actions=available_actions(exc.case, request.user), act=act, form=fresh,
                                          conflict=exc.message, case=exc.case),
                    status=409,
                )
            except ActionError as exc:
                apply_to_form(form, exc)
                return self.render_to_response(self.get_context_data(actions=acts, act=act, form=form),
                                               status=exc.status)
            else:
                messages.success(request, _("已执行「%(label)s」") % {"label": act.label})
                return HttpResponseRedirect(case.domain_url or case.get_absolute_url())
        return self.render_to_response(self.get_context_data(actions=acts, act=act, form=form))

    def perform(self, case, act, data):
        user = self.request.user
        if act.name == SUPERVISE:  # a notice does not change the case, so no version check
            actions.issue_supervision(case=case, actor=user, reason=data["reason"], to_org=data.get("to_org"))
            return
        extra = {k: data[k] for k in ("days", "result", "satisfaction", "duplicate_of") if data.get(k) not in
                 (None, "")}
        actions.transition_case(
            case=case, actor=user, transition=act.name, expected_version=data["version"], reason=data["reason"],
            data=extra, target_org=data.get("target_org"), target_user=data.get("target_user"),
        )


class SupervisionLedgerView(LedgerView):
    model = Supervision
    filterset_class = SupervisionFilter
    table_class = SupervisionTable
    title = _("督办")
    export_name = "督办台账"

    def get_queryset(self):
        return super().get_queryset().select_related("case", "to_org", "centre_org").order_by("-issued_at", "-pk")

    def row_class(self, obj) -> str:
        late = not obj.replied_at and obj.reply_due_at and obj.reply_due_at < self.now
        return "overdue" if late else ""

    def get_context_data(self, **kwargs):
        self.now = clock.now()
        return super().get_context_data(**kwargs)


class SupervisionDetailView(DetailPage):
    """A supervision notice; members of the supervised unit sign for it (签收) and reply here."""

    model = Supervision
    template_name = "workflow/supervision_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("case", "to_org", "centre_org", "issued_by", "served_by",
                                                     "replied_by")

    def may_answer(self) -> bool:
        user = self.request.user
        return bool(user.org_unit_id) and user.org_unit_id == self.object.to_org_id

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["may_answer"] = self.may_answer() and self.object.replied_at is None
        if ctx["may_answer"]:
            ctx.setdefault("form", kwargs.get("form") or ReplyForm())
        ctx["case_visible"] = Case.objects.visible_to(self.request.user).filter(pk=self.object.case_id).exists()
        ctx["now"] = clock.now()
        return ctx

    def post(self, request, *args, **kwargs):
        self.object = supervision = self.get_object()
        form = ReplyForm(request.POST) if request.POST.get("do") == "reply" else None
        try:
            if form is None:
                actions.serve_supervision(supervision=supervision, actor=request.user)
                messages.success(request, _("已签收督办"))
                return HttpResponseRedirect(supervision.get_absolute_url())
            if form.is_valid():
                actions.reply_supervision(supervision=supervision, actor=request.user, reply=form.cleaned_data["reply"])
                messages.success(request, _("已回复督办"))
                return HttpResponseRedirect(supervision.get_absolute_url())
        except ActionError as exc:
            if form is None:
                messages.error(request, exc.message)
                return HttpResponseRedirect(supervision.get_absolute_url())
            apply_to_form(form, exc)
        return self.render_to_response(self.get_context_data(form=form))
