"""Pages of analytics: the dashboard per role, the 大屏, the map, and generated reports.

The figures come from ``dashboard.build`` (KPIs and the case engine through ``visible_to``); charts
are drawn by ECharts from JSON in ``data-*`` attributes or fetched from the data endpoint (the CSP
allows no inline script).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, TemplateView

from anmin.core import audit, clock, registry
from anmin.core.errors import run_action
from anmin.core.idempotency import IdempotentFormMixin
from anmin.core.tables import Column, Table
from anmin.core.views.base import LedgerView, ScopedMixin

from . import dashboard, maps
from . import figures as F
from .forms import ReportForm
from .models import ReportRun
from .roles import DASHBOARD


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or clock.today().year)
    except ValueError:
        return clock.today().year
    return min(max(year, 2000), 2100)


class AnalyticsPage(ScopedMixin, TemplateView):
    """A page of figures for the viewer's own area (exempt from the record matrix like the home page:
    every figure is computed through visible_to); only for holders of ``view_dashboard``."""

    model = ReportRun
    required_perm = DASHBOARD
    replica_reads = True  # GET may read from a replica (core/dbrouting.py)


class DashboardView(AnalyticsPage):
    template_name = "analytics/dashboard.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("export"):
            return self.export(request.GET["export"])
        return super().get(request, *args, **kwargs)

    def export(self, key: str):
        data = dashboard.build(self.request.user, _year(self.request))
        chart = next((c for c in data["charts"] if c["key"] == key), None)
        if chart is None:
            raise Http404
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "数据"
        from anmin.core.ledgers import safe

        safe.write_row(ws, [chart["title"]])
        header, rows = table_of(chart)
        safe.write_row(ws, header)
        for row in rows:
            safe.write_row(ws, row)
        resp = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(chart['title'])}.xlsx"
        wb.save(resp)
        with transaction.atomic():
            audit.record_export(actor=self.request.user, object_type="analytics.chart", rows=len(rows),
                                filters={"chart": key, "year": data["year"]}, request=self.request)
        return resp

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year = _year(self.request)
        data = dashboard.build(self.request.user, year)
        for chart in data["charts"]:
            chart["table"] = table_of(chart)
            chart["json"] = json.dumps(chart, ensure_ascii=False)
        ctx.update(data=data, year=year, years=range(clock.today().year, clock.today().year - 5, -1),
                   lists=dashboard.lists(self.request.user, dashboard.area_of(self.request.user)),
                   title=_("统计分析"))
        return ctx


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


def table_of(chart: dict) -> tuple[list[str], list[list]]:
    """A chart's table: one row per label, one column per series (what the chart draws)."""
    series = chart.get("series", [])
    header = [str(_("项目"))] + [f"{s['name']}" + (f"（{s['unit']}）" if s.get("unit") else "") for s in series]
    rows = []
    for i, label in enumerate(chart.get("labels", [])):
        rows.append([label] + [(F.NO_RATE_TEXT if s["values"][i] is None else s["values"][i])
                               if i < len(s["values"]) else "" for s in series])
    return header, rows


class DashboardDataView(AnalyticsPage):
    """The dashboard's figures and lists as JSON (the 大屏 polls it)."""

    def get(self, request, *args, **kwargs):
        bigscreen = request.GET.get("bigscreen") == "1"
        data = dashboard.build(request.user, _year(request), bigscreen=bigscreen)
        data["lists"] = dashboard.lists(request.user, dashboard.area_of(request.user))
        return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


class BigScreenView(AnalyticsPage):
    template_name = "analytics/bigscreen.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        area = dashboard.area_of(self.request.user)
        # The clock in the corner reads the business clock in the city's time zone (the demo world stands
        # on 2020-12-10; the browser's own clock said 2026 above the day's new reports).
        ctx.update(area=area, year=_year(self.request), clock_shift_ms=int(clock.shift().total_seconds() * 1000),
                   time_zone=settings.TIME_ZONE,
                   refresh=int(getattr(settings, "ANMIN_BIGSCREEN_REFRESH", 60)),
                   map_config=json.dumps(maps.config(self.request.user, area), ensure_ascii=False))
        return ctx


class MapView(AnalyticsPage):
    template_name = "analytics/map.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        area = dashboard.area_of(self.request.user)
        kpi_choices = [(k.key, str(k.label)) for k in registry.kpis
                       if not k.key.startswith(("care.patients_level_", "people.patients_level_", "core."))]
        default = "disputes.found" if "disputes.found" in registry.kpis else "cases.opened"
        heat_key = self.request.GET.get("kpi") or default
        heat = maps.heat(self.request.user, area, heat_key, _year(self.request))
        ctx.update(area=area, year=_year(self.request), kpi_choices=kpi_choices, heat_key=heat_key, heat=heat,
                   map_config=json.dumps(maps.config(self.request.user, area, heat_key=heat_key), ensure_ascii=False),
                   title=_("态势地图"))
        return ctx


class MapLayerView(AnalyticsPage):
    def get(self, request, key: str, *args, **kwargs):
        if key not in registry.map_layers:
            raise Http404
        layer = registry.map_layers.get(key)
        if layer.perm and not request.user.has_perm(layer.perm):
            raise Http404
        area = dashboard.area_of(request.user)
        points = layer.points(user=request.user, region=area.code if area else None, year=_year(request))
        return JsonResponse({"key": key, "kind": layer.kind, "points": points})


class MapHeatView(AnalyticsPage):
    def get(self, request, *args, **kwargs):
        key = request.GET.get("kpi", "")
        if F.resolve(key) is None:
            raise Http404
        area = dashboard.area_of(request.user)
        return JsonResponse({"kpi": key, "areas": maps.heat(request.user, area, key, _year(request))},
                            json_dumps_params={"ensure_ascii": False})


TILE = re.compile(r"^\d{1,2}/\d{1,7}/\d{1,7}\.(png|jpg)$")


class LocalTileView(AnalyticsPage):
    """Tiles of an offline installation from ``ANMIN_MAP_TILES_DIR`` ({z}/{x}/{y}.png)."""

    def get(self, request, path: str, *args, **kwargs):
        base = getattr(settings, "ANMIN_MAP_TILES_DIR", "")
        if not base or not TILE.match(path):
            raise Http404
        file = Path(base) / path
        if not file.is_file():
            raise Http404
        return FileResponse(file.open("rb"), content_type="image/png" if path.endswith("png") else "image/jpeg")


# --- reports -------------------------------------------------------------------------------------
class ReportTable(Table):
    columns = (
        Column("title", _("标题"), link=True, width=40),
        Column("kind", _("类型")),
        Column("year", _("年度")),
        Column("period", _("期间")),
        Column("version", _("版本")),
        Column("status", _("状态")),
        Column("created_by", _("生成人")),
        Column("created_at", _("申请时间")),
    )


class ReportListView(LedgerView):
    model = ReportRun
    table_class = ReportTable
    title = _("报告与通报")
    export_name = "生成的报告"

    def get_queryset(self):
        return super().get_queryset().select_related("created_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.request.user.has_perm("analytics.add_reportrun"):
            ctx["create_url"], ctx["create_label"] = reverse("analytics:report_create"), _("生成报告")
        return ctx


class ReportCreateView(IdempotentFormMixin, FormView):
    """生成报告: the form kit's page; the report is queued and the background worker generates it."""

    scoped_create = "analytics.add_reportrun"
    template_name = "anmin/form.html"
    form_class = ReportForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.scoped_create):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"year": clock.today().year}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("生成报告"), submit_label=_("生成"),
                                        cancel_url=reverse("analytics:report_list"), **kwargs)

    def form_valid(self, form):
        from .actions import request_report

        d = form.cleaned_data
        run, status = run_action(form, lambda: request_report(
            actor=self.request.user, kind=d["kind"], year=d["year"], period=d["period"],
            region=dashboard.area_of(self.request.user), want_pdf=d["pdf"]))
        if run is None:
            return self.render_to_response(self.get_context_data(form=form), status=status)
        return redirect(run.get_absolute_url())


def _shown(value) -> str:
    if isinstance(value, dict):  # counted by category, the largest first: "环境卫生 2、治安隐患 1"
        # (in the order of the figures, not of the stored JSON: PostgreSQL's jsonb sorts its keys)
        ranked = sorted(value.items(), key=lambda kv: (-_sort_number(kv[1]), str(kv[0])))
        return "、".join(f"{k} {F.number(v)}" for k, v in ranked)
    return F.number(value)


class ReportDetailView(ScopedMixin, DetailView):
    model = ReportRun
    replica_reads = True
    template_name = "analytics/report_detail.html"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if request.GET.get("progress"):
            run = self.object
            return JsonResponse({"status": run.status, "progress": run.progress, "message": run.message,
                                 "done": run.is_finished})
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        run = self.object
        ctx["versions"] = ReportRun.objects.visible_to(self.request.user).filter(
            kind=run.kind, year=run.year, period=run.period, region=run.region).order_by("-version")
        ctx["title"] = run.title or run.get_kind_display()
        # The values as the report's text writes them (220460000, not the stored float 220460000.0).
        ctx["figures"] = [{**f, "shown": _shown(f.get("value"))} for f in run.figures if f.get("registered")]
        return ctx


class ReportFileView(ScopedMixin, DetailView):
    model = ReportRun
    replica_reads = True

    def get(self, request, *args, **kwargs):
        run = self.get_object()
        fmt = kwargs.get("fmt")
        name = run.docx_file if fmt == "docx" else run.pdf_file if fmt == "pdf" else ""
        if not name or not default_storage.exists(name):
            raise Http404
        with transaction.atomic():
            audit.record(actor=request.user, action="download", obj=run, after={"format": fmt}, request=request)
        filename = f"{run.title or run.get_kind_display()}-v{run.version}.{fmt}"
        return FileResponse(default_storage.open(name, "rb"), as_attachment=True, filename=filename)


def _sort_number(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0
