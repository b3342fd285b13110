"""The dashboard's stat cards say what their figure is: a figure of things as they stand now is
marked 当前 and never compared with last year, a rate with nothing to divide by is "—", and a card
on records the viewer may not read is not shown (rather than a silent 0)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache

from anmin.core.codes import load_code_tables
from anmin.core.models import Role
from anmin.disputes import actions as dispute_actions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _card(page: str, key: str) -> str:
    m = re.search(rf'<a class="stat-card"[^>]*data-stat="{re.escape(key)}".*?</a>', page, re.S)
    assert m, f"no card {key}"
    return re.sub(r"<[^>]+>", " ", m.group(0))


def _dispute(world):
    load_code_tables()
    dispute_actions.report_dispute(
        actor=world.user(Role.CITY_OFFICE), title="邻里纠纷", region=world.gc_grid, category="0902",
        found_on=dt.date(2020, 5, 1), parties=[{"name": "甲"}, {"name": "乙", "role": "respondent"}])


def test_a_leader_does_not_get_a_card_on_care_records_they_may_not_read(client, world):
    client.force_login(world.user(Role.CITY_OFFICE))
    assert 'data-stat="stat.patients"' in client.get("/analytics/?year=2020").content.decode()
    client.force_login(world.user(Role.LEADER))
    page = client.get("/analytics/?year=2020").content.decode()
    assert 'data-stat="stat.patients"' not in page and "3级及以上严重精神障碍患者" not in page
    assert 'data-stat="stat.disputes_found"' in page  # the other cards stay
    data = client.get("/analytics/data/?year=2020").json()
    assert "stat.patients" not in {s["key"] for s in data["stats"]}


def test_snapshot_figures_are_marked_current_and_not_compared_with_last_year(client, world):
    _dispute(world)
    client.force_login(world.user(Role.CITY_OFFICE))
    for year in (2019, 2020):
        page = client.get(f"/analytics/?year={year}").content.decode()
        for key in ("stat.cases_overdue", "stat.patients"):
            card = _card(page, key)
            assert "当前数，不分年度" in card and "与上年持平" not in card and "上年无可比数据" not in card


def test_a_rate_with_nothing_to_divide_by_shows_a_dash(client, world):
    _dispute(world)  # in 2020; none in 2019
    client.force_login(world.user(Role.CITY_OFFICE))
    card = _card(client.get("/analytics/?year=2019").content.decode(), "stat.disputes_success")
    assert "—" in card and "0 %" not in card and " % " not in card
    found = _card(client.get("/analytics/?year=2019").content.decode(), "stat.disputes_found")
    assert " 0 " in found  # a count of nothing is 0
