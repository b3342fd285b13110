"""What the assessment pages show: labels rather than internal values, each indicator by its name,
points formatted, rules in words; a unit sees its own result, the office every scheme's units."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from anmin.assessment import actions
from anmin.assessment.models import IndicatorKind, UnitType
from anmin.core.actors import SYSTEM
from anmin.core.codes import load_code_tables
from anmin.core.models import Role
from anmin.disputes import actions as dispute_actions

pytestmark = pytest.mark.django_db


def _disputes(world, n: int, *, criminal: bool = False):
    load_code_tables()
    for i in range(n):
        d = dispute_actions.report_dispute(
            actor=world.user(Role.CITY_OFFICE), title=f"宅基地纠纷{i}", region=world.gc_grid, category="0902",
            found_on=dt.date(2020, 3, 1), parties=[{"name": "张某"}, {"name": "李某", "role": "respondent"}])
        if criminal and i == 0:
            dispute_actions.link_criminal_case(actor=world.user(Role.CITY_OFFICE), dispute=d, number="XS-2020-001",
                                               on=dt.date(2020, 4, 1), reason="纠纷激化引发故意伤害致死")


def _scheme(world):
    s = actions.create_scheme(actor=SYSTEM, year=2020, unit_type=UnitType.TOWNSHIP, name="2020年度考评",
                              region=world.city)
    actions.add_indicator(actor=SYSTEM, scheme=s, code="A1", name="年终检查", kind=IndicatorKind.MANUAL, max_score=60)
    actions.add_indicator(actor=SYSTEM, scheme=s, code="B1", name="调解率", kind=IndicatorKind.KPI, max_score=15,
                          kpi="disputes.mediation_rate", rule={"type": "proportional", "full_at": 85})
    actions.add_indicator(actor=SYSTEM, scheme=s, code="B2", name="排查纠纷", kind=IndicatorKind.KPI, max_score=15,
                          kpi="disputes.found", rule={"type": "ranking", "floor": 0.6})
    actions.add_indicator(actor=SYSTEM, scheme=s, code="D1", name="纠纷扣分", kind=IndicatorKind.DEDUCTION,
                          max_score=5, kpi="disputes.found", rule={"type": "per_item", "points": 0.1})
    actions.add_indicator(actor=SYSTEM, scheme=s, code="V1", name="民转刑命案", kind=IndicatorKind.VETO,
                          kpi="disputes.criminal", rule={"above": 0})
    gc = actions.add_target(actor=SYSTEM, scheme=s, name="古城镇", region=world.gucheng)
    wl = actions.add_target(actor=SYSTEM, scheme=s, name="无梁镇", region=world.wuliang)
    return s, gc, wl


def test_the_schemes_table_shows_the_unit_type_and_status_labels(client, world):
    _scheme(world)
    for role in (Role.CITY_OFFICE, Role.LEADER):
        client.force_login(world.user(role))
        page = client.get("/assessment/").content.decode()
        assert "functools.partial" not in page and "bound method" not in page
        assert "乡镇(街道)" in page and "考核中" in page


def test_a_township_sees_its_own_result_the_office_every_schemes_units(client, world):
    s, gc, wl = _scheme(world)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    page = client.get("/assessment/").content.decode()
    assert "本单位考核结果" in page and gc.get_absolute_url() in page and wl.get_absolute_url() not in page
    client.force_login(world.user(Role.CITY_OFFICE))
    page = client.get("/assessment/").content.decode()
    assert "本单位考核结果" not in page  # the office is not one of the townships assessed
    assert gc.get_absolute_url() not in page and "考核对象 2 个" in page and s.get_absolute_url() in page


def test_a_units_explanation_names_each_indicator_and_formats_the_points(client, world):
    _disputes(world, 3, criminal=True)  # 3 × 0.1 points is 0.30000000000000004 in floating point
    s, gc, wl = _scheme(world)
    client.force_login(world.user(Role.CITY_OFFICE))
    page = client.get(gc.get_absolute_url()).content.decode()
    assert "disputes.found" not in page and "disputes.criminal" not in page and "0.30000000000000004" not in page
    assert "排查矛盾纠纷 3件，每件扣0.1分" in page and "-0.3" in page
    assert "民转刑 1件" in page and "待确认" not in page
    assert 'data-label="分值">60</td>' in page and "60.0" not in page  # the points without float noise


def test_a_schemes_rules_are_described_in_words(client, world):
    s, gc, wl = _scheme(world)
    client.force_login(world.user(Role.CITY_OFFICE))
    page = client.get(s.get_absolute_url()).content.decode()
    assert "{&#x27;type&#x27;" not in page and "&#x27;above&#x27;" not in page
    assert "按比例计分，达到85%得满分" in page
    assert "按排名计分：第一名得满分，最后一名得分值的60%" in page
    assert "每件扣0.1分，最多扣5分" in page
    shown = re.sub(r'value="[^"]*"', "", page)  # the setting-up form's options carry keys, never shown
    assert "调解率" in page and "disputes.mediation_rate" not in shown
