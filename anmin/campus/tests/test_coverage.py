"""The 五个100% coverage rule: a school short of any item in the term is on the gap list, and the
KPIs move with the records."""

from __future__ import annotations

import datetime as dt

import pytest

from anmin.campus import actions, coverage, kpis
from anmin.campus.models import School
from anmin.core.actors import SYSTEM
from anmin.core.errors import Conflict, Invalid
from anmin.core.models import Role

ALL = ["guard", "alarm", "video", "closed", "post"]


@pytest.fixture
def schools(world):
    one = actions.create_school(actor=SYSTEM, name="古城村小学", kind="primary", region=world.gc_village)
    two = actions.create_school(actor=SYSTEM, name="古城镇一中", kind="middle", region=world.gc_village2)
    for s in (one, two):
        actions.record_check(actor=SYSTEM, school=s, term="2020-2", items=ALL, checked_on=dt.date(2020, 9, 20))
    return one, two


def test_a_school_missing_one_of_the_five_items_appears_in_the_gap_list(world, schools):
    one, _two = schools
    assert coverage.five_items_gaps(School.objects.all(), "2020-2") == []
    assert kpis.five_items_compliant(year=2020) == 2
    check = one.checks.get(term="2020-2")
    actions.record_check(actor=world.user(Role.TOWNSHIP_CENTER), school=one, term="2020-2",
                         items=[i for i in ALL if i != "alarm"], expected_version=check.version)
    gaps = coverage.five_items_gaps(School.objects.all(), "2020-2")
    assert [(s.name, missing) for s, missing in gaps] == [("古城村小学", ["一键式紧急报警装置安装率100%"])]
    assert kpis.five_items_compliant(year=2020) == 1
    assert kpis.five_items_rate(year=2020) == 50.0
    # A school with no check for the term lacks all five.
    actions.create_school(actor=SYSTEM, name="大北村幼儿园", kind="kindergarten", region=world.gc_village2)
    gaps = {s.name: m for s, m in coverage.five_items_gaps(School.objects.all(), "2020-2")}
    assert len(gaps["大北村幼儿园"]) == 5


def test_a_stale_version_or_an_unknown_item_is_refused(world, schools):
    one, _two = schools
    with pytest.raises(Conflict):
        actions.record_check(actor=SYSTEM, school=one, term="2020-2", items=ALL, expected_version=99)
    with pytest.raises(Invalid) as err:
        actions.record_check(actor=SYSTEM, school=one, term="2021-1", items=["guard", "cctv"])
    assert err.value.field == "items"
    with pytest.raises(Invalid):
        actions.record_check(actor=SYSTEM, school=one, term="秋季", items=ALL)


def test_only_those_holding_the_permission_record_the_checklist(world, schools):
    from anmin.core.errors import Forbidden

    one, _two = schools
    with pytest.raises(Forbidden):
        actions.record_check(actor=world.user(Role.VILLAGE_CENTER), school=one, term="2020-1", items=ALL)


def test_a_guard_post_check_in_counts(world, schools):
    from anmin.campus.models import GuardPost

    one, _two = schools
    post = actions.create_post(actor=world.user(Role.POLICE), region=one.region, school=one, place="校门口",
                               peak="morning", on_duty="民警 张某")
    assert GuardPost.objects.get() == post
    before = kpis.guard_checkins(year=2026) + kpis.guard_checkins(year=2020)
    actions.check_in(actor=world.user(Role.POLICE), post=post, note="秩序良好")
    assert kpis.guard_checkins(year=2026) + kpis.guard_checkins(year=2020) == before + 1
