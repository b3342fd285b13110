"""Pages of severe-mental-disorder care (mounted at /care/): the patients' ledgers, a patient, the
approval of level changes, follow-ups (recorded from the person, at phone width), the care team, the
guardian subsidy and incidents. Built on people's ledger and register pages; every write through
``care.actions``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from anmin.core.errors import ActionError, as_action_error, run_action
from anmin.core.idempotency import run_form_post
from anmin.core.links import pk_param
from anmin.core.views.base import DetailPage
from anmin.people.models import SPECIAL_PERM
from anmin.people.models.choices import AssessmentStatus, AwardStatus, TeamRole, WarningKind
from anmin.people.views import RECORD_RELATED, PeopleLedgerView, PersonPage, SpecialDetailView, special_ledger

from . import actions, forms, rules
from .filters import AssessmentFilter, IncidentFilter, PatientFilter, PaymentFilter, SubsidyFilter, VisitFilter
from .importers import PatientLedger
from .models import (
    CareTeamMember,
    FollowUpWarning,
    GuardianSubsidy,
    Incident,
    MentalPatient,
    RiskAssessment,
    SubsidyAward,
    SubsidyPayment,
    Visit,
)
from .tables import (
    AssessmentTable,
    IncidentTable,
    OverdueTable,
    PatientTable,
    PaymentTable,
    SubsidyTable,
    TeamTable,
    VisitTable,
)

_run = run_action


class CareLedgerView(PeopleLedgerView):
    """A care ledger: people's ledger page (filters, masked export, exact lookup by ID or phone)."""


# --- ledgers ------------------------------------------------------------------------------------------

MentalLedgerView = special_ledger(
    MentalPatient,
    PatientTable,
    PatientLedger,
    filterset_class=PatientFilter,
    title=_("严重精神障碍患者"),
    export_name="严重精神障碍患者台账",
    ordering=("-risk_level", "next_followup_on", "pk"),
)


class OverdueLedgerView(CareLedgerView):
    """随访逾期: patients whose follow-up date has passed, with whether the sweep has warned."""

    lookup_path = "person"
    model = MentalPatient
    filterset_class = PatientFilter
    table_class = OverdueTable
    title = _("随访逾期")
    export_name = "随访逾期患者"
    related = (*RECORD_RELATED, "person__grid_worker")
    template_name = "care/overdue.html"

    def row_class(self, obj) -> str:
        return "overdue"

    def get_queryset(self):
        today = rules.today()
        warned = FollowUpWarning.objects.filter(
            patient=OuterRef("pk"), kind=WarningKind.OVERDUE, due_on=OuterRef("next_followup_on")
        )
        return super().get_queryset().overdue(today).annotate(warned=Exists(warned)).order_by("next_followup_on", "pk")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = rules.today()
        for p in ctx["page_obj"].object_list:
            p.overdue_days = (today - p.next_followup_on).days
        ctx["today"] = today
        soon = today + dt.timedelta(days=rules.current_rules()["due_soon_days"])
        ctx["due_soon"] = (
            self.model.objects.visible_to(self.request.user)
            .active()
            .filter(next_followup_on__gte=today, next_followup_on__lte=soon)
            .select_related(*RECORD_RELATED)
            .order_by("next_followup_on")[:50]
        )
        return ctx


class TeamIncompleteLedgerView(CareLedgerView):
    """管理小组不全: patients whose "五位一体" team lacks a configured place."""

    lookup_path = "person"
    model = MentalPatient
    filterset_class = PatientFilter
    table_class = TeamTable
    title = _("管理小组不全")
    export_name = "管理小组不全患者"
    related = RECORD_RELATED

    def get_queryset(self):
        return super().get_queryset().active().team_incomplete(rules.team_groups()).order_by("-risk_level", "pk")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rows = list(ctx["page_obj"].object_list)
        labels = dict(TeamRole.choices)
        present: dict[int, set[str]] = {}
        for pid, role in CareTeamMember.objects.filter(patient__in=rows, until__isnull=True).values_list(
            "patient_id", "role"
        ):
            present.setdefault(pid, set()).add(role)
        for p in rows:
            missing = rules.missing_team_roles(present.get(p.pk, set()))
            p.missing_labels = ["/".join(str(labels[r]) for r in group) for group in missing]
        return ctx


class AssessmentLedgerView(CareLedgerView):
    """危险性评估与等级变更审批 (pending first)."""

    lookup_path = "patient__person"
    model = RiskAssessment
    filterset_class = AssessmentFilter
    table_class = AssessmentTable
    title = _("危险性评估与审批")
    export_name = "危险性评估"
    related = ("patient__person__region__parent__parent", "assessor")

    def get_queryset(self):
        pending_first = Q(status=AssessmentStatus.PENDING)
        from django.db.models import Case, IntegerField, Value, When

        return (
            super()
            .get_queryset()
            .annotate(_pending=Case(When(pending_first, then=Value(0)), default=Value(1), output_field=IntegerField()))
            .order_by("_pending", "-assessed_on", "-pk")
        )


class VisitLedgerView(CareLedgerView):
    lookup_path = "person"
    model = Visit
    filterset_class = VisitFilter
    table_class = VisitTable
    title = _("走访随访记录")
    export_name = "走访随访记录"
    related = ("person", "recorded_by")


class IncidentLedgerView(CareLedgerView):
    lookup_path = "patient__person"
    model = Incident
    filterset_class = IncidentFilter
    table_class = IncidentTable
    title = _("肇事肇祸登记")
    export_name = "肇事肇祸登记"
    related = ("patient__person",)


class SubsidyLedgerView(CareLedgerView):
    lookup_path = "patient__person"
    model = GuardianSubsidy
    filterset_class = SubsidyFilter
    table_class = SubsidyTable
    title = _("监护人以奖代补")
    export_name = "以奖代补台账"
    related = ("patient__person__region__parent__parent",)


class PaymentLedgerView(CareLedgerView):
    lookup_path = "award__subsidy__patient__person"
    model = SubsidyPayment
    filterset_class = PaymentFilter
    table_class = PaymentTable
    title = _("以奖代补发放台账")
    export_name = "以奖代补发放台账"
    related = ("award__subsidy__patient__person",)


# --- follow-ups from the person's page ------------------------------------------------------------


class PersonVisitView(PersonPage):
    """记录走访/随访 (phone width). For a patient the form shows when the rules want the next one."""

    action_perm = "care.add_visit"
    denied_message = _("您没有记录走访随访的权限。")

    def get_template_names(self):
        return ["care/person_visit.html"]

    def plan(self):
        return actions.plan_visit(person=self.object)

    def get(self, request, *args, **kwargs):
        plan = self.plan()
        form = forms.VisitForm(patient=plan.patient) if self.allowed() else None
        return self.render_to_response(self.get_context_data(form=form, plan=plan, title=self.title_for(plan)))

    def title_for(self, plan):
        return _("记录随访") if plan.patient else _("记录走访")

    def post(self, request, *args, **kwargs):
        if not self.allowed():
            return self.render_denied()
        return run_form_post(request, self.record)

    def record(self):
        request = self.request
        plan = self.plan()
        form = forms.VisitForm(request.POST, patient=plan.patient)
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            visit, status = _run(
                form,
                actions.record_visit,
                actor=request.user,
                person=self.object,
                visited_at=d["visited_at"],
                method=d["method"],
                outcome=d["outcome"],
                risk_level=d.get("risk_level"),
                condition=d.get("condition", ""),
                improved=d.get("improved", False),
                medication=d.get("medication", ""),
                observations=d.get("observations", ""),
                next_on=d.get("next_on"),
                request=request,
            )
            if visit is not None:
                if visit.patient_id:
                    messages.success(request, _("已记录随访，下次随访日期：%(d)s") % {"d": f"{visit.next_on:%Y-%m-%d}"})
                    target = visit.patient.get_absolute_url()
                    if request.user.has_perm(SPECIAL_PERM):
                        return HttpResponseRedirect(target)
                else:
                    messages.success(request, _("已记录走访"))
                return HttpResponseRedirect(self.object.get_absolute_url() + "?tab=visits")
        return self.render_to_response(
            self.get_context_data(form=form, plan=plan, title=self.title_for(plan)), status=status
        )


# --- a patient and the care records ----------------------------------------------------------------


class MentalDetailView(SpecialDetailView):
    """A patient: level and schedule, follow-ups, assessments, care team, subsidy, incidents."""

    model = MentalPatient
    template_name = "care/patient_detail.html"
    tabs = (
        ("overview", _("概况")),
        ("followups", _("随访")),
        ("assessments", _("危险性评估")),
        ("team", _("管理小组")),
        ("subsidy", _("以奖代补")),
        ("incidents", _("肇事肇祸")),
    )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        p, user = self.object, self.request.user
        ctx["patient"] = p
        ctx["person"] = p.person
        ctx["followups"] = p.visits.select_related("recorded_by").order_by("-visited_at")[:100]
        ctx["assessments"] = p.assessments.select_related("assessor", "decided_by").order_by("-assessed_on", "-pk")
        members, missing = actions.team_status(p)
        labels = dict(TeamRole.choices)
        ctx["team"], ctx["team_missing"] = members, ["/".join(str(labels[r]) for r in g) for g in missing]
        ctx["incidents"] = p.incidents.order_by("-occurred_at")
        ctx["subsidy"] = GuardianSubsidy.objects.visible_to(user).filter(patient=p).first()
        ctx["warnings"] = p.warnings.filter(resolved_at__isnull=True).order_by("-due_on")
        today = rules.today()
        ctx["today"] = today
        ctx["overdue"] = p.is_active and p.next_followup_on is not None and p.next_followup_on < today
        ctx["pending"] = p.assessments.filter(status=AssessmentStatus.PENDING).first()
        ctx["may_visit"] = user.has_perm("care.add_visit") and p.is_active
        ctx["may_assess"] = user.has_perm("care.add_riskassessment") and p.is_active
        ctx["may_team"] = user.has_perm("care.add_careteammember") and p.is_active
        ctx["may_incident"] = user.has_perm("care.add_incident")
        ctx["may_enroll"] = user.has_perm("care.add_guardiansubsidy") and ctx["subsidy"] is None and p.is_active
        ctx["assess_form"] = kwargs.get("assess_form") or forms.AssessForm(
            initial={"assessed_on": today, "level": p.risk_level}
        )
        ctx["team_form"] = kwargs.get("team_form") or forms.TeamMemberForm()
        ctx["incident_form"] = kwargs.get("incident_form") or forms.IncidentForm()
        ctx["enroll_form"] = kwargs.get("enroll_form") or forms.EnrollForm(
            initial={"guardian_name": p.guardian_name, "guardian_relation": p.guardian_relation, "enrolled_on": today}
        )
        if kwargs.get("tab"):
            ctx["active_tab"] = kwargs["tab"]
        self.notes_context(ctx, p, kwargs)
        return ctx

    def notes_context(self, ctx, p, kwargs) -> None:
        """The diagnosis and follow-up notes: in the clear for the care team and the township centre
        (after a reason where the rules ask for one; each read audited), masked for everyone else."""
        user = self.request.user
        access = actions.notes_access(user, p)
        needs_reason = actions.reason_required(access)
        notes = kwargs.get("notes")
        if (notes is None and access and not needs_reason and self.request.method == "GET"
                and ctx.get("active_tab") in ("overview", "followups")):
            notes = actions.reveal_care_notes(actor=user, patient=p, request=self.request)
        ctx["notes_access"], ctx["notes"] = access, notes
        if notes is not None:
            ctx["items"] = [(label, notes.diagnosis if label == MentalPatient._meta.get_field("diagnosis").verbose_name
                             else value) for label, value in ctx.get("items", [])]
            for v in ctx["followups"]:
                v.note = notes.observations.get(v.pk, "")
        ctx["notes_form"] = (kwargs.get("notes_form") or forms.NotesRevealForm()) if (
            access and needs_reason and notes is None) else None

    def reveal_notes(self, p):
        form = forms.NotesRevealForm(self.request.POST)
        status = 400
        if form.is_valid():
            notes, status = _run(form, actions.reveal_care_notes, actor=self.request.user, patient=p,
                                 reason=form.cleaned_data["reason"], request=self.request)
            if notes is not None:
                tab = self.request.POST.get("tab") if self.request.POST.get("tab") in ("overview", "followups") \
                    else "overview"
                response = self.render_to_response(self.get_context_data(notes=notes, tab=tab))
                response["Cache-Control"] = "no-store"
                return response
        return self.render_to_response(self.get_context_data(notes_form=form), status=status)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if response.context_data.get("notes") is not None:
            response["Cache-Control"] = "no-store"
        return response

    def post(self, request, *args, **kwargs):
        self.object = p = self.get_object()
        do = request.POST.get("do")
        handlers = {
            "reveal_notes": self.reveal_notes,
            "assess": self.assess,
            "add_member": self.add_member,
            "remove_member": self.remove_member,
            "incident": self.incident,
            "enroll": self.enroll,
        }
        if do in handlers:
            return handlers[do](p)
        return super().post(request, *args, **kwargs)

    def _done(self, p, message, tab):
        messages.success(self.request, message)
        return HttpResponseRedirect(f"{p.get_absolute_url()}?tab={tab}")

    def assess(self, p):
        form = forms.AssessForm(self.request.POST)
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            a, status = _run(
                form,
                actions.assess_risk,
                actor=self.request.user,
                patient=p,
                level=d["level"],
                assessed_on=d["assessed_on"],
                note=d["note"],
                request=self.request,
            )
            if a is not None:
                msg = (
                    _("等级变更已提交乡镇综治中心审批")
                    if a.status == AssessmentStatus.PENDING
                    else _("已记录评估（等级未变）")
                )
                return self._done(p, msg, "assessments")
        return self.render_to_response(self.get_context_data(assess_form=form, tab="assessments"), status=status)

    def add_member(self, p):
        form = forms.TeamMemberForm(self.request.POST)
        status = 400
        if form.is_valid():
            m, status = _run(
                form,
                actions.add_team_member,
                actor=self.request.user,
                patient=p,
                request=self.request,
                **form.cleaned_data,
            )
            if m is not None:
                return self._done(p, _("已加入管理小组：%(n)s") % {"n": m.name}, "team")
        return self.render_to_response(self.get_context_data(team_form=form, tab="team"), status=status)

    def remove_member(self, p):
        member = p.team.filter(pk=pk_param(self.request.POST.get("member")), until__isnull=True).first()
        if member is None:
            raise Http404
        try:
            actions.remove_team_member(actor=self.request.user, member=member, request=self.request)
        except (ValidationError, ActionError) as exc:
            messages.error(self.request, as_action_error(exc).message)
            return HttpResponseRedirect(f"{p.get_absolute_url()}?tab=team")
        return self._done(p, _("已移出管理小组：%(n)s") % {"n": member.name}, "team")

    def incident(self, p):
        form = forms.IncidentForm(self.request.POST)
        status = 400
        if form.is_valid():
            i, status = _run(
                form,
                actions.record_incident,
                actor=self.request.user,
                patient=p,
                request=self.request,
                **form.cleaned_data,
            )
            if i is not None:
                return self._done(p, _("已登记肇事肇祸；以奖代补资格已重新计算"), "incidents")
        return self.render_to_response(self.get_context_data(incident_form=form, tab="incidents"), status=status)

    def enroll(self, p):
        form = forms.EnrollForm(self.request.POST)
        status = 400
        if form.is_valid():
            s, status = _run(
                form,
                actions.enroll_subsidy,
                actor=self.request.user,
                patient=p,
                request=self.request,
                **form.cleaned_data,
            )
            if s is not None:
                return self._done(p, _("已纳入以奖代补"), "subsidy")
        return self.render_to_response(self.get_context_data(enroll_form=form, tab="subsidy"), status=status)


class AssessmentDetailView(DetailPage):
    """One assessment; a township centre approves or rejects a pending change here."""

    model = RiskAssessment
    template_name = "care/assessment_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("patient__person__region", "assessor", "decided_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        a = self.object
        ctx["may_decide"] = a.status == AssessmentStatus.PENDING and self.request.user.has_perm(
            "care.approve_risk_level"
        )
        ctx["form"] = kwargs.get("form") or forms.DecisionForm(initial={"version": a.version})
        return ctx

    def post(self, request, *args, **kwargs):
        self.object = a = self.get_object()
        form = forms.DecisionForm(request.POST)
        status = 400
        if form.is_valid():
            approve = request.POST.get("do") == "approve"
            done, status = _run(
                form,
                actions.decide_assessment,
                actor=request.user,
                assessment=a,
                approve=approve,
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
                request=request,
            )
            if done is not None:
                messages.success(request, _("已批准等级变更") if approve else _("已驳回等级变更"))
                return HttpResponseRedirect(a.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form), status=status)


class VisitDetailView(DetailPage):
    """One visit; its observations in the clear for the care team, the worker who wrote them and the
    township centre (after a reason where the rules ask for one; each read audited)."""

    model = Visit
    template_name = "care/visit_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("person", "patient", "recorded_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        v, user = self.object, self.request.user
        access = actions.notes_access(user, v.patient if v.patient_id else None, visit=v)
        needs_reason = actions.reason_required(access)
        note = kwargs.get("note")
        if note is None and access and not needs_reason and self.request.method == "GET" and v.observations:
            note = actions.reveal_visit_notes(actor=user, visit=v, request=self.request)
        ctx["notes_access"], ctx["note"] = access, note
        ctx["notes_form"] = (kwargs.get("notes_form") or forms.NotesRevealForm()) if (
            access and needs_reason and note is None and v.observations) else None
        return ctx

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if response.context_data.get("note") is not None:
            response["Cache-Control"] = "no-store"
        return response

    def post(self, request, *args, **kwargs):
        self.object = v = self.get_object()
        form = forms.NotesRevealForm(request.POST)
        status = 400
        if form.is_valid():
            note, status = _run(form, actions.reveal_visit_notes, actor=request.user, visit=v,
                                reason=form.cleaned_data["reason"], request=request)
            if note is not None:
                response = self.render_to_response(self.get_context_data(note=note))
                response["Cache-Control"] = "no-store"
                return response
        return self.render_to_response(self.get_context_data(notes_form=form), status=status)


class IncidentDetailView(DetailPage):
    model = Incident
    template_name = "care/incident_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("patient__person", "reported_by")


class SubsidyDetailView(DetailPage):
    """以奖代补: quarterly checks (village), yearly decision (township), payments."""

    model = GuardianSubsidy
    template_name = "care/subsidy_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("patient__person__region")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        s, user = self.object, self.request.user
        year = rules.today().year
        ctx["year"] = year
        ctx["checks"] = s.checks.select_related("checked_by").order_by("-year", "-quarter")
        awards = list(
            s.awards.prefetch_related(
                Prefetch("payments", queryset=SubsidyPayment.objects.order_by("paid_on"))
            ).order_by("-year")
        )
        ctx["awards"] = awards
        ctx["eligibility"] = {y: actions.subsidy_eligibility(s, y) for y in (year - 1, year)}
        ctx["may_check"] = user.has_perm("care.add_carelogcheck")
        ctx["may_award"] = user.has_perm("care.approve_subsidy")
        payable = [a for a in awards if a.status == AwardStatus.APPROVED]
        ctx["may_pay"] = user.has_perm("care.add_subsidypayment") and bool(payable)
        ctx["check_form"] = kwargs.get("check_form") or forms.CheckForm(
            initial={"year": year, "checked_on": rules.today()}
        )
        ctx["award_form"] = kwargs.get("award_form") or forms.AwardForm(
            initial={"version": s.version, "year": year - 1, "amount": s.annual_amount}
        )
        ctx["pay_form"] = kwargs.get("pay_form") or forms.PaymentForm(
            awards=payable, initial={"paid_on": rules.today()}
        )
        return ctx

    def post(self, request, *args, **kwargs):
        self.object = s = self.get_object()
        do = request.POST.get("do")
        if do == "check":
            form = forms.CheckForm(request.POST)
            key, fn = "check_form", actions.record_care_log_check
            extra = {}
        elif do in ("approve", "reject"):
            form = forms.AwardForm(request.POST)
            key, fn = "award_form", actions.decide_subsidy_award
            extra = {"approve": do == "approve"}
        elif do == "pay":
            payable = list(s.awards.filter(status=AwardStatus.APPROVED))
            form = forms.PaymentForm(request.POST, awards=payable)
            key, fn = "pay_form", actions.record_subsidy_payment
            extra = {}
        else:
            raise Http404
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            if do == "pay":
                data["award"] = SubsidyAward.objects.get(pk=data["award"], subsidy=s)
            else:
                data["subsidy"] = s
            if do in ("approve", "reject"):
                data["expected_version"] = data.pop("version")
            done, status = _run(form, fn, actor=request.user, request=request, **data, **extra)
            if done is not None:
                messages.success(request, _("已保存"))
                return HttpResponseRedirect(s.get_absolute_url())
        return self.render_to_response(self.get_context_data(**{key: form}), status=status)
