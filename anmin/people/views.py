"""Pages of the people registers. Every page reads through ``visible_to`` (out of scope is 404);
every write calls ``people.actions``; ID numbers and phones show masked unless revealed with a reason."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from anmin.core import audit
from anmin.core.errors import run_action
from anmin.core.idempotency import FORM_FIELD, new_key, run_form_post
from anmin.core.ledgers import LedgerImportMixin, export_jobs
from anmin.core.views.base import DetailPage, LedgerView, ScopedMixin

from . import actions, forms
from .calendar import today
from .filters import SPECIAL_FILTERS, HouseFilter, PersonFilter
from .importers import CorrectionLedger, ResidentLedger
from .models import (
    SPECIAL_PERM,
    CommunityCorrection,
    DrugUser,
    HivRisk,
    House,
    Person,
    ReleasedPrisoner,
    Residence,
    YouthOfConcern,
)
from .registers import add_perm, person_panels, register_of, special_models
from .tables import (
    CorrectionTable,
    DrugTable,
    HivTable,
    HouseTable,
    PersonTable,
    ReleasedTable,
    YouthTable,
)

PERSON_RELATED = ("region__parent__parent", "grid_worker")
RECORD_RELATED = ("person__region__parent__parent",)
REVEAL_PERM = "people.reveal_person"


_run = run_action  # call an action for a page: (result, 200) or (None, 400/403/404/409), errors on the form


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
        name = self.export_name or self.title
        filename = f"{name}（完整号码）" if reveal else str(name)
        if rows > export_jobs.threshold():  # a township's or the city's residents: written by the worker
            return self.export_in_background(filters, rows, filename, reveal_perm=REVEAL_PERM if reveal else "")
        ledger = self.ledger_class(user=self.request.user, request=self.request)
        return ledger.export_response(qs, reveal=reveal, filename=filename)

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


def special_ledger(model, table, ledger=None, **attrs):
    """The ledger page of a register on a person (``attrs`` override the defaults)."""
    name = f"{model.__name__}LedgerView"
    body = {
        "model": model,
        "filterset_class": SPECIAL_FILTERS.get(model),
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


ReleasedLedgerView = special_ledger(ReleasedPrisoner, ReleasedTable)
CorrectionLedgerView = special_ledger(CommunityCorrection, CorrectionTable, CorrectionLedger)
DrugLedgerView = special_ledger(DrugUser, DrugTable)
HivLedgerView = special_ledger(HivRisk, HivTable)
YouthLedgerView = special_ledger(YouthOfConcern, YouthTable)
# --- a person ---------------------------------------------------------------------------------------


class PersonDetailView(DetailPage):
    """A person: identity, homes, the registers they are on, and what the apps that keep something on
    a person add (``people.registers.person_panels``: care's follow-ups, its buttons and timeline)."""

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
            for model in special_models():
                records.extend(model.objects.visible_to(user).filter(person=person))
        ctx["records"] = records
        summary, buttons, events = [], [], []
        for panel in sorted(person_panels, key=lambda p: p.order):
            extra = panel.context(person, user)
            summary += extra.get("summary", [])
            buttons += extra.get("buttons", [])
            events += extra.get("events", [])
        ctx["panel_summary"], ctx["panel_buttons"] = summary, buttons
        ctx["timeline"] = self.timeline(person, records, events)
        ctx["may_edit"] = user.has_perm("people.change_person")
        ctx["may_reveal"] = user.has_perm(REVEAL_PERM)
        ctx["special_kinds"] = [
            (m.kind_key, m._meta.verbose_name) for m in special_models() if may_special and user.has_perm(add_perm(m))
        ]
        return ctx

    def timeline(self, person, records, events):
        out = [{"at": _aware(person.registered_on), "actor": "", "label": _("登记为实有人口")}]
        for r in records:
            out.append({"at": _aware(r.registered_on), "actor": "", "label": f"列入{r._meta.verbose_name}"})
            if r.closed_on:
                out.append(
                    {
                        "at": _aware(r.closed_on),
                        "actor": "",
                        "label": f"解除{r._meta.verbose_name}列管",
                        "reason": r.closed_reason,
                    }
                )
        out += events
        return sorted(out, key=lambda e: e["at"], reverse=True)


def _aware(day: dt.date) -> dt.datetime:
    """A date on the timeline (at 09:00 local time)."""
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


class PersonSpecialView(PersonPage):
    """列入重点人群: choose the register (``?kind=``), then its items."""

    action_perm = SPECIAL_PERM
    denied_message = _("您没有登记重点人群的权限。")

    def kinds(self):
        user = self.request.user
        return [m for m in special_models() if user.has_perm(add_perm(m))]

    def chosen(self, key):
        return next((m for m in self.kinds() if m.kind_key == key), None)

    def form_for(self, model, data=None):
        kept = register_of(model)  # a register another app keeps brings its own form and action
        return kept.form(data) if kept else forms.special_form_class(model)(data)

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
            kept = register_of(model)
            if kept is not None:
                record, status = _run(form, kept.register, actor=request.user, person=self.object, request=request,
                                      **data)
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
        ctx["may_edit"] = House.objects.visible_to(user, "change").filter(pk=self.object.pk).exists()
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
        meta = self.model._meta
        return self.request.user.has_perm(f"{meta.app_label}.change_{meta.model_name}")

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
                or forms.CloseForm(initial={"version": self.object.version, "closed_on": today()}),
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


def special_detail(model):
    return type(f"{model.__name__}DetailView", (SpecialDetailView,), {"model": model})


ReleasedDetailView = special_detail(ReleasedPrisoner)
CorrectionDetailView = special_detail(CommunityCorrection)
DrugDetailView = special_detail(DrugUser)
HivDetailView = special_detail(HivRisk)
YouthDetailView = special_detail(YouthOfConcern)


