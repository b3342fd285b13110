"""Setting a year's assessment up: a new scheme (usually last year's copied), its items and units on
the scheme's page while it is a draft, and the 扣分/加分 the office registers on a unit's page.

Each form is the action's: the action checks permission, area and the draft state itself; a form's
errors come back at its fields with what was typed kept (400), a retried 新建 makes one scheme."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from anmin.core.errors import ActionError, run_action
from anmin.core.idempotency import IdempotentFormMixin
from anmin.core.links import pk_param
from anmin.core.models import Region
from anmin.core.views.base import InvalidFormIs400, ScopedMixin

from . import actions, forms
from .models import Indicator, IndicatorKind, Scheme, Target, UnitType


class SchemeCreateView(InvalidFormIs400, ScopedMixin, IdempotentFormMixin, FormView):
    """新建考核方案: the office's own area; from an earlier scheme, or empty."""

    model = Scheme
    required_perm = scoped_create = "assessment.add_scheme"
    template_name = "anmin/form.html"
    form_class = forms.SchemeForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        schemes = self.get_queryset().order_by("-year", "unit_type")
        kwargs["schemes"] = schemes
        last = schemes.first()
        if last is not None and self.request.method == "GET":
            year = last.year + 1
            kwargs["initial"] = {"copy_from": last.pk, "year": year,
                                 "name": last.name.replace(str(last.year), str(year), 1)}
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("新建考核方案"), submit_label=_("新建方案"),
                                        cancel_url=reverse("assessment:scheme_list"), **kwargs)

    def form_valid(self, form):
        d = form.cleaned_data
        user = self.request.user
        if d["copy_from"] is not None:
            scheme, status = run_action(form, actions.copy_scheme, actor=user, source=d["copy_from"],
                                        year=d["year"], name=d["name"], excellent_quota=d["excellent_quota"])
        else:
            region = Region.objects.filter(pk=user.scope.region_code or "").first()
            if region is None:
                form.add_error(None, _("您的账号没有所属单位，不能新建考核方案"))
                return self.form_invalid(form)
            scheme, status = run_action(form, actions.create_scheme, actor=user, year=d["year"],
                                        unit_type=d["unit_type"], name=d["name"], region=region,
                                        excellent_quota=d["excellent_quota"])
        if scheme is None:
            return self.render_to_response(self.get_context_data(form=form), status=status)
        messages.success(self.request, _("已新建考核方案：%(name)s") % {"name": scheme.name})
        return HttpResponseRedirect(scheme.get_absolute_url())


class SchemeSetup:
    """The scheme page's setting-up forms (a draft, the office): an item, a unit, all townships,
    removing an item or a unit set up by mistake."""

    def setup_post(self, request, scheme: Scheme, what: str):
        user = request.user
        if what == "indicator":
            form = forms.IndicatorForm(request.POST, scheme=scheme, prefix="ind")
            if form.is_valid():
                d = form.cleaned_data
                item = d["item"]
                kind = d["kind"]
                done, status = run_action(
                    form, actions.add_indicator, field_map={"kpi": "offered"}, actor=user, scheme=scheme,
                    code=d["code"], name=d["name"] or (str(item.label) if item else ""), kind=kind,
                    max_score=d["max_score"], parent=d["parent"],
                    kpi=item.kpi if item and kind != IndicatorKind.GROUP else "",
                    rule=dict(item.rule or {}) if item and kind != IndicatorKind.GROUP else None,
                    description=d["description"], order=_next_order(scheme))
                if done is not None:
                    messages.success(request, _("已添加指标：%(code)s %(name)s")
                                     % {"code": done.code, "name": done.name})
                    return redirect(scheme.get_absolute_url() + "?setup=1#setup")
            else:
                status = 400
            return self.render_to_response(self.get_context_data(bound={"indicator": form}), status=status)
        if what == "target":
            form = forms.TargetForm(request.POST, prefix="unit")
            if form.is_valid():
                done, status = run_action(form, actions.add_target, actor=user, scheme=scheme,
                                          name=form.cleaned_data["name"], region=scheme.region,
                                          order=scheme.targets.count())
                if done is not None:
                    messages.success(request, _("已添加考核对象：%(name)s") % {"name": done.name})
                    return redirect(scheme.get_absolute_url() + "?setup=1#setup")
            else:
                status = 400
            return self.render_to_response(self.get_context_data(bound={"target": form}), status=status)
        if what == "townships":
            done, made = attempt(request, actions.add_townships, scheme=scheme)
            if done:
                messages.success(request, _("已添加 %(n)d 个乡镇(街道)") % {"n": len(made)} if made
                                 else _("本方案已包含全部乡镇(街道)"))
        elif what == "remove_indicator":
            item = Indicator.objects.filter(scheme=scheme, pk=pk_param(request.POST.get("item"))).first()
            if item is None:
                raise Http404
            if attempt(request, actions.remove_indicator, scheme=scheme, indicator=item)[0]:
                messages.success(request, _("已删除指标：%(code)s %(name)s") % {"code": item.code, "name": item.name})
        elif what == "remove_target":
            unit = Target.objects.visible_to(user).filter(scheme=scheme, pk=pk_param(request.POST.get("unit"))).first()
            if unit is None:
                raise Http404
            if attempt(request, actions.remove_target, target=unit)[0]:
                messages.success(request, _("已删除考核对象：%(name)s") % {"name": unit.name})
        else:
            return None
        return redirect(scheme.get_absolute_url() + "?setup=1#setup")

    def setup_context(self, scheme: Scheme, bound: dict) -> dict:
        user = self.request.user
        if scheme.is_frozen or not user.has_perm("assessment.change_scheme"):
            return {}
        return {"setup": {
            "indicator_form": bound.get("indicator") or forms.IndicatorForm(scheme=scheme, prefix="ind"),
            "target_form": bound.get("target") or forms.TargetForm(prefix="unit"),
            "townships": scheme.unit_type == UnitType.TOWNSHIP,
            "units": list(scheme.targets.order_by("order", "name")),
            # open after a change made here (the page comes back to it) or with a form to correct
            "open": bool(bound) or bool(self.request.GET.get("setup")),
        }}



def _next_order(scheme: Scheme) -> int:
    last = scheme.indicators.order_by("-order").values_list("order", flat=True).first()
    return min((last or 0) + 1, 32767)


def attempt(request, fn, **kw) -> tuple[bool, Any]:
    """An action from a button (the scheme's and a unit's pages): (done, its result); a refusal becomes
    the page's error message (there is nothing typed to keep)."""
    try:
        return True, fn(actor=request.user, **kw)
    except ActionError as exc:
        messages.error(request, str(getattr(exc, "message", exc)))
        return False, None


def adjustment_post(view, request, target: Target):
    """登记扣分/加分 on a unit's page."""
    form = forms.AdjustmentForm(request.POST, scheme=target.scheme, prefix="adj")
    status = 400
    if form.is_valid():
        d = form.cleaned_data
        done, status = run_action(form, actions.add_adjustment, actor=request.user, target=target,
                                  indicator=d["indicator"], points=d["points"], reason=d["reason"],
                                  reference=d["reference"])
        if done is not None:
            word = _("扣分") if d["indicator"].kind == IndicatorKind.DEDUCTION else _("加分")
            messages.success(request, _("已登记%(word)s：%(code)s %(points)s 分") % {
                "word": word, "code": d["indicator"].code, "points": done.points.normalize()})
            return redirect(target.get_absolute_url())
    return view.render_to_response(view.get_context_data(bound={("adjust", 0): form}), status=status)
