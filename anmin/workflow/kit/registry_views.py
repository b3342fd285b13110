"""Pages of a registry, made from its declaration (see ``kit.registry``).

``Registry.urls()`` gives, under the app's namespace, ``<slug>_list`` (ledger: filters, Excel export
and import, the coverage gaps of its rules), ``<slug>_new`` (create), ``<slug>_detail`` (with the
status history), ``<slug>_edit``, ``<slug>_status`` and ``<slug>_retire``. Every page reads through
``visible_to``; every write calls the registry's actions. Subclass a view and pass it by page name to
replace one: ``CAMERAS.urls(detail=CameraDetail)``.
"""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from anmin.core.errors import run_action
from anmin.core.filters import FilterSet, township_choices
from anmin.core.formkit import KitForm, KitModelForm
from anmin.core.idempotency import IdempotentFormMixin
from anmin.core.ledgers import LedgerImportMixin
from anmin.core.models import Region
from anmin.core.tables import Column, Table
from anmin.core.views.base import DetailPage, InvalidFormIs400, LedgerView, ScopedMixin

from .coverage import rules_for, summary
from .registry import Registry, history

# -- tables and filters --------------------------------------------------------------------------------


def make_table(registry: Registry) -> type[Table]:
    model = registry.model
    names = registry.list_fields if registry.list_fields is not None else registry.fields[:5]
    cols = []
    for i, name in enumerate(names):
        header = model._meta.get_field(name.split(".")[0]).verbose_name
        cols.append(Column(name, header, link=i == 0))
    cols += [Column("place_name", _("所在区划"), width=24), Column("status", _("状态")),
             Column("is_active", _("在册"), value=lambda o: _("在册") if o.is_active else _("已注销"))]
    return type(f"{model.__name__}Table", (Table,), {"columns": tuple(cols)})


def make_filter(registry: Registry) -> type[FilterSet]:
    model = registry.model

    def in_township(self, qs, name, value):
        return qs.filter(region__code__startswith=value.prefix) if value else qs

    def search(self, qs, name, value):
        return qs.filter(**{f"{registry.search}__contains": value}) if value else qs

    def on_register(self, qs, name, value):
        return qs.filter(is_active=value == "1") if value in ("0", "1") else qs

    attrs: dict[str, Any] = {
        "q": django_filters.CharFilter(label=model._meta.get_field(registry.search).verbose_name, method="search"),
        "township": django_filters.ModelChoiceFilter(label=_("乡镇(街道)"), queryset=township_choices,
                                                     method="in_township"),
        "status": django_filters.ChoiceFilter(label=_("状态"), choices=registry.statuses),
        "active": django_filters.ChoiceFilter(label=_("在册"), choices=[("1", _("在册")), ("0", _("已注销"))],
                                              method="on_register"),
        "in_township": in_township, "search": search, "on_register": on_register,
    }
    meta = type("Meta", (), {"model": model, "fields": ["q", "township", "status", "active",
                                                        *registry.filter_fields]})
    attrs["Meta"] = meta
    return type(f"{model.__name__}Filter", (FilterSet,), attrs)


# -- forms --------------------------------------------------------------------------------------------


class PlaceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        parent = obj.parent
        return f"{parent.name} / {obj.name}" if parent is not None and obj.level > 2 else obj.name


def record_form(registry: Registry, *, with_place: bool = True) -> type[forms.ModelForm]:
    class RecordForm(KitModelForm):
        class Meta:
            model = registry.model
            fields = list(registry.fields)

        def __init__(self, *args, user=None, **kwargs):
            super().__init__(*args, **kwargs)
            if with_place:
                self.fields["region"] = PlaceField(
                    label=_("所在区划"),
                    queryset=Region.objects.reportable_by(user, min_level=max(registry.min_level, 2)),
                    initial=getattr(self.instance, "region_id", None))
                self.order_fields(["region", *registry.fields])
            if self.instance.pk:  # the version the user saw, so a stale tab gets a conflict, not an overwrite
                self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False,
                                                            initial=self.instance.version)

    return RecordForm


class StatusForm(KitForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    status = forms.ChoiceField(label=_("状态"))
    note = forms.CharField(label=_("状态说明"), max_length=200, required=False)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = choices


class RetireForm(KitForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label=_("注销原因"), max_length=200)


# -- views ----------------------------------------------------------------------------------------------


class RegistryMixin:
    registry: ClassVar[Registry]


class RegistryLedgerView(RegistryMixin, LedgerImportMixin, LedgerView):
    template_name = "workflow/kit/registry_ledger.html"

    @property
    def import_permission(self) -> str:  # type: ignore[override]
        return self.registry.perm("add")

    def get_ledger(self):
        return self.registry.ledger_class(user=self.request.user, request=self.request)

    def get_queryset(self):
        return super().get_queryset().select_related("region__parent__parent")

    def export_response(self, qs):
        return self.get_ledger().export_response(qs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.request.user.has_perm(self.registry.perm("add")):
            ctx["create_url"] = reverse(self.registry.url_name("new"))
            ctx["import_url"] = "?import=1"
        ctx["coverage"] = [summary(rule, user=self.request.user) for rule in rules_for(self.model)]
        return ctx


class RegistryDetailView(RegistryMixin, DetailPage):
    template_name = "workflow/kit/registry_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("region__parent__parent")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj, user, reg = self.object, self.request.user, self.registry
        ctx["fields"] = [(obj._meta.get_field(f).verbose_name, _display(obj, f)) for f in reg.fields]
        ctx["history"] = history(reg, obj)
        ctx["may_change"] = obj.is_active and reg.model.objects.visible_to(user, "change").filter(pk=obj.pk).exists()
        ctx["urls"] = {p: reverse(reg.url_name(p), args=[obj.pk]) for p in ("edit", "status", "retire")}
        ctx["ledger_url"] = reverse(reg.url_name("list"))
        if reg.status_case is not None:
            ctx["status_case_label"] = reg.status_case.kind.display_label
            ctx["status_cases"] = [d.case for d in reg.status_case.cases_for(obj, user)[:20]]
        return ctx


def _display(obj, name: str) -> Any:
    from anmin.core.money import is_money, money
    from anmin.core.tables import shown

    if is_money(obj, name):
        return money(getattr(obj, name))
    display = getattr(obj, f"get_{name}_display", None)
    return shown(display() if callable(display) else getattr(obj, name))


class RegistryCreateView(RegistryMixin, InvalidFormIs400, IdempotentFormMixin, FormView):
    """登记: a create-only page (the matrix: 200 with the add permission, else 404)."""

    template_name = "anmin/form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.registry.perm("add")):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return record_form(self.registry)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("登记%(what)s") % {"what": self.registry.display_title},
                                        cancel_url=reverse(self.registry.url_name("list")), **kwargs)

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        obj, status = run_action(form, lambda: self.registry.action("create")(actor=self.request.user, **data))
        if obj is None:
            return self.render_to_response(self.get_context_data(form=form), status=status)
        messages.success(self.request, _("已登记：%(name)s") % {"name": obj})
        return HttpResponseRedirect(obj.get_absolute_url())


class RegistryRecordFormView(RegistryMixin, InvalidFormIs400, ScopedMixin, FormView):
    """A form on one record (edit, status, retire): 404 where the record is not visible; a user who
    sees it but may not change it is told so (the action refuses the write)."""

    template_name = "anmin/form.html"
    page: ClassVar[str] = ""
    done: ClassVar[Any] = _("已保存")

    def dispatch(self, request, *args, **kwargs):
        self.object = self.get_queryset().select_related("region").filter(pk=kwargs["pk"]).first()
        if self.object is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f"{self.title()}：{self.object}", object=self.object,
                                        cancel_url=self.object.get_absolute_url(), **kwargs)

    def get_initial(self):
        return {**super().get_initial(), "version": self.object.version}

    def title(self) -> str:
        return ""

    def write(self, data: dict) -> Any:
        raise NotImplementedError

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version", None)  # the form's number ("5.0" is 5 to it; int() of the raw text failed)
        expected = self.object.version if version is None else version
        result, status = run_action(form, lambda: self.write({**data, "expected_version": expected}))
        if result is None:
            return self.render_to_response(self.get_context_data(form=form), status=status)
        messages.success(self.request, self.done)
        return HttpResponseRedirect(self.object.get_absolute_url())


class RegistryEditView(RegistryRecordFormView):
    def get_form_class(self):
        return record_form(self.registry)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.object}

    def title(self) -> str:
        return str(_("修改"))

    def write(self, data):
        obj = self.registry.model.objects.get(pk=self.object.pk)  # the form edited self.object in memory
        return self.registry.action("update")(actor=self.request.user, record=obj, **data)


class RegistryStatusView(RegistryRecordFormView):
    def get_form_class(self):
        return StatusForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "choices": self.registry.statuses}

    def get_initial(self):
        return {**super().get_initial(), "status": self.object.status}

    def title(self) -> str:
        return str(_("变更状态"))

    def write(self, data):
        return self.registry.action("set_status")(actor=self.request.user, record=self.object, **data)


class RegistryRetireView(RegistryRecordFormView):
    def get_form_class(self):
        return RetireForm

    def title(self) -> str:
        return str(_("注销"))

    def write(self, data):
        return self.registry.action("retire")(actor=self.request.user, record=self.object, **data)


def registry_urls(registry: Registry, **views: type) -> list:
    model = registry.model
    base = {"registry": registry, "model": model}
    ledger = {**base, "filterset_class": make_filter(registry), "table_class": make_table(registry),
              "title": format_lazy(_("{what}台账"), what=registry.display_title),
              "export_name": f"{registry.title}台账"}
    bases = {"list": (RegistryLedgerView, ledger), "new": (RegistryCreateView, {**base, "scoped_create":
             registry.perm("add")}), "detail": (RegistryDetailView, base), "edit": (RegistryEditView, base),
             "status": (RegistryStatusView, base), "retire": (RegistryRetireView, base)}
    made = {page: type(f"{model.__name__}{page.title()}View", (views.get(page) or kit_base,), attrs)
            for page, (kit_base, attrs) in bases.items()}
    s = registry.slug
    return [
        path(f"{s}s/", made["list"].as_view(), name=f"{s}_list"),
        path(f"{s}s/new/", made["new"].as_view(), name=f"{s}_new"),
        path(f"{s}s/<int:pk>/", made["detail"].as_view(), name=f"{s}_detail"),
        path(f"{s}s/<int:pk>/edit/", made["edit"].as_view(), name=f"{s}_edit"),
        path(f"{s}s/<int:pk>/status/", made["status"].as_view(), name=f"{s}_status"),
        path(f"{s}s/<int:pk>/retire/", made["retire"].as_view(), name=f"{s}_retire"),
    ]
