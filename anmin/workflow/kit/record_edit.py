"""A record kept after it is entered, brought up to date: how a suspect's case went on (在逃 → 已抓获 →
已起诉 → 已判决), what became of a seized asset (冻结 → 没收), how an incident near a school was dealt
with. Those registers are entered once (``record_create``, ``record_import``); what moves afterwards is a
few fields, changed by the office on the record's page. Two pieces, from a declaration::

    update_incident = record_update(CampusIncident, fields=("handling", "resolved"), what="校园周边案(事)件")
    IncidentEdit = record_edit(CampusIncident, fields=("handling", "resolved"), action=update_incident,
                               title=_("更新处置情况"))
    path("incidents/<int:pk>/edit/", IncidentEdit.as_view(), name="incident_edit")

* ``record_update`` — the write, an ``@action`` named ``update_<model>`` in the app's ``actions`` (the
  guard walk finds it): the model's change permission, a record the actor may change (else it looks
  absent), only the declared fields, each checked by the model's own field rules and then by the
  domain's ``check`` (the one its import and its page use); the version the user saw still current
  (else ``Conflict``, nothing written); unchanged values write nothing; one audit entry ``update`` with
  the fields' values before and after and the user's note as its reason. The model needs a
  ``version`` field.
* ``record_edit`` — the page: the declared fields with the record's values, the version hidden, a note
  (变更说明); 404 where the record is not visible or the user lacks the permission; a refused form
  answers 400 naming the field, a stale one 409 keeping what was typed; done, back to the record.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from anmin.core import audit
from anmin.core.errors import changed_meanwhile, invalid, run_action
from anmin.core.guards import action
from anmin.core.links import pk_url
from anmin.core.views.base import InvalidFormIs400, ScopedMixin

from .record_create import model_form

NOTE_MAX = 200


def _shown(value: Any) -> str:
    """A value as the audit keeps it: text, empty for none."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(getattr(value, "pk", value))


def record_update(model, *, fields: Sequence[str], what: str, check: Callable[[Any], None] | None = None,
                  perm: str = "") -> Callable[..., Any]:
    """The action changing ``fields`` of one ``model`` record (see the module docstring)."""
    app, name = model._meta.app_label, model._meta.model_name
    allowed = tuple(fields)
    labels = {f: str(model._meta.get_field(f).verbose_name) for f in allowed}
    others = [f.name for f in model._meta.concrete_fields if f.name not in allowed]

    def update(*, actor, record, expected_version: int | None = None, note: str = "", **values):
        for field in values:
            if field not in allowed:
                raise invalid(field, f"「{field}」不能在此修改")
        note = (note or "").strip()
        if len(note) > NOTE_MAX:
            raise invalid("note", f"「变更说明」不能超过{NOTE_MAX}个字")
        try:
            expected = int(expected_version)
        except (TypeError, ValueError):
            raise invalid("version", "「版本」为必填项（防止覆盖他人的修改）") from None
        with transaction.atomic():
            locked = model.objects.select_for_update().get(pk=getattr(record, "pk", record))
            if locked.version != expected:
                raise changed_meanwhile(f"该{what}", current={"id": locked.pk, "version": locked.version})
            before = {f: _shown(getattr(locked, f)) for f in values}
            for field, value in values.items():
                setattr(locked, field, value)
            try:
                locked.clean_fields(exclude=others)
            except ValidationError as exc:
                raise ValidationError({f: [f"「{labels.get(f, f)}」{m}" for m in msgs]
                                       for f, msgs in exc.message_dict.items()}) from None
            if check is not None:
                check(locked)
            after = {f: _shown(getattr(locked, f)) for f in values}
            changed = [f for f in values if before[f] != after[f]]
            if not changed:
                return locked
            locked.version += 1
            locked.save(update_fields=[*changed, "version"])
            audit.record(actor=actor, action="update", obj=locked, reason=note,
                         before={f: before[f] for f in changed}, after={f: after[f] for f in changed})
        return locked

    update.__name__ = update.__qualname__ = f"update_{name}"
    update.__module__ = f"anmin.{app}.actions"
    guarded = action(perm=perm or f"{app}.change_{name}", target="record", model=model, target_action="change",
                     what=f"修改{what}")(update)
    guarded.updatable = allowed  # what an import may bring up to date (``record_import(update=)``)
    return guarded


class RecordEditView(InvalidFormIs400, ScopedMixin, FormView):
    """The page of ``record_edit``; ``fields``, ``write`` (the action) and ``edit_title`` set by it."""

    template_name = "anmin/form.html"
    scope_action = "change"
    form_class_made: Any = None
    write: Any = None
    edit_title: Any = ""
    done: Any = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = self.get_queryset().filter(pk=kwargs["pk"]).first()
            if self.object is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return self.form_class_made

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object, "user": self.request.user}

    def get_initial(self):
        return {**super().get_initial(), "version": self.object.version}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f"{self.edit_title}：{self.object}", object=self.object,
                                        submit_label=_("保存"), cancel_url=self.object.get_absolute_url(),
                                        **kwargs)

    def form_valid(self, form):
        data = {f: form.cleaned_data[f] for f in form._meta.fields}
        version = form.cleaned_data.get("version")
        done, status = run_action(form, lambda: type(self).write(
            actor=self.request.user, record=self.object.pk, note=form.cleaned_data.get("note") or "",
            expected_version=self.object.version if version is None else version, **data))
        if done is None:
            return self.render_to_response(self.get_context_data(form=form), status=status)
        messages.success(self.request, self.done or _("已保存"))
        return HttpResponseRedirect(done.get_absolute_url())


def edit_link(ctx: dict, user, obj, url_name: str, label) -> dict:
    """A record page's button to ``record_edit``'s page, for a user holding the change permission."""
    meta = obj._meta
    if url_name and user.has_perm(f"{meta.app_label}.change_{meta.model_name}"):
        ctx["edit_url"], ctx["edit_label"] = pk_url(url_name, obj.pk), label
    return ctx


def record_edit(model, *, fields: Sequence[str], action: Callable[..., Any], title, done: Any = None,
                perm: str = "") -> type[FormView]:
    """The page bringing ``fields`` of a ``model`` record up to date through ``action``
    (a ``record_update``)."""
    base = model_form(model, fields)

    class Form(base):
        version = forms.IntegerField(widget=forms.HiddenInput, required=False)
        note = forms.CharField(label=_("变更说明"), max_length=NOTE_MAX, required=False,
                               help_text=_("变更的原因或依据，记入审计日志"))

    view = type(f"{model.__name__}EditView", (RecordEditView,), {
        "model": model, "form_class_made": Form, "write": staticmethod(action), "edit_title": title,
        "done": done, "required_perm": perm or f"{model._meta.app_label}.change_{model._meta.model_name}"})
    return view
