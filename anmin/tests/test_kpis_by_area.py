"""A dashboard's table of areas is counted in one grouped statement per indicator (``Kpi.by_area``,
``core.areas``), and each area's figure is the one the indicator gives for that area alone — for every
indicator that has a by-area form, every level of areas and every viewer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anmin.care import actions as care_actions
from anmin.care import rules
from anmin.care.tests.factories import make_patient
from anmin.core import registry
from anmin.core.actors import SYSTEM
from anmin.core.models import Role
from anmin.core.tests.factories import make_region
from anmin.disputes.tests.test_disputes import _mediate
from anmin.disputes.tests.test_disputes import report as report_dispute
from anmin.grid.tests.test_kpis import close, step
from anmin.grid.tests.test_kpis import report as report_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(settings):
    settings.ANMIN_TODAY = "2020-12-10"
    rules.clear_cache()
    cache.clear()


def _records(world):
    """Grid events closed on time and late, one overdue, in two grids of one village and in 无梁镇;
    disputes mediated and not; patients with and without their follow-ups."""
    a, b = report_event(world), report_event(world, region=world.gc_grid2)
    c, d = report_event(world, region=world.wl_grid), report_event(world)
    close(world, a)
    close(world, b, late=True)
    case = step(world, c.case, "accept", c.case.opened_at, role=Role.CITY_OFFICE)
    step(world, case, "assign", c.case.opened_at, role=Role.CITY_OFFICE, target_org=world.orgs["wl_v_center"])
    del d  # left as reported
    _mediate(world, report_dispute(world))
    report_dispute(world, title="第二件")
    report_dispute(world, title="无梁的", region=world.wl_grid, actor=world.user(Role.CITY_OFFICE))
    seen = make_patient(world.gc_grid, registered_on=dt.date(2020, 11, 20))
    make_patient(world.gc_grid2, name="王刚", registered_on=dt.date(2020, 1, 2))
    care_actions.record_visit(actor=SYSTEM, person=seen.person, method="phone", outcome="seen",
                              visited_at=timezone.make_aware(dt.datetime(2020, 12, 1, 9)))


def test_each_areas_figure_is_the_one_the_indicator_gives_for_that_area_alone(world):
    _records(world)
    grouped = [k for k in registry.kpis if k.by_area is not None]
    assert {"grid.reported", "grid.on_time_rate", "disputes.found", "disputes.mediation_rate",
            "disputes.overdue", "care.followup_completion_rate"} <= {k.key for k in grouped}
    levels = [(None, [world.gucheng.code, world.wuliang.code]),
              (world.gucheng.code, [world.gc_village.code, world.gc_village2.code]),
              (world.gc_village.code, [world.gc_grid.code, world.gc_grid2.code])]
    viewers = [None, *(world.user(r) for r in (Role.CITY_OFFICE, Role.TOWNSHIP_CENTER, Role.GRID_WORKER,
                                                "mediator", Role.LEADER))]
    differ = set()
    for kpi in grouped:
        for region, codes in levels:
            for user in viewers:
                alone = {code: kpi.compute(year=2020, region=code, user=user) for code in codes}
                assert kpi.by_area(year=2020, region=region, codes=codes, user=user) == alone, (kpi.key, region, user)
                if len(set(alone.values())) > 1:
                    differ.add(kpi.key)
    # The records tell the areas apart, so the comparison means something for each kind of figure.
    assert {"grid.reported", "grid.closed", "grid.on_time_rate", "grid.overdue", "disputes.found",
            "disputes.mediated", "disputes.mediation_rate", "care.followup_completion_rate"} <= differ


def test_a_cold_dashboard_counts_each_indicator_once_however_many_townships(client, world):
    _records(world)
    client.force_login(world.user(Role.CITY_OFFICE))

    def statements() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as q:
            page = client.get("/analytics/?year=2020")
        assert page.status_code == 200
        return len(q.captured_queries)

    before = statements()
    for n in range(3):
        make_region(f"41108110{n + 1}000", f"新设第{n + 1}镇", world.city)
    page = client.get("/analytics/?year=2020").content.decode()
    assert "新设第3镇" in page
    assert statements() <= before + 2  # the new townships' rows, not a statement per township and figure
    data = client.get("/analytics/data/?year=2020").json()
    rows = {row["name"]: row for row in data["areas"]}
    assert set(rows) >= {"古城镇", "无梁镇", "新设第1镇"}
    chart = next(c for c in data["charts"] if any(s.get("key") == "grid.reported" for s in c.get("series", [])))
    series = next(s for s in chart["series"] if s["key"] == "grid.reported")
    values = dict(zip(chart["labels"], series["values"], strict=True))
    assert (values["古城镇"], values["无梁镇"], values["新设第1镇"]) == (3, 1, 0)


def test_areas_of_different_levels_are_counted_one_by_one(world):
    from anmin.analytics.figures import Figures

    _records(world)
    figs = Figures(user=world.user(Role.CITY_OFFICE), year=2020)
    mixed = [world.wuliang.code, world.gc_village.code]
    figs.prefetch("grid.reported", mixed)
    assert figs._known == {}
    assert [figs.value("grid.reported", code) for code in mixed] == [1, 3]
