"""The campus record pages (the kit's record ledgers): incidents and 五个100% checks, scoped and filtered."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from anmin.campus import actions
from anmin.campus.models import CampusIncident
from anmin.core.actors import SYSTEM
from anmin.core.models import Role


def test_incident_and_check_ledgers(world, client):
    ours = actions.create_school(actor=SYSTEM, name="古城村小学", kind="primary", region=world.gc_village)
    theirs = actions.create_school(actor=SYSTEM, name="无梁镇中心校", kind="primary", region=world.wl_village)
    actions.import_incidents([
        CampusIncident(school=ours, occurred_on=dt.date(2020, 5, 6), kind="other", description="校门口占道经营",
                       resolved=True),
        CampusIncident(school=theirs, occurred_on=dt.date(2020, 5, 7), kind="other", description="无梁校外斗殴"),
    ], actor=SYSTEM)
    actions.record_check(actor=SYSTEM, school=ours, term="2020-2", items=["guard"], checked_on=dt.date(2020, 9, 20),
                         checked_by="王检查")
    client.force_login(world.user(Role.TOWNSHIP_CENTER))  # 古城镇
    page = client.get(reverse("campus:incident_list")).content.decode()
    assert "古城村小学" in page
    assert "无梁镇中心校" not in page
    assert ours.get_absolute_url() in page
    assert "古城村小学" not in client.get(reverse("campus:incident_list"), {"date_from": "2020-06-01"}).content.decode()
    assert "王检查" in client.get(reverse("campus:check_list"), {"term": "2020-2"}).content.decode()
