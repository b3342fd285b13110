"""A patrol at phone width: start, check in at two points, report a finding that becomes a grid event."""

from __future__ import annotations

import pytest

from anmin.conftest import login
from anmin.core.actors import SYSTEM
from anmin.core.codes import load_code_tables
from anmin.core.models import Role
from anmin.prevention import actions
from anmin.prevention.models import CheckIn
from anmin.workflow.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_village_cadre_patrols_at_phone_width_and_a_finding_becomes_a_grid_event(live_server, world, phone):
    load_code_tables()
    team = actions.create_team(actor=SYSTEM, region=world.gc_village, name="古城村治安巡逻队", kind="village")
    login(phone, live_server, world.user(Role.VILLAGE_CENTER).username)
    phone.goto(f"{live_server.url}/prevention/patrols/start/")
    phone.select_option("#id_team", str(team.pk))
    phone.click("button[type=submit].primary")
    phone.wait_for_selector("[data-form=checkin]")
    # Before the first check-in the list says so, not numbered as its item 1.
    assert phone.evaluate("getComputedStyle(document.querySelector('ol.checkins li.empty')).listStyleType") == "none"
    for point, finding in (("村口", ""), ("小学门口", "路灯损坏，夜间漆黑")):
        phone.fill("#id_point", point)
        phone.fill("#id_finding", finding)
        phone.click("[data-form=checkin] button[type=submit]")
        phone.wait_for_selector(f"text={point}")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    phone.click("[data-report-finding]")
    badge = phone.wait_for_selector("[data-event]")
    number = badge.get_attribute("data-event")
    case = Case.objects.get(number=number)
    assert case.kind == "WG"
    assert CheckIn.objects.get(point="小学门口").event_ref == number
    assert CheckIn.objects.count() == 2
