"""One record entered on a page, for the smaller records whose ledger is imported (``record_import``):
an incident near a school, a water's inspection, a publicity campaign, a counselling session. An office
with one record to add should not have to fill in an Excel file for it. Made from the import's own
declaration — the same parent (a school, a water: chosen among those the user sees), the same place
(乡镇/村, or the city's own for a city unit), the same checks and the same bulk action, called with one
row — so a record entered here is exactly one the import would have written::

    IncidentCreate = record_create(IncidentImport, title=_("登记校园周边案(事)件"),
                                   fields=("school", "occurred_on", "kind", "description", "handling"),
                                   ledger_url_name="campus:incident_list")
    path("incidents/new/", IncidentCreate.as_view(), name="incident_new")

and ``record_ledger(..., create_url_name="campus:incident_new")`` puts 登记 on the ledger for whoever
may add. A record that is one already kept (the import's natural key) is refused at its first field; a
retried form makes one record (its idempotency key). The page does not exist (404) without the add
permission; the action checks permission and jurisdiction itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from anmin.core import clock
from anmin.core.errors import run_action
from anmin.core.formkit import KitModelForm
from anmin.core.forms import RegionChoiceField, preselect_single
from anmin.core.idempotency import IdempotentFormMixin
from anmin.core.models import Region
from anmin.core.views.base import InvalidFormIs400, ScopedMixin

_DATE = forms.DateInput(attrs={"type": "date"})


class _RecordForm(KitModelForm):
    """The record's own fields; a parent among those the user sees; a place where the user may record."""

    refs: dict = {}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name, (_header, parent) in self.refs.items():
            if name in self.fields:
                self.fields[name].queryset = parent.objects.visible_to(user).order_by("name")
                preselect_single(self.fields[name])
        if "region" in self.fields:
            # a township, a village, or the city's own record for a city unit (what the import allows)
            self.fields["region"].queryset = Region.objects.reportable_by(user, min_level=1).filter(level__lte=3)
            preselect_single(self.fields["region"])


def model_form(model, fields: Sequence[str], *, refs: dict | None = None) -> type[forms.ModelForm]:
    """A kit form of ``model``'s ``fields`` as a record's page shows them: dates picked on a calendar
    (today's by default), long texts a few lines high, a parent (``refs``) among those the user sees,
    a place (``region``) where the user may record. It takes ``user=``."""

    def formfield(db_field, **kwargs):
        if db_field.name == "region":
            return RegionChoiceField(label=_("所在区划"))
        kind = db_field.get_internal_type()
        if kind == "DateField":
            kwargs["widget"] = _DATE
            kwargs["initial"] = clock.today  # the business day (the demo's, in the demo)
        elif kind == "TextField" or (kind == "CharField" and (db_field.max_length or 0) > 200):
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3})  # what happened, what was done: a few lines
        return db_field.formfield(**kwargs)

    base = type(f"{model.__name__}RecordBase", (_RecordForm,), {"refs": refs or {}})
    return forms.modelform_factory(model, form=base, fields=list(fields), formfield_callback=formfield)


class EntryPage(InvalidFormIs400, ScopedMixin, IdempotentFormMixin, FormView):
    """What both kinds of one-record page share: the form takes ``user=``, a page titled and leading back
    to its ledger, 404 without the add permission (``scoped_create``: the authorization matrix reads it),
    a form with errors answered 400, and a retried form making one record (its idempotency key)."""

    template_name = "anmin/form.html"
    form_class_made: Any = None
    entry_title: Any = ""
    ledger_url_name = ""
    done: Any = None

    def get_form_class(self):
        return self.form_class_made

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.entry_title, submit_label=_("登记"),
                                        cancel_url=reverse(self.ledger_url_name), **kwargs)

    def refused(self, form, status: int):
        return self.render_to_response(self.get_context_data(form=form), status=status)

    def registered(self, url: str = ""):
        messages.success(self.request, self.done or _("已登记"))
        return HttpResponseRedirect(url or reverse(self.ledger_url_name))


def _entry(cls, model, *, form_class, perm: str, title, ledger_url_name: str, done) -> None:
    cls.model, cls.form_class_made, cls.entry_title = model, form_class, title
    cls.required_perm = cls.scoped_create = perm
    cls.ledger_url_name, cls.done = ledger_url_name, done


def record_create(ledger, *, title, fields: Sequence[str], ledger_url_name: str, perm: str = "",
                  done: Any = None) -> type[FormView]:
    """A page entering one record of ``ledger`` (a class made by ``record_import``)."""
    spec = ledger.record_spec
    model = ledger.model
    form_class = model_form(model, [*(["region"] if spec["place"] else []), *fields], refs=spec["refs"])
    add_perm = perm or f"{model._meta.app_label}.add_{model._meta.model_name}"

    class RecordCreateView(EntryPage):
        def form_valid(self, form):
            obj = form.save(commit=False)
            if not obj.region_id:
                parent = next((getattr(obj, f) for f in spec["refs"] if getattr(obj, f"{f}_id", None)), None)
                obj.region_id = getattr(parent, "region_id", None)
            key = spec["natural_key"]
            if key and model.objects.filter(**{k: getattr(obj, k) for k in key}).exists():
                first = next((k for k in key if k in form.fields), None)
                form.add_error(first, _("该记录已登记，不要重复登记"))
                return self.refused(form, 400)
            if spec["check"] is not None:
                done_check, status = run_action(form, lambda: spec["check"](obj) or True)
                if done_check is None:
                    return self.refused(form, status)
            saved, status = run_action(form, lambda: spec["save"]([obj], actor=self.request.user,
                                                                  note=f"页面登记：{ledger.title}"))
            return self.refused(form, status) if saved is None else self.registered()

    _entry(RecordCreateView, model, form_class=form_class, perm=add_perm, title=title,
           ledger_url_name=ledger_url_name, done=done)
    RecordCreateView.__name__ = f"{model.__name__}CreateView"
    return RecordCreateView


def action_create(form_class, action, *, title, perm: str, model, ledger_url_name: str, done: Any = None,
                  field_map: dict[str, str] | None = None, from_query: Sequence[str] = ()) -> type[FormView]:
    """A page entering one record through a hand-written action (``action(actor=, **cleaned_data)``):
    a village police officer's day of work, a station's monthly figures. ``form_class`` takes ``user=``
    (its pickers offer what the user sees); the action checks permission and jurisdiction itself; its
    errors land at the fields (``field_map`` renames); a retried form makes one record; without ``perm``
    the page is 404. ``from_query``: fields a link may fill (``?school=12&term=2020-2``)."""

    class ActionCreateView(EntryPage):
        def get_initial(self):
            given = {k: self.request.GET[k][:64] for k in from_query if self.request.GET.get(k)}
            return {**super().get_initial(), **given}

        def form_valid(self, form):
            data = dict(form.cleaned_data)
            made, status = run_action(form, lambda: action(actor=self.request.user, **data), field_map=field_map)
            if made is None:
                return self.refused(form, status)
            url = getattr(made, "get_absolute_url", None)
            return self.registered(url() if callable(url) else "")

    _entry(ActionCreateView, model, form_class=form_class, perm=perm, title=title, ledger_url_name=ledger_url_name,
           done=done)
    ActionCreateView.__name__ = f"{model.__name__}ActionCreateView"
    return ActionCreateView
