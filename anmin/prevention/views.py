"""Pages of the prevention domain beyond the registries the kit makes: the patrol from a phone
(start, check in at points, a finding → a grid event in one tap, finish), the patrol logs, the
village liaisons' activity and the police stations' monthly activity (with its Excel ledger)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from anmin.core.errors import run_action
from anmin.core.formkit import KitForm
from anmin.core.idempotency import IdempotentFormMixin
from anmin.core.ledgers import LedgerImportMixin
from anmin.core.links import pk_param
from anmin.core.tables import Column, Table
from anmin.core.views.base import DetailPage, InvalidFormIs400, LedgerView, ScopedMixin

from . import actions
from .importers import PoliceLedger
from .models import LiaisonActivity, PatrolLog, PatrolTeam, PoliceActivity


class StartForm(KitForm):
    team = forms.ModelChoiceField(label=_("巡逻队"), queryset=PatrolTeam.objects.none())
    note = forms.CharField(label=_("巡逻情况"), max_length=500, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The teams of the grid worker's village too, though outside their grids (what the action takes).
        self.fields["team"].queryset = PatrolTeam.objects.usable_by(user).active().order_by("region_id", "name")


class PatrolStartView(InvalidFormIs400, IdempotentFormMixin, FormView):
    """开始巡逻 (phone width): pick the team, then check in point by point."""

    template_name = "anmin/form.html"
    form_class = StartForm
    scoped_create = actions.PATROL_PERM

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(actions.PATROL_PERM):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("开始巡逻"), submit_label=_("开始巡逻"),
                                        cancel_url=reverse("prevention:patrol_list"), **kwargs)

    def form_valid(self, form):
        log, status = run_action(form, lambda: actions.start_patrol(actor=self.request.user,
                                                                    **form.cleaned_data))
        if log is None:
            return self.render_to_response(self.get_context_data(form=form), status=status)
        return HttpResponseRedirect(log.get_absolute_url())


class CheckInForm(KitForm):
    point = forms.CharField(label=_("打卡点"), max_length=128)
    finding = forms.CharField(label=_("发现情况"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    # The form kit's location picker: 获取当前位置 (GPS) or a tap on the map; optional, folded.
    latitude = forms.CharField(label=_("纬度"), max_length=16, required=False)
    longitude = forms.CharField(label=_("经度"), max_length=16, required=False)
    # Filled on the phone (offline.js): when the patroller checked in, and the position's accuracy.
    recorded_at = forms.DateTimeField(label=_("手机记录时间"), required=False, widget=forms.HiddenInput)
    gps_accuracy = forms.IntegerField(label=_("定位精度（米）"), required=False, min_value=0, max_value=100_000,
                                      widget=forms.HiddenInput)
    sections = ((_("打卡位置（可选）"), ("latitude", "longitude"), "folded"),)

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.location_region = region  # the map starts on the patrol's area


class PatrolView(ScopedMixin, TemplateView):
    """One patrol on a phone: its check-ins, a form to check in, a button per finding that reports it
    as a grid event, and 结束巡逻. Posts carry ``op`` = checkin / finding / finish."""

    model = PatrolLog
    template_name = "prevention/patrol.html"

    def dispatch(self, request, *args, **kwargs):
        self.object = self.get_queryset().select_related("team", "region").filter(pk=kwargs["pk"]).first()
        if self.object is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        log = self.object
        can = self.request.user.has_perm(actions.PATROL_PERM)
        form = kwargs.pop("form", None)
        return super().get_context_data(
            title=_("巡逻：%(team)s") % {"team": log.team.name}, log=log, checkins=log.checkins.all(),
            form=form or CheckInForm(region=log.region_id), may_patrol=can and log.ended_at is None,
            may_report=can and self.request.user.has_perm("grid.add_gridevent"), **kwargs)

    def post(self, request, *args, **kwargs):
        op, log, user = request.POST.get("op"), self.object, request.user
        form = CheckInForm(request.POST, region=log.region_id) if op == "checkin" else forms.Form(data={})
        form.is_valid() if op != "checkin" else None
        if op == "checkin":
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(form=form), status=400)
            result, status = run_action(form, lambda: actions.check_in(actor=user, log=log, **form.cleaned_data))
            done = _("已打卡：%(point)s") % {"point": form.cleaned_data["point"]}
        elif op == "finding":
            result, status = run_action(form, lambda: actions.report_finding(
                actor=user, log=log, checkin=pk_param(request.POST.get("checkin"))))
            done = _("已转为网格事件 %(n)s") % {"n": getattr(result, "event_ref", "")}
        elif op == "finish":
            result, status = run_action(form, lambda: actions.finish_patrol(actor=user, log=log))
            done = _("巡逻已结束")
        else:
            return self.render_to_response(self.get_context_data(), status=400)
        if result is None:
            if op != "checkin":
                for errors in form.errors.values():
                    for e in errors:
                        messages.error(request, e)
                form = None
            return self.render_to_response(self.get_context_data(form=form), status=status)
        messages.success(request, done)
        return HttpResponseRedirect(log.get_absolute_url())


class PatrolTable(Table):
    columns = (
        Column("team.name", _("巡逻队"), link=True, width=30),
        Column("region.name", _("所在区划")),
        Column("started_at", _("开始时间")),  # the kit shows a moment on the city's clock
        Column("ended_at", _("结束时间"),
               value=lambda o: f"{timezone.localtime(o.ended_at):%H:%M}" if o.ended_at else _("巡逻中")),
        Column("n_checkins", _("打卡")),
        Column("n_findings", _("转网格事件")),
    )


class PatrolLogListView(LedgerView):
    model = PatrolLog
    table_class = PatrolTable
    title = _("巡逻记录")
    export_name = "巡逻记录"

    def get_queryset(self):
        from django.db.models import Q

        return super().get_queryset().select_related("team", "region").annotate(
            n_checkins=Count("checkins"), n_findings=Count("checkins", filter=~Q(checkins__event_ref=""))
        ).order_by("-started_at", "-pk")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.request.user.has_perm(actions.PATROL_PERM):
            ctx["create_url"], ctx["create_label"] = reverse("prevention:patrol_start"), _("开始巡逻")
        return ctx


class ActivityTable(Table):
    columns = (
        Column("liaison.name", _("姓名"), link=True),
        Column("liaison.kind", _("类别"), value=lambda o: o.liaison.get_kind_display()),
        Column("region.name", _("村(社区)")),
        Column("kind", _("活动类型")),
        Column("on", _("日期")),
        Column("people", _("涉及人数")),
    )


class LiaisonActivityListView(LedgerView):
    model = LiaisonActivity
    table_class = ActivityTable
    title = _("驻村工作记录")
    export_name = "驻村工作记录"

    def get_queryset(self):
        return super().get_queryset().select_related("liaison", "region")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.request.user.has_perm("prevention.add_liaisonactivity"):
            ctx["create_url"], ctx["create_label"] = reverse("prevention:activity_new"), _("登记驻村工作")
        return ctx


class LiaisonActivityDetailView(DetailPage):
    model = LiaisonActivity
    template_name = "prevention/record_detail.html"

    def get_context_data(self, **kwargs):
        o = self.object
        rows = [(_("驻村民警/法律顾问"), o.liaison), (_("活动类型"), o.get_kind_display()), (_("日期"), o.on),
                (_("涉及人数"), o.people), (_("情况"), o.note)]
        return super().get_context_data(rows=rows, ledger_url=reverse("prevention:activity_list"), **kwargs)


class PoliceTable(Table):
    columns = (
        Column("station", _("派出所"), link=True),
        Column("month", _("月份"), value=lambda o: f"{o.month:%Y-%m}"),
        Column("visits", _("走访群众(人)")),
        Column("disputes_resolved", _("化解矛盾纠纷(起)")),
        Column("suspects_caught", _("抓获违法犯罪嫌疑人(人)")),
        Column("people_served", _("服务群众(人次)")),
    )


class PoliceActivityLedgerView(LedgerImportMixin, LedgerView):
    model = PoliceActivity
    table_class = PoliceTable
    ledger_class = PoliceLedger
    import_permission = "prevention.add_policeactivity"
    title = _("警务活动月报")
    export_name = "警务活动月报"

    def get_queryset(self):
        return super().get_queryset().select_related("region")

    def export_response(self, qs):
        return PoliceLedger(user=self.request.user, request=self.request).export_response(qs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.may_import():
            ctx["import_url"] = "?import=1"
            ctx["create_url"], ctx["create_label"] = reverse("prevention:police_new"), _("填报月报")
        return ctx


class PoliceActivityDetailView(DetailPage):
    model = PoliceActivity
    template_name = "prevention/record_detail.html"

    def get_context_data(self, **kwargs):
        o = self.object
        rows = [(_("派出所"), o.station), (_("月份"), f"{o.month:%Y-%m}"), (_("走访群众(人)"), o.visits),
                (_("化解矛盾纠纷(起)"), o.disputes_resolved), (_("抓获违法犯罪嫌疑人(人)"), o.suspects_caught),
                (_("服务群众(人次)"), o.people_served)]
        return super().get_context_data(rows=rows, ledger_url=reverse("prevention:police_list"), **kwargs)
