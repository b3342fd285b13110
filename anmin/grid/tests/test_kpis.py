"""The grid KPIs are computed from the records and change when a record changes."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

from django.core.management import call_command

from anmin.core.models import Role
from anmin.grid import actions, kpis
from anmin.workflow import actions as case_actions

TZ = ZoneInfo("Asia/Shanghai")
DAY = datetime(2020, 6, 1, 9, tzinfo=TZ)


def report(world, *, region=None, category="04", now=DAY):
    return actions.report_event(actor=world.user(Role.CITY_OFFICE), region=region or world.gc_grid,
                                category=category, description="测试事件", now=now)


def step(world, case, name, now, role=Role.TOWNSHIP_CENTER, **kwargs):
    return case_actions.transition_case(case=case, actor=world.user(role), transition=name,
                                        expected_version=case.version, now=now, **kwargs)


def close(world, event, *, now=DAY, late=False):
    case = step(world, event.case, "accept", now)
    case = step(world, case, "assign", now, target_org=world.orgs["gc_police"])
    done_at = now + timedelta(hours=5)
    if late:  # the sweep finds it past its 3-day limit and sends the automatic 督办
        done_at = now + timedelta(days=5)
        case_actions.sweep(now=done_at - timedelta(hours=1))
        case.refresh_from_db()
    case = step(world, case, "feedback", done_at, role=Role.POLICE, data={"result": "已处置"})
    return step(world, case, "verify_pass", done_at + timedelta(hours=1))


def figures(**kwargs) -> dict:
    return {k: fn(year=2020, **kwargs) for k, fn in (
        ("reported", kpis.reported), ("closed", kpis.closed), ("overdue", kpis.overdue),
        ("on_time_rate", kpis.on_time_rate))}


def test_the_figures_follow_the_records(world):
    assert figures() == {"reported": 0, "closed": 0, "overdue": 0, "on_time_rate": 0.0}
    a, b, c = report(world), report(world, category="01"), report(world, region=world.wl_grid)
    last_year = report(world, now=datetime(2019, 12, 30, tzinfo=TZ))
    step(world, last_year.case, "reject", DAY, reason="不属于受理范围")
    assert figures()["reported"] == 3
    assert figures(region=world.gucheng.code)["reported"] == 2
    assert figures(region=world.wuliang.code)["reported"] == 1
    close(world, a)
    assert figures()["closed"] == 1
    assert figures()["on_time_rate"] == 100.0
    close(world, b, late=True)
    assert figures()["closed"] == 2
    assert figures()["on_time_rate"] == 50.0
    # Handed out in 2020 and never finished: overdue today.
    case = step(world, c.case, "accept", DAY, role=Role.CITY_OFFICE)
    step(world, case, "assign", DAY, role=Role.CITY_OFFICE, target_org=world.orgs["wl_v_center"])
    assert figures()["overdue"] == 1
    assert figures(region=world.gucheng.code)["overdue"] == 0
    by_category = kpis.by_category(year=2020)
    assert by_category["环境卫生"] == 2
    assert by_category["治安隐患"] == 1
    assert by_category["其他"] == 0


def test_a_user_sees_only_the_figures_of_their_area(world):
    report(world)
    report(world, region=world.wl_grid)
    assert kpis.reported(year=2020, user=world.user(Role.TOWNSHIP_CENTER)) == 1
    assert kpis.reported(year=2020, user=world.user(Role.CITY_OFFICE)) == 2
    assert kpis.reported(year=2020, user=world.user(Role.SYSADMIN)) == 0


def test_anmin_kpis_prints_the_grid_figures(world):
    report(world)
    out = StringIO()
    call_command("kpis", "--year", "2020", "--app", "grid", "--format", "json", stdout=out)
    rows = {row["key"]: row["value"] for row in json.loads(out.getvalue())["kpis"]}
    assert rows["grid.reported"] == 1
    assert set(rows) == {"grid.reported", "grid.closed", "grid.overdue", "grid.by_category", "grid.on_time_rate"}
