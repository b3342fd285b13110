"""Designations, publicity and insurance figures come from records, and a designation moves
applied → assessed → designated → revoked, each step version-checked."""

from __future__ import annotations

import datetime as dt

import pytest

from anmin.campaigns import actions, kpis
from anmin.campaigns.models import PracticeReport
from anmin.core.actors import SYSTEM
from anmin.core.errors import Conflict, Invalid
from anmin.core.models import Role


def test_a_designation_counts_once_named_and_no_longer_once_revoked(world):
    office = world.user(Role.CITY_OFFICE)
    d = actions.apply_designation(actor=world.user(Role.TOWNSHIP_CENTER), kind="safe_village", year=2020,
                                  region=world.gc_village, subject="古城村")
    assert kpis.register is not None
    figure = kpis._designated("safe_village")
    assert figure(year=2020) == 0
    d = actions.assess_designation(actor=office, designation=d, expected_version=d.version, score=92)
    with pytest.raises(Conflict):
        actions.decide_designation(actor=office, designation=d, expected_version=d.version - 1, designate=True)
    d = actions.decide_designation(actor=office, designation=d, expected_version=d.version, designate=True)
    assert figure(year=2020) == 1
    assert figure(year=2020, region=world.wuliang.code) == 0
    with pytest.raises(Invalid):
        actions.revoke_designation(actor=office, designation=d, expected_version=d.version, reason="")
    actions.revoke_designation(actor=office, designation=d, expected_version=d.version, reason="发生命案")
    assert figure(year=2020) == 0


def test_the_publicity_figures_are_those_of_the_focus_campaigns(world):
    actions.record_campaign(actor=SYSTEM, title="集中宣传", kind="focus", region=world.city,
                            held_on=dt.date(2020, 6, 24),
                            materials=[("picture", "扫黑除恶", 10), ("picture", "防诈工作", 5),
                                       ("programme", "小品", 1), ("leaflet", "彩页", 1000)])
    actions.record_campaign(actor=SYSTEM, title="宣传月", kind="theme_month", region=world.gucheng,
                            held_on=dt.date(2020, 7, 1), materials=[("leaflet", "告家长书", 300)])
    assert kpis._material("picture")(year=2020) == 15
    assert kpis.publicity_themes(year=2020) == 2
    assert kpis.publicity_programmes(year=2020) == 1
    assert kpis._material("leaflet")(year=2020) == 1000
    m = actions.record_campaign(actor=SYSTEM, title="另一场集中宣传", kind="focus", region=world.city,
                                held_on=dt.date(2020, 9, 1), materials=[("leaflet", "彩页", 5)]).materials.get()
    actions.set_material_quantity(actor=world.user(Role.CITY_OFFICE), material=m, quantity=50)
    assert kpis._material("leaflet")(year=2020) == 1050


def test_insurance_and_practice_reports_by_township(world):
    actions.import_households(records=[
        {"region": world.gc_village, "year": 2020, "householder": "王某", "policy_no": "P1",
         "insured_on": dt.date(2020, 3, 1)},
        {"region": world.wl_village, "year": 2020, "householder": "李某", "policy_no": "P2",
         "insured_on": dt.date(2020, 3, 1)},
    ], actor=SYSTEM)
    assert kpis.insured_households(year=2020) == 2
    assert kpis.insured_by_township(year=2020) == {"古城镇": 1, "无梁镇": 1}
    assert kpis.insured_households(year=2020, user=world.user(Role.TOWNSHIP_CENTER)) == 1
    actions.import_reports(records=[{"title": t, "region": world.gucheng, "published_on": dt.date(2020, m, 1)}
                                    for t, m in (("一", 3), ("二", 5))], actor=SYSTEM)
    assert PracticeReport.objects.count() == 2
    assert kpis.practice_reports(year=2020) == 1  # one township, two reports
