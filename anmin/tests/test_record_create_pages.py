"""One record entered on a page (the kit's ``record_create``): an office or a grid worker with one
incident, inspection, drowning, campaign or counselling session to add had to fill in an Excel file.
Each page is made from the import's declaration: the parent among those the user sees, the place where
the user may record, the import's checks and bulk action."""

from __future__ import annotations

import datetime as dt

import pytest

from anmin.campaigns import actions as campaign_actions
from anmin.campaigns.models import CounsellingSession, PublicityCampaign
from anmin.campus import actions as campus_actions
from anmin.campus.models import CampusIncident
from anmin.core import clock
from anmin.core.actors import SYSTEM
from anmin.core.models import AuditEntry, Role
from anmin.hazards import actions as hazard_actions
from anmin.hazards.models import DrowningIncident, WaterInspection

pytestmark = pytest.mark.django_db


def test_a_grid_worker_enters_an_incident_near_a_school_of_their_area(client, world):
    ours = campus_actions.create_school(actor=SYSTEM, name="古城小学", kind="primary", region=world.gc_village)
    theirs = campus_actions.create_school(actor=SYSTEM, name="无梁小学", kind="primary", region=world.wl_village)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    listing = client.get("/campus/incidents/").content.decode()
    assert "/campus/incidents/new/" in listing
    form = client.get("/campus/incidents/new/").content.decode()
    assert "古城小学" in form
    assert "无梁小学" not in form
    day = (clock.today() - dt.timedelta(days=1)).isoformat()
    post = {"school": ours.pk, "occurred_on": day, "kind": "intrusion",
            "description": "放学时有闲杂人员在校门口滋扰学生",
            "handling": "派出所民警到场劝离", "resolved": "on", "idempotency_key": "c" * 32}
    r = client.post("/campus/incidents/new/", post)
    assert r.status_code == 302
    assert r["Location"] == "/campus/incidents/"
    incident = CampusIncident.objects.get()
    assert incident.region_id == ours.region_id
    assert incident.resolved
    assert AuditEntry.objects.filter(object_type="campus.campusincident", reason__contains="页面登记").exists()
    assert client.post("/campus/incidents/new/", post).status_code == 302  # sent twice: one record
    assert CampusIncident.objects.count() == 1
    # The same incident again from a new form: refused, not a second row.
    r = client.post("/campus/incidents/new/", {**post, "idempotency_key": ""})
    assert r.status_code == 400
    assert "该记录已登记" in r.content.decode()
    # Another township's school (a forged post): the form does not offer it.
    r = client.post("/campus/incidents/new/", {**post, "idempotency_key": "", "school": theirs.pk})
    assert r.status_code == 400
    assert CampusIncident.objects.count() == 1
    # Required fields are told at their fields.
    r = client.post("/campus/incidents/new/", {"school": ours.pk, "kind": "traffic"})
    assert r.status_code == 400
    page = r.content.decode()
    assert 'data-field="occurred_on"' in page
    assert "「发生日期」为必填项" in page


def test_a_grid_worker_enters_a_waters_inspection_but_not_a_drowning(client, world):
    # a water in the worker's own grid (a grid worker sees what lies in their grids)
    water = hazard_actions.create_water(actor=SYSTEM, region=world.gc_grid.code, name="古城坑塘", kind="pond")
    client.force_login(world.user(Role.GRID_WORKER))
    day = clock.today().isoformat()
    r = client.post("/hazards/inspections/new/", {"water": water.pk, "inspected_on": day, "inspector": "网格员张三",
                                                  "signs_ok": "on", "findings": "救生圈缺失一个"})
    assert r.status_code == 302
    row = WaterInspection.objects.get()
    assert (row.water, row.signs_ok, row.equipment_ok) == (water, True, False)
    assert client.get("/hazards/drownings/new/").status_code == 404  # no add permission: no page


def test_a_township_enters_a_drowning_placed_by_village_and_the_imports_rules_apply(client, world):
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    day = (clock.today() - dt.timedelta(days=2)).isoformat()
    post = {"region": world.gc_village2.pk, "occurred_on": day, "age": "19", "sex": "M", "circumstances": "河边戏水"}
    r = client.post("/hazards/drownings/new/", post)
    assert r.status_code == 400
    assert "0 到 17 岁" in r.content.decode()
    r = client.post("/hazards/drownings/new/", {**post, "age": "12"})
    assert r.status_code == 302
    assert DrowningIncident.objects.get().region == world.gc_village2
    r = client.post("/hazards/drownings/new/", {**post, "age": "12", "region": world.wl_village.pk})
    assert r.status_code == 400
    assert DrowningIncident.objects.count() == 1


def test_the_city_office_enters_a_city_wide_campaign_and_a_counselling_session(client, world):
    counsellor = campaign_actions.create_counsellor(actor=SYSTEM, region=world.gc_village.code, name="王咨询",
                                                    kind="counsellor")
    client.force_login(world.user(Role.CITY_OFFICE))
    assert "/campaigns/publicity/new/" in client.get("/campaigns/publicity/").content.decode()
    r = client.post("/campaigns/publicity/new/", {"region": world.city.pk, "title": "全民反诈宣传月",
                                                  "kind": "theme_month",
                                                  "held_on": clock.today().isoformat(), "organiser": "市平安办"})
    assert r.status_code == 302
    assert PublicityCampaign.objects.get().region == world.city
    r = client.post("/campaigns/sessions/new/", {"counsellor": counsellor.pk, "held_on": clock.today().isoformat(),
                                                 "topic": "青少年心理健康讲座", "people": "45"})
    assert r.status_code == 302
    assert CounsellingSession.objects.get().region_id == counsellor.region_id


def test_a_village_police_officers_day_and_a_stations_month_are_entered_on_pages(client, world):
    """驻村工作记录 had no way in at all, 警务活动月报 only a year's Excel sheet."""
    from anmin.prevention import actions as prevention_actions
    from anmin.prevention.models import LiaisonActivity, PoliceActivity

    officer = prevention_actions.create_liaison(actor=SYSTEM, region=world.gc_village, kind="police", name="张警官")
    prevention_actions.create_liaison(actor=SYSTEM, region=world.wl_village, kind="police", name="李警官")
    client.force_login(world.user(Role.POLICE))
    assert "/prevention/activities/new/" in client.get("/prevention/activities/").content.decode()
    form = client.get("/prevention/activities/new/").content.decode()
    assert "张警官" in form
    assert "李警官" not in form
    today = clock.today()
    post = {"liaison": officer.pk, "kind": "visit", "on": today.isoformat(), "people": "12",
            "note": "走访独居老人，宣传反诈", "idempotency_key": "d" * 32}
    assert client.post("/prevention/activities/new/", post).status_code == 302
    assert client.post("/prevention/activities/new/", post).status_code == 302  # sent twice: one record
    activity = LiaisonActivity.objects.get()
    assert (activity.liaison, activity.people, activity.region_id) == (officer, 12, world.gc_village.code)
    r = client.post("/prevention/activities/new/", {**post, "idempotency_key": "",
                                                    "on": (today + dt.timedelta(days=3)).isoformat()})
    assert r.status_code == 400
    assert "「日期」不能晚于今天" in r.content.decode()

    month = today.replace(day=1)
    post = {"region": world.gucheng.pk, "station": "古城派出所", "month": f"{month:%Y-%m}", "visits": "320",
            "disputes_resolved": "4", "suspects_caught": "2", "people_served": "150"}
    r = client.post("/prevention/police/new/", post)
    assert r.status_code == 302
    row = PoliceActivity.objects.get()
    assert (row.month, row.visits, row.region_id) == (month, 320, world.gucheng.code)
    r = client.post("/prevention/police/new/", post)  # the same month again, a new form
    assert r.status_code == 400
    assert "的月报已填报" in r.content.decode()
    assert PoliceActivity.objects.count() == 1


def test_a_schools_five_items_check_is_entered_and_then_changed_not_doubled(client, world):
    from anmin.campus.coverage import five_items
    from anmin.campus.models import SafetyCheck

    school = campus_actions.create_school(actor=SYSTEM, name="古城小学", kind="primary", region=world.gc_village)
    codes = [c for c, _n in five_items()]
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    assert "/campus/checks/new/" in client.get("/campus/checks/").content.decode()
    from anmin.campus.entry_pages import _terms

    term = _terms()[0][0]  # this term (the business day's)
    post = {"school": school.pk, "term": term, "items": codes[:3], "checked_on": clock.today().isoformat(),
            "checked_by": "教育办王老师"}
    r = client.post("/campus/checks/new/", post)
    assert r.status_code == 302
    check = SafetyCheck.objects.get()
    assert check.items == codes[:3]
    # Opened again for the school and term: what was recorded, and saving changes it.
    form = client.get(f"/campus/checks/new/?school={school.pk}&term={term}").content.decode()
    assert f'name="expected_version" value="{check.version}"' in form
    r = client.post("/campus/checks/new/", {**post, "items": codes, "expected_version": check.version})
    assert r.status_code == 302
    check.refresh_from_db()
    assert check.items == codes
    assert SafetyCheck.objects.count() == 1
    # A form opened before that change (the old version): told, nothing overwritten.
    r = client.post("/campus/checks/new/", {**post, "items": codes[:1], "expected_version": check.version - 1})
    assert r.status_code == 409
    assert "在您打开后已被他人修改" in r.content.decode()
    check.refresh_from_db()
    assert check.items == codes
