"""The kit's checklist rule (every school meets the five 100% items) and the gap-list page
(覆盖缺口清单): a school lacking an item is listed, inside the user's jurisdiction only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from anmin.campus import actions as campus
from anmin.core.actors import SYSTEM
from anmin.core.models import Role
from anmin.workflow.kit import coverage

ALL = ["guard", "alarm", "video", "closed", "post"]


@pytest.fixture
def schools(world):
    one = campus.create_school(actor=SYSTEM, name="古城村小学", kind="primary", region=world.gc_village)
    two = campus.create_school(actor=SYSTEM, name="无梁镇中心校", kind="primary", region=world.wl_village)
    campus.record_check(actor=SYSTEM, school=one, term="2020-2", items=ALL[:-1], checked_on=dt.date(2020, 9, 20))
    campus.record_check(actor=SYSTEM, school=two, term="2020-2", items=ALL, checked_on=dt.date(2020, 9, 20))
    return one, two


def test_the_checklist_rule_lists_a_school_lacking_an_item(world, schools):
    one, _two = schools
    s = coverage.summary("campus.five_items", period="2020-2")
    assert (s.places, s.covered) == (2, 1)
    (gap,) = s.gaps
    assert gap.name == "古城村小学"
    assert gap.missing == ("post",)
    assert "护学岗" in gap.reason
    assert gap.url == one.get_absolute_url()
    # No check for the term: every item lacking.
    assert {g.name for g in coverage.gaps("campus.five_items", period="2021-1")} == {"古城村小学", "无梁镇中心校"}


def test_the_gap_page_lists_schools_short_of_an_item_in_the_users_jurisdiction(world, schools, client):
    client.force_login(world.user(Role.TOWNSHIP_CENTER))  # 古城镇
    page = client.get(reverse("workflow:coverage_gaps"), {"rule": "campus.five_items"}).content.decode()
    assert "五个100%" in page
    assert "古城村小学" in page
    assert "无梁镇中心校" not in page  # another township: not this user's


def test_the_page_is_not_found_for_a_user_reading_no_rule(world, client):
    from anmin.core.models import User

    user = User.objects.create_user("nobody", password="x", must_change_password=False)
    client.force_login(user)
    assert client.get(reverse("workflow:coverage_gaps")).status_code == 404
