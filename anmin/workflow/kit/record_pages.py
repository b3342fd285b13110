"""Pages for the smaller records kept against a registry (an incident near a school, an inspection of
a water, a counselling session, a publicity campaign): a ledger with search, 乡镇(街道), the record's
own filters and a date range, and an audited Excel export; optionally a detail page. Made from a
declaration, like the registry kit's pages, so a domain writes no view code for them::

    IncidentLedger = record_ledger(CampusIncident, title=_("校园周边案(事)件"),
                                   fields=("school", "occurred_on", "kind", "resolved"),
                                   filter_fields=("kind", "resolved"), search="description",
                                   date_field="occurred_on", select_related=("school", "region"))
    path("incidents/", IncidentLedger.as_view(), name="incident_list")

Rows link to the record's ``get_absolute_url`` (the school's page for an incident) unless
``link=False``. Reading goes through ``visible_to`` (the core ledger view); the export is the core's
(no formulas, audited).

With ``ledger=`` (an ``anmin.core.ledgers.Ledger``, e.g. one made by ``record_import`` in
``kit.record_ledgers``) the page also imports that Excel ledger (upload, dry run naming every bad row
and column, confirm) for users holding ``import_perm``, and exports in the ledger's own columns, so
the export can be filled in and imported again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import django_filters
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from anmin.core.filters import FilterSet, township_choices
from anmin.core.ledgers import Ledger, LedgerImportMixin
from anmin.core.tables import Column, Table
from anmin.core.views.base import DetailPage, LedgerView


def _header(model, name: str) -> str:
    field = model._meta.get_field(name.split(".")[0])
    return field.verbose_name


def _value(model, name: str):
    field = model._meta.get_field(name)
    if isinstance(field, models.BooleanField):
        return lambda o: _("是") if getattr(o, name) else _("否")
    return None


def record_table(model, fields: Sequence[str], *, link: bool = True) -> type[Table]:
    cols = [Column(name, _header(model, name), value=_value(model, name), link=link and i == 0)
            for i, name in enumerate(fields)]
    cols.append(Column("region.name", _("所在区划"), value=lambda o: o.region.name if o.region_id else ""))
    return type(f"{model.__name__}Table", (Table,), {"columns": tuple(cols)})


def record_filter(model, *, filter_fields: Sequence[str] = (), search: str = "",
                  date_field: str = "") -> type[FilterSet]:
    def in_township(self, qs, name, value):
        return qs.filter(region__code__startswith=value.prefix) if value else qs

    attrs: dict[str, Any] = {
        "township": django_filters.ModelChoiceFilter(label=_("乡镇(街道)"), queryset=township_choices,
                                                     method="in_township"),
        "in_township": in_township,
    }
    names = ["township", *filter_fields]
    if search:
        attrs["q"] = django_filters.CharFilter(field_name=search, lookup_expr="contains",
                                               label=_header(model, search))
        names.insert(0, "q")
    if date_field:
        widget = forms.DateInput(attrs={"type": "date"})
        attrs["date_from"] = django_filters.DateFilter(field_name=date_field, lookup_expr="gte", label=_("起始日期"),
                                                       widget=widget)
        attrs["date_to"] = django_filters.DateFilter(field_name=date_field, lookup_expr="lte", label=_("截止日期"),
                                                     widget=widget)
        names += ["date_from", "date_to"]
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": names})
    return type(f"{model.__name__}Filter", (FilterSet,), attrs)


def record_ledger(model, *, title, fields: Sequence[str], filter_fields: Sequence[str] = (), search: str = "",
                  date_field: str = "", select_related: Sequence[str] = ("region",), link: bool = True,
                  export_name: str = "", ledger: type[Ledger] | None = None,
                  import_perm: str = "", required_perm: str = "", create_url_name: str = "",
                  create_label: Any = None) -> type[LedgerView]:
    """A ledger page class for ``model`` (scoped, filtered, exported; with ``ledger``, imported too,
    by who holds ``import_perm`` — the model's add permission by default). ``required_perm``: the page
    does not exist (404) for users without it. ``create_url_name``: the page entering one record
    (``kit.record_create``), offered as 登记 to whoever holds the model's add permission."""
    related = tuple(select_related)
    add_perm = import_perm or f"{model._meta.app_label}.add_{model._meta.model_name}"

    def get_queryset(self):
        return LedgerView.get_queryset(self).select_related(*related)

    def get_context_data(self, **kwargs):
        ctx = super(view, self).get_context_data(**kwargs)
        if create_url_name and self.request.user.has_perm(add_perm):
            from django.urls import reverse

            ctx["create_url"], ctx["create_label"] = reverse(create_url_name), create_label or _("登记")
        return ctx

    attrs: dict[str, Any] = {
        "model": model, "title": title, "export_name": export_name or str(title),
        "table_class": record_table(model, fields, link=link),
        "filterset_class": record_filter(model, filter_fields=filter_fields, search=search, date_field=date_field),
        "get_queryset": get_queryset, "required_perm": required_perm or None,
    }
    bases: tuple[type, ...] = (LedgerView,)
    if ledger is not None:
        bases = (LedgerImportMixin, LedgerView)
        attrs["ledger_class"] = ledger
        attrs["import_permission"] = import_perm or f"{model._meta.app_label}.add_{model._meta.model_name}"
        attrs["export_response"] = lambda self, qs: self.get_ledger().export_response(qs)
    view = type(f"{model.__name__}LedgerView", bases, attrs)
    view.get_context_data = get_context_data
    return view


class RecordDetailView(DetailPage):
    """A record's facts (its ``fields``) and, optionally, a list of its children (``children``: the
    related name, and the fields shown for each)."""

    template_name = "workflow/kit/record_detail.html"
    fields: tuple[str, ...] = ()
    children: tuple[str, tuple[str, ...]] | None = None
    ledger_url_name = ""
    edit_url_name = ""  # the page bringing the record up to date (``kit.record_edit``), for who may change it
    edit_label: Any = _("更新")

    def get_context_data(self, **kwargs):
        from django.urls import reverse

        from .record_edit import edit_link
        from .registry_views import _display

        o = self.object
        ctx = super().get_context_data(**kwargs)
        ctx["rows"] = [(_header(self.model, f), _display(o, f)) for f in self.fields]
        ctx["ledger_url"] = reverse(self.ledger_url_name) if self.ledger_url_name else ""
        edit_link(ctx, self.request.user, o, self.edit_url_name, self.edit_label)
        if self.children:
            rel, names = self.children
            manager = getattr(o, rel)
            child = manager.model
            ctx["child_title"] = child._meta.verbose_name_plural
            ctx["child_headers"] = [_header(child, n) for n in names]
            ctx["child_rows"] = [[_display(c, n) for n in names] for c in manager.all()[:500]]
        return ctx
