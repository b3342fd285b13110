"""Pages of the people registers. Every page reads through ``visible_to`` (out of scope is 404);
every write calls ``people.actions``; ID numbers and phones show masked unless revealed with a reason."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from anmin.core import audit
from anmin.core.idempotency import FORM_FIELD, new_key, run_form_post
from anmin.core.ledgers import LedgerImportMixin
from anmin.core.views.base import DetailPage, LedgerView, ScopedMixin

from . import actions, forms, rules
from .filters import (
    SPECIAL_FILTERS,
    AssessmentFilter,
    HouseFilter,
    IncidentFilter,
    PaymentFilter,
    PersonFilter,
    SubsidyFilter,
    VisitFilter,
)
from .importers import CorrectionLedger, PatientLedger, ResidentLedger
from .models import (
    SPECIAL_MODELS,
    SPECIAL_PERM,
    CareTeamMember,
    CommunityCorrection,
    DrugUser,
    FollowUpWarning,
    GuardianSubsidy,
    HivRisk,
    House,
    Incident,
    MentalPatient,
    Person,
    ReleasedPrisoner,
    Residence,
    RiskAssessment,
    SubsidyAward,
    SubsidyPayment,
    Visit,
    YouthOfConcern,
)
from .models.choices import AssessmentStatus, AwardStatus, TeamRole, WarningKind
from .tables import (
    AssessmentTable,
    CorrectionTable,
    DrugTable,
    HivTable,
    HouseTable,
    IncidentTable,
    OverdueTable,
    PatientTable,
    PaymentTable,
    PersonTable,
    ReleasedTable,
    SubsidyTable,
    TeamTable,
    VisitTable,
    YouthTable,
)

PERSON_RELATED = ("region__parent__parent", "grid_worker")
RECORD_RELATED = ("person__region__parent__parent",)
REVEAL_PERM = "people.reveal_person"


def _run(form, fn, **kwargs) -> tuple[Any, int]:
    """Call an action; put its validation errors on the form. Returns (result or None, status)."""
    try:
        return fn(**kwargs), 200
    except ValidationError as exc:
        forms.apply_errors(form, exc)
        return None, 400
    except actions.Conflict as exc:
        form.add_error(None, exc.message)
        return None, 409
    except actions.PeopleError as exc:
        form.add_error(None, exc.message)
        return None, 403


# --- ledgers ----------------------------------------------------------------------------------------


class PeopleLedgerView(LedgerImportMixin, LedgerView):
    """A people ledger: filters, table, masked Excel export (full numbers only with a reason), and
    where a ledger is declared, Excel import (``?import=1``) and the same columns on export."""

    template_name = "people/ledger.html"
    ledger_class: ClassVar[Any] = None
    import_permission = "people.import_ledger"
    related: ClassVar[tuple[str, ...]] = ()
    ordering: ClassVar[tuple[str, ...]] = ()
    create_perm: ClassVar[str | None] = None

    def get_queryset(self):
        qs = super().get_queryset().select_related(*self.related)
        return qs.order_by(*self.ordering) if self.ordering else qs

    def may_import(self) -> bool:
        if self.ledger_class is None:
            return False
        model = self.ledger_class.model
        add = f"{model._meta.app_label}.add_{model._meta.model_name}"
        user = self.request.user
        return super().may_import() and user.has_perm(add) and user.has_perm("people.add_person")

    def may_create(self) -> bool:
        return bool(self.create_perm) and self.request.user.has_perm(self.create_perm)

    #: The path from the ledger's model to the person, for the exact lookup by ID number or phone
    #: ("" for persons themselves; None: no lookup on this ledger).
    lookup_path: ClassVar[str | None] = None
    lookup_value: str | None = None

    def filtered(self):
        if self.lookup_value is not None:
            persons = Person.objects.visible_to(self.request.user).lookup(self.lookup_value)
            qs = self.get_queryset()
            qs = (
                qs.filter(pk__in=persons.values("pk"))
                if self.lookup_path == ""
                else qs.filter(**{f"{self.lookup_path}__in": persons.values("pk")})
            )
            filterset = self.filterset_class(None, queryset=qs, request=self.request) if self.filterset_class else None
            return qs, filterset
        qs, filterset = super().filtered()
        if filterset is not None and filterset.is_bound and not filterset.is_valid():
            return qs.none(), filterset
        return qs, filterset

    def export(self, *, reveal: bool = False, reason: str = ""):
        if self.ledger_class is None:
            return super().export()
        qs, _filterset = self.filtered()
        filters = {k: v for k, v in self.request.GET.items() if k not in ("export", "page")}
        rows = qs.count()
        if reveal:
            actions.record_export_reveal(
                actor=self.request.user,
                object_type=self.model._meta.label_lower,
                rows=rows,
                reason=reason,
                filters=filters,
                request=self.request,
            )
        else:
            with transaction.atomic():
                audit.record_export(
                    actor=self.request.user,
                    object_type=self.model._meta.label_lower,
                    rows=rows,
                    filters=filters,
                    request=self.request,
                )
        ledger = self.ledger_class(user=self.request.user, request=self.request)
        name = self.export_name or self.title
        return ledger.export_response(
            qs.iterator(chunk_size=2000), reveal=reveal, filename=f"{name}（完整号码）" if reveal else name
        )

    def post(self, request, *args, **kwargs):
        if "ledger_step" in request.POST:  # the Excel import (LedgerImportMixin)
            return super().post(request, *args, **kwargs)
        do = request.POST.get("do")
        if do == "export_reveal":
            form = forms.ExportRevealForm(request.POST)
            if not request.user.has_perm(REVEAL_PERM):
                raise Http404
            if form.is_valid():
                try:
                    return self.export(reveal=True, reason=form.cleaned_data["reason"])
                except ValidationError as exc:
                    forms.apply_errors(form, exc)
            return self.render_to_response(self.get_context_data(export_form=form), status=400)
        if do == "create" and self.may_create():
            return run_form_post(request, self.create)
        if do == "find" and self.lookup_path is not None:
            # An ID number or phone is looked up from a POST body, so it never lands in a URL or a log.
            form = forms.LookupForm(request.POST)
            valid = form.is_valid()
            if valid:
                self.lookup_value = form.cleaned_data["value"]
            # The page never echoes the number back: the search box comes back empty.
            ctx = self.get_context_data(
                lookup_form=forms.LookupForm(),
                lookup_done=valid,
                lookup_errors=[] if valid else form.errors.get("value", []),
            )
            return self.render_to_response(ctx, status=200 if valid else 400)
        raise Http404

    def create(self):
        raise Http404

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["may_import"] = self.may_import()
        if self.lookup_path is not None:
            ctx.setdefault("lookup_form", forms.LookupForm())
        ctx["may_reveal_export"] = self.ledger_class is not None and user.has_perm(REVEAL_PERM)
        ctx.setdefault("export_form", forms.ExportRevealForm())
        if self.may_create():
            ctx["create_url"] = "?new=1"
            ctx["create_form"] = kwargs.get("create_form") or (self.new_form() if self.request.GET.get("new") else None)
            ctx[FORM_FIELD] = self.request.POST.get(FORM_FIELD) or new_key()
        return ctx

    def new_form(self):
        return None


class PersonLedgerView(PeopleLedgerView):
    model = Person
    filterset_class = PersonFilter
    table_class = PersonTable
    ledger_class = ResidentLedger
    lookup_path = ""
    title = _("实有人口")
    export_name = "实有人口台账"
    related = PERSON_RELATED
    create_perm = "people.add_person"

    def new_form(self):
        return forms.PersonForm(user=self.request.user)

    def create(self):
        form = forms.PersonForm(self.request.POST, user=self.request.user)
        if form.is_valid():
            person, status = _run(
                form, actions.create_person, actor=self.request.user, request=self.request, **form.changes()
            )
            if person is not None:
                messages.success(self.request, _("已登记：%(name)s") % {"name": person.name})
                return HttpResponseRedirect(person.get_absolute_url())
        else:
            status = 400
        return self.render_to_response(self.get_context_data(create_form=form), status=status)


class HouseLedgerView(PeopleLedgerView):
    model = House
    filterset_class = HouseFilter
    table_class = HouseTable
    title = _("实有房屋")
    export_name = "实有房屋台账"
    related = ("region__parent__parent", "owner")
    create_perm = "people.add_house"

    def new_form(self):
        return forms.HouseForm(user=self.request.user)

    def create(self):
        form = forms.HouseForm(self.request.POST, user=self.request.user)
        if form.is_valid():
            house, status = _run(
                form, actions.create_house, actor=self.request.user, request=self.request, **form.cleaned_data
            )
            if house is not None:
                messages.success(self.request, _("已登记房屋"))
                return HttpResponseRedirect(house.get_absolute_url())
        else:
            status = 400
        return self.render_to_response(self.get_context_data(create_form=form), status=status)


def _special_ledger(model, table, ledger=None, **attrs):
    name = f"{model.__name__}LedgerView"
    body = {
        "model": model,
        "filterset_class": SPECIAL_FILTERS[model],
        "table_class": table,
        "ledger_class": ledger,
        "title": model._meta.verbose_name,
        "export_name": f"{model._meta.verbose_name}台账",
        "related": RECORD_RELATED,
        "ordering": ("-registered_on", "pk"),
        "lookup_path": "person",
        **attrs,
    }
    return type(name, (PeopleLedgerView,), body)


ReleasedLedgerView = _special_ledger(ReleasedPrisoner, ReleasedTable)
CorrectionLedgerView = _special_ledger(CommunityCorrection, CorrectionTable, CorrectionLedger)
DrugLedgerView = _special_ledger(DrugUser, DrugTable)
HivLedgerView = _special_ledger(HivRisk, HivTable)
YouthLedgerView = _special_ledger(YouthOfConcern, YouthTable)
MentalLedgerView = _special_ledger(
    MentalPatient,
    PatientTable,
    PatientLedger,
    title=_("严重精神障碍患者"),
    export_name="严重精神障碍患者台账",
    ordering=("-risk_level", "next_followup_on", "pk"),
)


class OverdueLedgerView(PeopleLedgerView):
    """随访逾期: patients whose follow-up date has passed, with whether the sweep has warned."""

    lookup_path = "person"
    model = MentalPatient
    filterset_class = SPECIAL_FILTERS[MentalPatient]
    table_class = OverdueTable
    title = _("随访逾期")
    export_name = "随访逾期患者"
    related = (*RECORD_RELATED, "person__grid_worker")
    template_name = "people/overdue.html"

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


class TeamIncompleteLedgerView(PeopleLedgerView):
    """管理小组不全: patients whose "五位一体" team lacks a configured place."""

    lookup_path = "person"
    model = MentalPatient
    filterset_class = SPECIAL_FILTERS[MentalPatient]
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


class AssessmentLedgerView(PeopleLedgerView):
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


class VisitLedgerView(PeopleLedgerView):
    lookup_path = "person"
    model = Visit
    filterset_class = VisitFilter
    table_class = VisitTable
    title = _("走访随访记录")
    export_name = "走访随访记录"
    related = ("person", "recorded_by")


class IncidentLedgerView(PeopleLedgerView):
    lookup_path = "patient__person"
    model = Incident
    filterset_class = IncidentFilter
    table_class = IncidentTable
    title = _("肇事肇祸登记")
    export_name = "肇事肇祸登记"
    related = ("patient__person",)


class SubsidyLedgerView(PeopleLedgerView):
    lookup_path = "patient__person"
    model = GuardianSubsidy
    filterset_class = SubsidyFilter
    table_class = SubsidyTable
    title = _("监护人以奖代补")
    export_name = "以奖代补台账"
    related = ("patient__person__region__parent__parent",)


class PaymentLedgerView(PeopleLedgerView):
    lookup_path = "award__subsidy__patient__person"
    model = SubsidyPayment
    filterset_class = PaymentFilter
    table_class = PaymentTable
    title = _("以奖代补发放台账")
    export_name = "以奖代补发放台账"
    related = ("award__subsidy__patient__person",)


# --- a person ---------------------------------------------------------------------------------------


class PersonDetailView(DetailPage):
    model = Person
    template_name = "people/person_detail.html"
    tabs = (("base", _("基本信息")), ("homes", _("居住房屋")), ("special", _("重点人群")), ("visits", _("走访记录")))

    def get_queryset(self):
        return super().get_queryset().select_related(*PERSON_RELATED)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        person, user = self.object, self.request.user
        ctx["revealed"] = kwargs.get("revealed", {})
        ctx["residences"] = (
            Residence.objects.visible_to(user)
            .filter(person=person)
            .select_related("house__region")
            .order_by("until", "-since")
        )
        may_special = user.has_perm(SPECIAL_PERM)
        ctx["may_special"] = may_special
        if not may_special:
            ctx["tabs"] = [t for t in self.tabs if t[0] != "special"]
        records = []
        if may_special:
            for model in SPECIAL_MODELS:
                for r in model.objects.visible_to(user).filter(person=person):
                    records.append(r)
        ctx["records"] = records
        ctx["patient"] = next((r for r in records if isinstance(r, MentalPatient) and r.is_active), None)
        ctx["visits"] = (
            Visit.objects.visible_to(user).filter(person=person).select_related("recorded_by")[:50]
            if user.has_perm("people.view_visit")
            else []
        )
        ctx["timeline"] = self.timeline(person, records, ctx["visits"])
        ctx["may_edit"] = user.has_perm("people.change_person")
        ctx["may_reveal"] = user.has_perm(REVEAL_PERM)
        ctx["may_visit"] = user.has_perm("people.add_visit")
        ctx["special_kinds"] = [
            (m.kind_key, m._meta.verbose_name)
            for m in SPECIAL_MODELS
            if user.has_perm(f"people.add_{m._meta.model_name}") and may_special
        ]
        return ctx

    def timeline(self, person, records, visits):
        events = [{"at": _aware(person.registered_on), "actor": "", "label": _("登记为实有人口")}]
        for r in records:
            events.append({"at": _aware(r.registered_on), "actor": "", "label": f"列入{r._meta.verbose_name}"})
            if r.closed_on:
                events.append(
                    {
                        "at": _aware(r.closed_on),
                        "actor": "",
                        "label": f"解除{r._meta.verbose_name}列管",
                        "reason": r.closed_reason,
                    }
                )
        for v in visits:
            label = f"{v.get_kind_display()}（{v.get_method_display()}，{v.get_outcome_display()}）"
            if v.next_on:
                label += f"，下次 {v.next_on:%Y-%m-%d}"
            events.append({"at": v.visited_at, "actor": v.recorded_by or "", "label": label})
        return sorted(events, key=lambda e: e["at"], reverse=True)


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


class PersonPage(ScopedMixin, TemplateView):
    """A page about one person (edit, reveal, visit, special): 404 unless the person is visible."""

    model = Person
    template_name = "anmin/form.html"
    action_perm: ClassVar[str] = ""
    denied_message: ClassVar[str] = ""

    def dispatch(self, request, *args, **kwargs):
        self.object = get_object_or_404(self.get_queryset().select_related(*PERSON_RELATED), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def allowed(self) -> bool:
        return self.request.user.has_perm(self.action_perm)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            object=self.object,
            person=self.object,
            cancel_url=self.object.get_absolute_url(),
            allowed=self.allowed(),
            denied_message=self.denied_message,
        )
        ctx.setdefault(FORM_FIELD, new_key())
        return ctx

    def render_denied(self):
        return self.render_to_response(self.get_context_data(form=None), status=200)

    def get_template_names(self):
        return ["people/person_page.html"]


class PersonEditView(PersonPage):
    action_perm = "people.change_person"
    denied_message = _("您没有修改人员信息的权限。")

    def get(self, request, *args, **kwargs):
        form = forms.PersonForm(user=request.user, instance=self.object) if self.allowed() else None
        return self.render_to_response(self.get_context_data(form=form, title=_("修改人员信息")))

    def post(self, request, *args, **kwargs):
        if not self.allowed():
            return self.render_denied()
        form = forms.PersonForm(request.POST, user=request.user, instance=self.object)
        status = 400
        if form.is_valid():
            person, status = _run(
                form,
                actions.update_person,
                actor=request.user,
                person=self.object,
                expected_version=form.cleaned_data.get("version"),
                changes=form.changes(),
                request=request,
            )
            if person is not None:
                messages.success(request, _("已保存"))
                return HttpResponseRedirect(person.get_absolute_url())
            if status == 409:
                self.object.refresh_from_db()
                form = forms.PersonForm(request.POST, user=request.user, instance=self.object)
                form.data = form.data.copy()
                form.data["version"] = self.object.version
                form.is_valid()
                form.add_error(None, _("该人员信息已被他人修改，以上为您填写的内容，请核对后重新保存。"))
        return self.render_to_response(self.get_context_data(form=form, title=_("修改人员信息")), status=status)


class PersonRevealView(PersonPage):
    """查看完整号码: permission, a reason, and an access record in the audit log."""

    action_perm = REVEAL_PERM
    denied_message = _("您没有查看完整身份证号码和电话的权限。")

    def get(self, request, *args, **kwargs):
        form = forms.RevealForm() if self.allowed() else None
        return self.render_to_response(
            self.get_context_data(form=form, title=_("查看完整号码"), submit_label=_("查看"))
        )

    def post(self, request, *args, **kwargs):
        if not self.allowed():
            return self.render_denied()
        form = forms.RevealForm(request.POST)
        if form.is_valid():
            values, status = _run(
                form,
                actions.reveal_person,
                actor=request.user,
                person=self.object,
                fields=form.cleaned_data["fields_wanted"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
            if values is not None:
                response = self.render_to_response(
                    self.get_context_data(
                        form=None,
                        title=_("查看完整号码"),
                        revealed=values,
                        labels=actions.REVEALABLE,
                        reason=form.cleaned_data["reason"],
                    )
                )
                response["Cache-Control"] = "no-store"
                return response
        else:
            status = 400
        return self.render_to_response(
            self.get_context_data(form=form, title=_("查看完整号码"), submit_label=_("查看")), status=status
        )


class PersonVisitView(PersonPage):
    """记录走访/随访 (phone width). For a patient the form shows when the rules want the next one."""

    action_perm = "people.add_visit"
    denied_message = _("您没有记录走访随访的权限。")

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


class PersonSpecialView(PersonPage):
    """列入重点人群: choose the register (``?kind=``), then its items."""

    action_perm = SPECIAL_PERM
    denied_message = _("您没有登记重点人群的权限。")

    def kinds(self):
        user = self.request.user
        return [m for m in SPECIAL_MODELS if user.has_perm(f"people.add_{m._meta.model_name}")]

    def chosen(self, key):
        return next((m for m in self.kinds() if m.kind_key == key), None)

    def form_for(self, model, data=None):
        if model is MentalPatient:
            return forms.PatientForm(data)
        return forms.special_form_class(model)(data)

    def special_context(self, form, model):
        kinds = [(m.kind_key, m._meta.verbose_name) for m in self.kinds()] if self.allowed() else []
        title = _("列入%(k)s") % {"k": model._meta.verbose_name} if model else _("列入重点人群")
        return self.get_context_data(
            form=form, kinds=kinds, choose_kind=model is None, chosen_key=model.kind_key if model else "", title=title
        )

    def get(self, request, *args, **kwargs):
        model = self.chosen(request.GET.get("kind")) if self.allowed() else None
        return self.render_to_response(self.special_context(self.form_for(model) if model else None, model))

    def post(self, request, *args, **kwargs):
        model = self.chosen(request.POST.get("kind")) if self.allowed() else None
        if model is None:
            return self.render_denied()
        return run_form_post(request, lambda: self.register(model))

    def register(self, model):
        request = self.request
        form = self.form_for(model, request.POST)
        status = 400
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            if model is MentalPatient:
                record, status = _run(
                    form, actions.register_patient, actor=request.user, person=self.object, request=request, **data
                )
            else:
                record, status = _run(
                    form,
                    actions.register_special,
                    actor=request.user,
                    model=model,
                    person=self.object,
                    fields=data,
                    request=request,
                )
            if record is not None:
                messages.success(request, _("已列入%(k)s") % {"k": model._meta.verbose_name})
                return HttpResponseRedirect(record.get_absolute_url())
        return self.render_to_response(self.special_context(form, model), status=status)


# --- houses -------------------------------------------------------------------------------------------


class HouseDetailView(DetailPage):
    model = House
    template_name = "people/house_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("region__parent__parent", "owner")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["residences"] = (
            Residence.objects.visible_to(user)
            .filter(house=self.object)
            .select_related("person")
            .order_by("until", "relation")
        )
        ctx["may_add"] = user.has_perm("people.add_residence")
        ctx["may_end"] = user.has_perm("people.change_residence")
        ctx["form"] = kwargs.get("form") or (forms.ResidenceForm() if ctx["may_add"] else None)
        return ctx

    def post(self, request, *args, **kwargs):
        self.object = house = self.get_object()
        if request.POST.get("do") == "end":
            form = forms.EndResidenceForm(request.POST)
            if form.is_valid():
                res = (
                    Residence.objects.visible_to(request.user)
                    .filter(pk=form.cleaned_data["residence"], house=house)
                    .first()
                )
                if res is None:
                    raise Http404
                _r, status = _run(
                    form,
                    actions.end_residence,
                    actor=request.user,
                    residence=res,
                    until=form.cleaned_data["until"],
                    request=request,
                )
                if _r is not None:
                    messages.success(request, _("已登记迁出"))
                    return HttpResponseRedirect(house.get_absolute_url())
            for e in form.errors.values():
                messages.error(request, "；".join(e))
            return HttpResponseRedirect(house.get_absolute_url())
        form = forms.ResidenceForm(request.POST)
        status = 400
        if form.is_valid():
            person = Person.objects.visible_to(request.user).filter(id_number=form.cleaned_data["id_number"]).first()
            if person is None:
                form.add_error("id_number", _("公民身份号码：在您的辖区内没有找到该人员，请先登记实有人口"))
            else:
                res, status = _run(
                    form,
                    actions.add_residence,
                    actor=request.user,
                    person=person,
                    house=house,
                    relation=form.cleaned_data["relation"],
                    since=form.cleaned_data["since"],
                    request=request,
                )
                if res is not None:
                    messages.success(request, _("已登记居住：%(n)s") % {"n": person.name})
                    return HttpResponseRedirect(house.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form), status=status)


# --- special registers ----------------------------------------------------------------------------------


class SpecialDetailView(DetailPage):
    """A special-population record: its items, edit (``?edit=1``) and 解除列管."""

    template_name = "people/special_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related(*RECORD_RELATED, "created_by")

    def may_change(self) -> bool:
        return self.request.user.has_perm(f"people.change_{self.model._meta.model_name}")

    def items(self):
        skip = {"id", "person", "version", "created_at", "status", "closed_on", "closed_reason"}
        out = []
        for f in self.model._meta.concrete_fields:
            if f.name in skip:
                continue
            value = getattr(self.object, f.name)
            display = getattr(self.object, f"get_{f.name}_display", None)
            if callable(display):
                value = display()
            elif isinstance(value, bool):
                value = _("是") if value else _("否")
            if f.name == "youth_type":
                value = self.object.youth_type_name
            elif f.name == "concern_level":
                value = self.object.concern_level_name
            out.append((f.verbose_name, "" if value is None else value))
        return out

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["items"] = self.items()
        ctx["may_change"] = self.may_change() and self.object.is_active
        if ctx["may_change"]:
            ctx.setdefault(
                "close_form",
                kwargs.get("close_form")
                or forms.CloseForm(initial={"version": self.object.version, "closed_on": rules.today()}),
            )
            if self.request.GET.get("edit") or kwargs.get("edit_form"):
                ctx["edit_form"] = kwargs.get("edit_form") or forms.special_form_class(self.model)(instance=self.object)
        return ctx

    def post(self, request, *args, **kwargs):
        self.object = record = self.get_object()
        if not self.may_change():
            raise Http404
        if request.POST.get("do") == "close":
            form = forms.CloseForm(request.POST)
            if form.is_valid():
                d = form.cleaned_data
                done, status = _run(
                    form,
                    actions.close_special,
                    actor=request.user,
                    record=record,
                    expected_version=d["version"],
                    closed_on=d["closed_on"],
                    reason=d["reason"],
                    request=request,
                )
                if done is not None:
                    messages.success(request, _("已解除列管"))
                    return HttpResponseRedirect(record.get_absolute_url())
            else:
                status = 400
            return self.render_to_response(self.get_context_data(close_form=form), status=status)
        form = forms.special_form_class(self.model)(request.POST, instance=type(record).objects.get(pk=record.pk))
        status = 400
        if form.is_valid():
            changes = {k: form.cleaned_data[k] for k in form.changed_data}
            done, status = _run(
                form,
                actions.update_special,
                actor=request.user,
                record=record,
                expected_version=request.POST.get("version"),
                changes=changes,
                request=request,
            )
            if done is not None:
                messages.success(request, _("已保存"))
                return HttpResponseRedirect(record.get_absolute_url())
        return self.render_to_response(self.get_context_data(edit_form=form), status=status)


def _special_detail(model):
    return type(f"{model.__name__}DetailView", (SpecialDetailView,), {"model": model})


ReleasedDetailView = _special_detail(ReleasedPrisoner)
CorrectionDetailView = _special_detail(CommunityCorrection)
DrugDetailView = _special_detail(DrugUser)
HivDetailView = _special_detail(HivRisk)
YouthDetailView = _special_detail(YouthOfConcern)


class MentalDetailView(SpecialDetailView):
    """A patient: level and schedule, follow-ups, assessments, care team, subsidy, incidents."""

    model = MentalPatient
    template_name = "people/patient_detail.html"
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
        ctx["may_visit"] = user.has_perm("people.add_visit") and p.is_active
        ctx["may_assess"] = user.has_perm("people.add_riskassessment") and p.is_active
        ctx["may_team"] = user.has_perm("people.add_careteammember") and p.is_active
        ctx["may_incident"] = user.has_perm("people.add_incident")
        ctx["may_enroll"] = user.has_perm("people.add_guardiansubsidy") and ctx["subsidy"] is None and p.is_active
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
        return ctx

    def post(self, request, *args, **kwargs):
        self.object = p = self.get_object()
        do = request.POST.get("do")
        handlers = {
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
        member = p.team.filter(pk=self.request.POST.get("member"), until__isnull=True).first()
        if member is None:
            raise Http404
        try:
            actions.remove_team_member(actor=self.request.user, member=member, request=self.request)
        except (ValidationError, actions.PeopleError) as exc:
            messages.error(self.request, "；".join(getattr(exc, "messages", [getattr(exc, "message", "")])))
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
    template_name = "people/assessment_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("patient__person__region", "assessor", "decided_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        a = self.object
        ctx["may_decide"] = a.status == AssessmentStatus.PENDING and self.request.user.has_perm(
            "people.approve_risk_level"
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
    model = Visit
    template_name = "people/visit_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("person", "patient", "recorded_by")


class IncidentDetailView(DetailPage):
    model = Incident
    template_name = "people/incident_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("patient__person", "reported_by")


class SubsidyDetailView(DetailPage):
    """以奖代补: quarterly checks (village), yearly decision (township), payments."""

    model = GuardianSubsidy
    template_name = "people/subsidy_detail.html"

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
        ctx["may_check"] = user.has_perm("people.add_carelogcheck")
        ctx["may_award"] = user.has_perm("people.approve_subsidy")
        payable = [a for a in awards if a.status == AwardStatus.APPROVED]
        ctx["may_pay"] = user.has_perm("people.add_subsidypayment") and bool(payable)
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
