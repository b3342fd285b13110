"""The gap-list page (覆盖缺口清单): every coverage rule the user may read, its rate and the places
or records short of it, inside the user's jurisdiction — villages lacking a 一村一警 or a legal
adviser, a patrol team below its minimum, schools lacking one of the five 100% items. Rules come from
``kit.coverage.coverage_rules`` (each app declares its own); the page knows no domain."""

from __future__ import annotations

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from anmin.core.formkit import KitFilterForm
from anmin.core.models import Region

from .coverage import coverage_rules, summary

SHOWN = 500  # gaps listed per rule on the page


def readable_rules(user) -> list:
    """The rules whose records the user may view (the model's view permission)."""
    out = []
    for rule in coverage_rules:
        app_label, _sep, model = rule.model.partition(".")
        if user.has_perm(f"{app_label}.view_{model.lower()}"):
            out.append(rule)
    return out


class GapFilter(KitFilterForm):
    rule = forms.ChoiceField(label=_("覆盖规则"), required=False)
    township = forms.ModelChoiceField(label=_("乡镇(街道)"), queryset=Region.objects.none(), required=False)

    def __init__(self, *args, rules=(), user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [("", _("全部")), *((r.key, r.label) for r in rules)]
        self.fields["township"].queryset = Region.objects.visible_to(user).townships()


class CoverageGapsView(LoginRequiredMixin, TemplateView):
    template_name = "workflow/kit/coverage_gaps.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        rules = readable_rules(user)
        if not rules:
            raise Http404
        form = GapFilter(self.request.GET or None, rules=rules, user=user)
        key, within = "", None
        if form.is_valid():
            key = form.cleaned_data["rule"]
            township = form.cleaned_data["township"]
            within = township.code if township else None
        chosen = [r for r in rules if not key or r.key == key]
        summaries = [summary(rule, within=within, user=user) for rule in chosen]
        return super().get_context_data(title=_("覆盖缺口清单"), form=form, summaries=summaries, shown=SHOWN,
                                        shown_slice=f":{SHOWN}",
                                        **kwargs)
