"""修改房屋信息: a house's address, use, rental and owner corrected on a page (``actions.update_house``
had no page: a mistyped address stayed). The form is the registration's, with the version it was opened
on: a change made meanwhile by someone else is told, and what was typed is kept."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from anmin.core.errors import run_action
from anmin.core.views.base import InvalidFormIs400, ScopedMixin

from . import actions, forms
from .models import House

FIELDS = ("address", "region", "use", "is_rented", "owner_name", "floor_area", "rental_use", "notes")


class HouseEditForm(forms.HouseForm):
    version = django_forms.IntegerField(widget=django_forms.HiddenInput)


class HouseEditView(InvalidFormIs400, ScopedMixin, FormView):
    model = House
    scope_action = "change"  # 404 unless the user may change this house (its area, the permission)
    required_perm = "people.change_house"
    template_name = "anmin/form.html"
    form_class = HouseEditForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.required_perm):
            raise Http404
        self.object = self.get_queryset().select_related("region").filter(pk=kwargs["pk"]).first()
        if self.object is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        h = self.object
        return {**{f: getattr(h, f) for f in FIELDS}, "version": h.version}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("修改房屋信息：%(a)s") % {"a": self.object.address},
                                        submit_label=_("保存"), cancel_url=self.object.get_absolute_url(), **kwargs)

    def form_valid(self, form):
        d = form.cleaned_data
        changes = {f: d[f] for f in FIELDS if f in d and d[f] != getattr(self.object, f)}
        house, status = run_action(form, actions.update_house, actor=self.request.user, house=self.object,
                                   expected_version=d["version"], changes=changes, request=self.request)
        if house is None:
            return self.render_to_response(self.get_context_data(form=form), status=status)
        messages.success(self.request, _("已保存"))
        return HttpResponseRedirect(house.get_absolute_url())
