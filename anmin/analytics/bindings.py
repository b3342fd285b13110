"""What analytics contributes to the registries for the domains built today (disputes, grid events,
people and care): drill-down links and charts, by KPI key.

A domain may register its own ``DrillLink``/``ChartSource`` in its ``AppConfig.ready()``; analytics
comes after the domains in ``ANMIN_APPS`` and adds an entry here only where the key is still free and
the KPI exists. New domains (crackdown, prevention …) need nothing here: they register their own.
The links name the ledgers' URL names and filter parameters — the one place analytics knows them.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from anmin.core.models.regions import RegionLevel, level_of
from anmin.core.registry import ChartSource, DrillLink, chart_sources, drill_links, kpis

# Severe-mental-disorder care is a special register: read with this permission only (docs/people.md,
# "Who sees what" — 扫黑办 and 领导 have none). Its cards and charts are for holders only: without it
# the viewer's figures would count nothing and show a silent 0 linking to an empty ledger.
SPECIAL_REGISTERS = "people.view_special_population"

# KPIs counting things as they stand now (the register in force, open cases past their limit now),
# not a year's: the cards mark them 当前 and compare them with no year. Volatile KPIs are such
# figures too (``figures.is_current``).
CURRENT = frozenset({
    *(f"{app}.patients_level_{n}" for app in ("care", "people") for n in range(6)),
    "care.patients_level_3_up", "people.patients_level_3_up", "care.level_3_up_team_complete",
    "care.teams_complete", "care.teams_incomplete", "care.mental_count", "people.mental_count",
    "cases.overdue", "disputes.overdue", "grid.overdue",
})

# A rate KPI and the count it divides by: with nothing to divide by the rate is no figure ("—"),
# not 0 % (the domains' rates return 0 then).
RATE_BASES = {
    "disputes.mediation_rate": "disputes.found",
    "disputes.success_rate": "disputes.mediated",
    "grid.on_time_rate": "grid.closed",
}


def _url(names: tuple[str, ...], params: dict) -> str:
    for name in names:
        try:
            base = reverse(name)
        except NoReverseMatch:
            continue
        params = {k: v for k, v in params.items() if v not in (None, "")}
        return f"{base}?{urlencode(params)}" if params else base
    return ""


def _area(region: str | None) -> dict:
    """The ledgers' area filters: a township or a village (a grid counts as its village)."""
    if not region:
        return {}
    level = level_of(region)
    if level == RegionLevel.TOWNSHIP:
        return {"township": region}
    if level >= RegionLevel.VILLAGE:
        return {"township": region[:9] + "000", "village": region[:12]}
    return {}


def _disputes(extra: dict | None = None):
    def url(*, region=None, year=None) -> str:
        params = {**_area(region), **(extra or {})}
        if year and "overdue" not in params:
            params.update(found_after=f"{year}-01-01", found_before=f"{year}-12-31")
        return _url(("disputes:dispute_list",), params)
    return url


def _grid(extra: dict | None = None, dated: bool = True):
    def url(*, region=None, year=None) -> str:
        params = {**_area(region), **(extra or {})}
        if year and dated:
            params.update(reported_from=f"{year}-01-01", reported_to=f"{year}-12-31")
        return _url(("grid:event_list",), params)
    return url


def _mental(extra: dict | None = None):
    def url(*, region=None, year=None) -> str:
        return _url(("care:mental_list", "people:mental_list"), {**_area(region), **(extra or {})})
    return url


def _cases(extra: dict | None = None, dated: bool = True):
    def url(*, region=None, year=None) -> str:
        params = {**_area(region), **(extra or {})}
        if year and dated:
            params.update(opened_from=f"{year}-01-01", opened_to=f"{year}-12-31")
        return _url(("workflow:case_list",), params)
    return url


DRILLS = {
    "disputes.found": _disputes(),
    "disputes.mediated": _disputes({"mediated": "true"}),
    "disputes.succeeded": _disputes({"outcome": "success"}),
    "disputes.mediation_rate": _disputes(),
    "disputes.success_rate": _disputes(),
    "disputes.overdue": _disputes({"overdue": "true"}),
    "disputes.criminal": _disputes({"criminal": "true"}),
    "disputes.mediation_orgs": lambda *, region=None, year=None: _url(("disputes:mediationorg_list",), _area(region)),
    "disputes.brand_rooms": lambda *, region=None, year=None: _url(("disputes:mediationorg_list",),
                                                                   {**_area(region), "brand": "true"}),
    "disputes.mediators": lambda *, region=None, year=None: _url(("disputes:mediator_list",), _area(region)),
    "grid.reported": _grid(),
    "grid.closed": _grid({"sla": "done"}),
    "grid.on_time_rate": _grid({"sla": "done"}),
    "grid.overdue": _grid({"sla": "overdue"}, dated=False),
    "grid.by_category": _grid(),
    "people.patients_level_3_up": _mental({"level_3_up": "true"}),
    "care.patients_level_3_up": _mental({"level_3_up": "true"}),
    "people.followup_completion_rate": _mental(),
    "care.followup_completion_rate": _mental(),
    "cases.opened": _cases(),
    "cases.overdue": _cases({"sla": "overdue"}, dated=False),
    "cases.supervised": lambda *, region=None, year=None: _url(("workflow:supervision_list",), {}),
}

CHARTS = (
    # stat cards (kind "stat"): the headline figures with the comparison to last year
    ChartSource("stat.disputes_found", _("排查矛盾纠纷"), "stat", ("disputes.found",), order=10, bigscreen=True),
    ChartSource("stat.disputes_success", _("调成率"), "stat", ("disputes.success_rate",), order=11, bigscreen=True),
    ChartSource("stat.grid_reported", _("上报网格事件"), "stat", ("grid.reported",), order=12, bigscreen=True),
    ChartSource("stat.grid_on_time", _("网格事件按期办结率"), "stat", ("grid.on_time_rate",), order=13, bigscreen=True),
    ChartSource("stat.cases_overdue", _("超期未办结事项"), "stat", ("cases.overdue",), order=14, bigscreen=True),
    ChartSource("stat.patients", _("3级及以上严重精神障碍患者"), "stat",
                ("care.patients_level_3_up,people.patients_level_3_up",), perm=SPECIAL_REGISTERS, order=15,
                bigscreen=True),
    # rankings by area
    ChartSource("areas.disputes", _("矛盾纠纷排查与调解"), "areas", ("disputes.found", "disputes.mediated",
                                                                  "disputes.succeeded"), order=20, bigscreen=True),
    ChartSource("areas.dispute_rates", _("调解率与调成率"), "areas",
                ("disputes.mediation_rate", "disputes.success_rate"),
                order=21),
    ChartSource("areas.grid", _("网格事件上报与按期办结率"), "areas", ("grid.reported", "grid.on_time_rate"), order=30),
    ChartSource("areas.overdue", _("超期未办结"), "areas", ("disputes.overdue", "grid.overdue"), order=31,
                bigscreen=True),
    ChartSource("areas.followup", _("严重精神障碍患者随访完成率"), "areas",
                ("care.followup_completion_rate,people.followup_completion_rate",), perm=SPECIAL_REGISTERS,
                order=40),
    ChartSource("categories.grid", _("网格事件类别"), "categories", ("grid.by_category",), order=50, chart="pie",
                bigscreen=True),
)


def register() -> None:
    for key, url in DRILLS.items():
        if key in kpis and key not in drill_links:
            drill_links.register(key, DrillLink(key, url))
    for chart in CHARTS:
        needed = [k for alt in chart.kpis for k in [next((a for a in alt.split(",") if a in kpis), None)]]
        if chart.key not in chart_sources and all(needed):
            chart_sources.register(chart.key, chart)
