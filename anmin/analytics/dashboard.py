"""A viewer's dashboard as data: their area and its sub-areas, the stat cards with last year's
figure, the charts of ``registry.chart_sources`` (each with its table and the drill-down links), the
case engine's monthly trend and lists. Pages render it; the 大屏 and the charts fetch it as JSON."""

from __future__ import annotations

import calendar

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anmin.core import clock, references, registry
from anmin.core.models import Region
from anmin.core.models.regions import RegionLevel

from . import cases
from . import figures as F


def area_of(user) -> Region | None:
    """The viewer's top area: the city for the city office, a township for its centre, a village,
    or a grid worker's (first) grid."""
    code = getattr(user.scope, "region_code", None)
    if code:
        return Region.objects.filter(code=code).first()
    prefixes = [p for p in user.scope.prefixes if p]
    if prefixes:
        return Region.objects.filter(code__startswith=min(prefixes, key=len)).order_by("level", "code").first()
    return None


def children_of(user, area: Region | None) -> list[tuple[str, str]]:
    if area is None:
        return []
    if area.level >= RegionLevel.GRID:
        return [(area.code, area.name)]
    visible = Region.objects.visible_to(user).filter(parent=area).order_by("code")
    return list(visible.values_list("code", "name"))


def _allowed(user, chart) -> bool:
    return chart.perm is None or user.has_perm(chart.perm)


def chart_data(user, chart, area: Region | None, year: int, figs: F.Figures, areas) -> dict:
    region = area.code if area else None
    keys = list(chart.kpis)
    out = {"key": chart.key, "title": str(chart.title), "kind": chart.kind, "chart": chart.chart}
    if chart.kind == "stat":
        out.update(stat(figs, keys[0], region, year))
        return out
    if chart.kind == "categories":
        fig = figs.figure(keys[0], region, year)
        parts = fig.value or {}
        out.update(labels=list(parts), series=[{"name": fig.label, "values": list(parts.values()), "unit": fig.unit}],
                   links=[fig.link] * len(parts), headers=[str(chart.title), fig.unit or ""])
        return out
    if chart.kind == "custom" and chart.compute is not None:
        out.update(chart.compute(user=user, region=region, year=year))
        return out
    series = []
    for key in keys:
        kpi = F.resolve(key)
        prefetch(figs, key, [code for code, _name in areas], region, year)
        values = [F.plain(rate_value(figs, key, code, year)) for code, _name in areas]
        series.append({"name": str(kpi.label), "unit": kpi.unit, "key": kpi.key, "values": values,
                       "links": [F.drill_url(kpi.key, code, year) for code, _n in areas]})
    out.update(labels=[name for _c, name in areas], codes=[c for c, _n in areas], series=series,
               links=series[0]["links"] if series else [])
    return out


def prefetch(figs: F.Figures, key: str, codes: list[str], region: str | None, year: int) -> None:
    """The KPI of every area of a table at once (and the count a rate divides by): one grouped
    statement each where the KPI has a by-area form."""
    figs.prefetch(key, codes, region, year)
    base = F.rate_base(key)
    if base is not None:
        figs.prefetch(base, codes, region, year)


def rate_value(figs: F.Figures, key: str, region: str | None, year: int):
    """The KPI's value; None for a rate with nothing to divide by (no figure, not 0 %)."""
    value = figs.value(key, region, year)
    base = F.rate_base(key)
    if value is not None and base is not None and F.resolve(base) is not None and figs.value(base, region, year) == 0:
        return None
    return value


def stat(figs: F.Figures, key: str, region: str | None, year: int) -> dict:
    """A stat card: the figure, and under it the change on last year — or, for a figure of things as
    they stand now, that it is the current one (the same whatever year is asked: never "与上年持平")."""
    fig = figs.figure(key, region, year)
    current = F.is_current(F.resolve(key))
    value = rate_value(figs, key, region, year) if fig.registered else None
    prev = None if current else rate_value(figs, key, region, year - 1)
    change = F.change(value, prev)
    note = _("当前数，不分年度") if current else change or _("上年无可比数据")
    no_rate = fig.registered and value is None
    return {"value": F.plain(value), "text": F.NO_RATE_TEXT if no_rate else F.number(value),
            "unit": "" if no_rate else fig.unit, "link": fig.link, "change": change, "previous": F.plain(prev),
            "label": fig.label, "current": current, "note": str(note)}


def trend(user, area: Region | None, year: int, figs: F.Figures) -> dict:
    region = area.code if area else None
    data = figs.cached("cases.monthly", region, year, lambda: cases.monthly(user, region, year))
    labels = cases.kind_labels()
    series = [{"name": f"{labels.get(kind, kind)}（上报）", "values": v["opened"], "unit": "件"}
              for kind, v in sorted(data.items())]
    return {"key": "trend.cases", "title": f"{year}年各类事项逐月上报", "kind": "trend", "chart": "line",
            "labels": [f"{m}月" for m in range(1, 13)], "series": series,
            "links": [month_url(year, m) for m in range(1, 13)]}


def month_url(year: int, month: int) -> str:
    """The case ledger of the month a trend point counts (every month's link opened the whole ledger)."""
    last = calendar.monthrange(year, month)[1]
    return (f"{reverse('workflow:case_list')}?opened_from={year}-{month:02d}-01"
            f"&opened_to={year}-{month:02d}-{last:02d}")


def build(user, year: int, *, bigscreen: bool = False) -> dict:
    area = area_of(user)
    areas = children_of(user, area)
    figs = F.Figures(user=user, year=year)
    charts, stats = [], []
    for chart in sorted(registry.chart_sources, key=lambda c: c.order):
        if not _allowed(user, chart) or (bigscreen and not chart.bigscreen):
            continue
        if any(F.resolve(k) is None for k in chart.kpis):
            continue
        data = chart_data(user, chart, area, year, figs, areas)
        (stats if chart.kind == "stat" else charts).append(data)
    charts.insert(0, trend(user, area, year, figs))
    region = area.code if area else None
    by_area = cases.by_area(
        opened=figs.cached("cases.opened_by_area", region, year, lambda: cases.opened_by_area(user, region, year)),
        now=figs.cached("cases.open_by_area", region, year, lambda: cases.open_by_area(user, region), volatile=True))
    area_rows = [{"code": code, "name": name, **by_area.get(code, cases.EMPTY_AREA)} for code, name in areas]
    return {
        "year": year,
        "area": {"code": area.code, "name": area.name, "level": area.level} if area else None,
        "stats": stats,
        "charts": charts,
        "areas": area_rows,
        "generated_at": timezone.localtime(clock.now()).strftime("%Y-%m-%d %H:%M:%S"),
    }


def lists(user, area: Region | None) -> dict:
    region = area.code if area else None
    labels = cases.kind_labels()

    def place(region) -> str:
        # "第1网格" alone names a grid in every village of the city: a grid goes with its village.
        if region.level == RegionLevel.GRID and region.parent_id:
            return f"{region.parent.name} {region.name}"
        return region.name

    def row(c):
        return {"number": c.number, "title": c.title, "kind": labels.get(c.kind, c.kind), "region": place(c.region),
                "url": c.get_absolute_url(), "opened": timezone.localtime(c.opened_at).strftime("%m-%d %H:%M"),
                "due": timezone.localtime(c.due_at).strftime("%m-%d %H:%M") if c.due_at else ""}

    return {
        "newest": [row(c) for c in references.attach(cases.newest_list(user, region), "region")],
        "overdue": [row(c) for c in references.attach(cases.overdue_list(user, region), "region")],
        "supervised": [{"number": s.case.number, "title": s.case.title, "to": s.to_org.name,
                        "issued": timezone.localtime(s.issued_at).strftime("%m-%d"), "url": s.get_absolute_url()}
                       for s in cases.supervised_list(user, region)],
    }
