"""Pages of the assessment: schemes and their ranking, a unit's explanation, vetoes, appeals."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anmin.core.errors import run_action
from anmin.core.idempotency import FORM_FIELD, new_key, run_form_post
from anmin.core.links import pk_param
from anmin.core.tables import Column, Table
from anmin.core.views.base import DetailPage, LedgerView

from . import actions, engine, explain, forms
from .models import Appeal, AppealStatus, Indicator, IndicatorKind, Scheme, Target, UnitType, Veto
from .setup_views import SchemeSetup, adjustment_post, attempt


class SchemeTable(Table):
    columns = (
        Column("name", _("方案名称"), link=True, width=36),
        Column("year", _("年度")),
        Column("unit_type", _("考核对象")),  # Column.get shows a choice field's label
        Column("status", _("状态")),
    )


class SchemeListView(LedgerView):
    model = Scheme
    table_class = SchemeTable
    title = _("考核评估")
    export_name = "考核方案"
    template_name = "assessment/scheme_list.html"
    create_label = _("新建考核方案")

    @property
    def create_url(self):
        return reverse("assessment:scheme_create") if self.request.user.has_perm("assessment.add_scheme") else None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["create_label"] = self.create_label
        user = self.request.user
        # A township centre does not see the city's scheme but its own unit in it (a 市直单位 its own
        # org unit's); the office and leaders see every scheme and reach each unit from its ranking.
        own = Q(org_unit_id=user.org_unit_id) if user.org_unit_id else Q(pk__in=[])
        code = getattr(user.scope, "region_code", None)
        if code:
            own |= Q(scheme__unit_type=UnitType.TOWNSHIP, region_id=code)
        ctx["my_targets"] = (Target.objects.visible_to(user).filter(own).select_related("scheme")
                             .order_by("-scheme__year", "scheme__unit_type", "name"))
        ctx["scheme_units"] = (Scheme.objects.visible_to(user).annotate(units=Count("targets"))
                               .order_by("-year", "unit_type"))
        return ctx


def _act(request, fn, ok: str, **kw) -> bool:
    done, _result = attempt(request, fn, **kw)
    if done:
        messages.success(request, ok)
    return done


class SchemeDetailView(SchemeSetup, DetailPage):
    model = Scheme
    template_name = "assessment/scheme_detail.html"

    def post(self, request, *args, **kwargs):
        self.object = scheme = self.get_object()
        return run_form_post(request, lambda: self._post(request, scheme))

    def _post(self, request, scheme):
        what = request.POST.get("do")
        answered = self.setup_post(request, scheme, what)
        if answered is not None:
            return answered
        if what == "propose":
            _act(request, actions.propose_vetoes, _("已根据记录提出一票否决建议"), scheme=scheme)
        elif what == "publish":
            _act(request, actions.publish_scheme, _("考核结果已发布，本年度已冻结"), scheme=scheme)
        elif what == "veto":
            veto = (Veto.objects.visible_to(request.user)
                    .filter(pk=pk_param(request.POST.get("veto")), target__scheme=scheme).first())
            if veto is None:
                raise Http404
            confirm = request.POST.get("confirm") == "1"
            _act(request, actions.decide_veto, _("一票否决已认定") if confirm else _("一票否决建议不予认定"), veto=veto,
                 confirm=confirm, note=request.POST.get("note", ""))
        return redirect(scheme.get_absolute_url())

    def get_context_data(self, bound=None, **kwargs):
        ctx = super().get_context_data(**kwargs)
        scheme = self.object
        ctx.update(self.setup_context(scheme, bound or {}))
        ctx[FORM_FIELD] = new_key()
        results = sorted(engine.compute(scheme), key=lambda r: (r.rank, r.target.name))
        for r in results:
            r.veto_rows = explain.veto_rows(r.vetoes)
        ctx.update(results=results, summary=engine.summary(scheme, results),
                   indicators=explain.indicator_rows(scheme),
                   vetoes=Veto.objects.visible_to(self.request.user).filter(target__scheme=scheme).select_related("target"),
                   appeals=Appeal.objects.visible_to(self.request.user).filter(target__scheme=scheme)
                   .select_related("target", "indicator"),
                   designations=scheme.designations.all()[:200],
                   may_manage=self.request.user.has_perm("assessment.change_scheme"),
                   may_publish=self.request.user.has_perm("assessment.publish_scheme"),
                   may_decide=self.request.user.has_perm("assessment.decide_veto"))
        return ctx


def _review_form(appeal: Appeal, data=None) -> forms.AppealReviewForm:
    """The review of one appeal; a new score only where the item is scored (manual or data item)."""
    form = forms.AppealReviewForm(data, prefix=f"a{appeal.pk}")
    if appeal.indicator is None or appeal.indicator.kind not in (IndicatorKind.MANUAL, IndicatorKind.KPI):
        del form.fields["new_score"]
    return form


class TargetDetailView(DetailPage):
    """A unit's result explained. The unit appeals here; the office scores the manual items and
    reviews the unit's appeals here (each form on its own, a stale one told: nothing overwritten)."""

    model = Target
    template_name = "assessment/target_detail.html"

    def post(self, request, *args, **kwargs):
        self.object = target = self.get_object()
        what = request.POST.get("do")
        if what == "score":
            return self._score(request, target)
        if what in ("accept", "reject"):
            return self._review(request, target, accept=what == "accept")
        if what == "adjust":
            return run_form_post(request, lambda: adjustment_post(self, request, target))
        indicator = Indicator.objects.filter(scheme=target.scheme, pk=pk_param(request.POST.get("indicator"))).first()
        _act(request, actions.file_appeal, _("申诉已提交，等待复核"), target=target, indicator=indicator,
             reason=request.POST.get("reason", ""))
        return redirect(target.get_absolute_url())

    def _score(self, request, target):
        indicator = (target.scheme.indicators
                     .filter(kind=IndicatorKind.MANUAL, pk=pk_param(request.POST.get("indicator"))).first())
        if indicator is None:
            raise Http404
        form = forms.ScoreForm(request.POST, prefix=f"s{indicator.pk}")
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            done, status = run_action(form, actions.score_item, actor=request.user, target=target,
                                      indicator=indicator, score=d["score"], note=d["note"],
                                      expected_version=d["version"] or 0)
            if done is not None:
                messages.success(request, _("已评分：%(code)s %(name)s") % {"code": indicator.code,
                                                                          "name": indicator.name})
                return redirect(target.get_absolute_url())
        return self.render_to_response(self.get_context_data(bound={("score", indicator.pk): form}),
                                       status=status)

    def _review(self, request, target, *, accept: bool):
        appeal = (Appeal.objects.visible_to(request.user)
                  .filter(target=target, pk=pk_param(request.POST.get("appeal"))).first())
        if appeal is None:
            raise Http404
        form = _review_form(appeal, request.POST)
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            done, status = run_action(form, actions.decide_appeal, field_map={"score": "new_score"},
                                      actor=request.user, appeal=appeal, accept=accept, decision=d["decision"],
                                      new_score=d.get("new_score") if accept else None)
            if done is not None:
                messages.success(request, _("申诉已复核：已采纳") if accept else _("申诉已复核：维持原评"))
                return redirect(target.get_absolute_url())
        return self.render_to_response(self.get_context_data(bound={("appeal", appeal.pk): form}),
                                       status=status)

    def get_context_data(self, bound=None, **kwargs):
        ctx = super().get_context_data(**kwargs)
        target = self.object
        bound = bound or {}
        result = next((r for r in engine.compute(target.scheme) if r.target.pk == target.pk), None)
        user = self.request.user
        is_open = not target.scheme.is_frozen
        may_score = is_open and user.has_perm("assessment.score_scheme")
        scoring = []
        if may_score:
            scores = {s.indicator_id: s for s in target.scores.all()}
            for ind in target.scheme.indicators.filter(kind=IndicatorKind.MANUAL).order_by("order", "code"):
                own = scores.get(ind.pk)
                form = bound.get(("score", ind.pk)) or forms.ScoreForm(prefix=f"s{ind.pk}", initial={
                    "version": own.version if own else 0, "score": own.score if own else None,
                    "note": own.note if own else ""})
                scoring.append({"indicator": ind, "max": explain.num(ind.max_score), "own": own,
                                "score": explain.num(own.score) if own else None, "form": form})
        adjust = None
        if may_score and target.scheme.indicators.filter(
                kind__in=(IndicatorKind.DEDUCTION, IndicatorKind.BONUS)).exists():
            adjust = bound.get(("adjust", 0)) or forms.AdjustmentForm(scheme=target.scheme, prefix="adj")
        ctx[FORM_FIELD] = self.request.POST.get(FORM_FIELD) if bound.get(("adjust", 0)) else new_key()
        appeals = list(target.appeals.select_related("indicator"))
        for a in appeals:
            if may_score and a.status == AppealStatus.OPEN:
                a.review_form = bound.get(("appeal", a.pk)) or _review_form(a)
        ctx.update(result=result, appeals=appeals, scoring=scoring, may_score=may_score, adjust_form=adjust,
                   items=explain.item_rows(target, result.items) if result else [],
                   vetoes=explain.veto_rows(result.vetoes) if result else [],
                   indicators=target.scheme.indicators.exclude(kind="group").order_by("order", "code"),
                   may_appeal=user.has_perm("assessment.appeal_scheme") and is_open)
        return ctx
