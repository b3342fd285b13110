"""Railway hazards on the case engine: found → 下达整改 (with the deadline) → 整改反馈 → 验收销号,
overdue (and supervised) after the deadline, the pages and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from anmin.core.models import Role
from anmin.hazards import actions
from anmin.hazards.models import RailwayHazard
from anmin.workflow import actions as case_actions
from anmin.workflow.models import Case, Supervision

NOW = dt.datetime(2020, 10, 9, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def hazard(world):
    return actions.report_railway_hazard(actor=world.user(Role.TOWNSHIP_CENTER), region=world.gc_village,
                                         category="tree", line="郑万高铁", mileage="K668+200",
                                         description="线路旁杨树倾斜，易倒伏侵限", priority="normal")


def step(world, hazard, role, transition, **kw):
    case = Case.objects.get(pk=hazard.case_id)
    return case_actions.transition_case(case=case, actor=world.user(role), transition=transition,
                                        expected_version=case.version, **kw)


def test_a_hazard_is_found_rectified_within_its_deadline_and_verified(world, hazard):
    case = hazard.case
    assert case.number.startswith("TL-")
    assert case.status == "reported"
    assert case.center_org == world.orgs["gc_center"]  # taken in by the township centre
    case = step(world, hazard, Role.TOWNSHIP_CENTER, "order", target_org=world.orgs["gc_v_center"])
    assert case.status == "rectifying"
    assert case.stage == "rectify"
    # The deadline is the rectification stage's limit: 15 days for an ordinary hazard.
    assert (case.due_at - case.stage_started_at).days in (14, 15)
    case = step(world, hazard, Role.VILLAGE_CENTER, "rectify", data={"result": "已伐除危树"})
    assert case.status == "rectified"
    case = step(world, hazard, Role.TOWNSHIP_CENTER, "verify")
    assert case.status == "verified"
    assert not case.is_open
    assert case.closed_at
    labels = [e.label for e in case.events.order_by("seq")]
    assert labels == ["上报", "下达整改", "整改反馈", "验收销号"]


def test_a_hazard_not_rectified_by_its_deadline_is_overdue_and_supervised(world, hazard):
    case = step(world, hazard, Role.TOWNSHIP_CENTER, "order", target_org=world.orgs["gc_v_center"])
    assert not Case.objects.overdue(case.due_at - dt.timedelta(minutes=1)).filter(pk=case.pk).exists()
    after = case.due_at + dt.timedelta(minutes=5)
    assert Case.objects.overdue(after).filter(pk=case.pk).exists()
    case_actions.sweep(now=after)
    case.refresh_from_db()
    assert case.overdue_at is not None
    supervision = Supervision.objects.get(case=case, automatic=True)
    assert supervision.to_org == world.orgs["gc_v_center"]


def test_a_failed_check_sends_it_back_to_rectification(world, hazard):
    step(world, hazard, Role.TOWNSHIP_CENTER, "order", target_org=world.orgs["gc_v_center"])
    step(world, hazard, Role.VILLAGE_CENTER, "rectify", data={"result": "已处理"})
    case = step(world, hazard, Role.TOWNSHIP_CENTER, "verify_fail", reason="现场复核危树仍未伐除")
    assert case.status == "rectifying"


def test_a_village_cannot_register_a_hazard_in_another_township(world):
    from anmin.core.errors import Invalid

    with pytest.raises(Invalid):
        actions.report_railway_hazard(actor=world.user(Role.VILLAGE_CENTER), region=world.wl_village,
                                      category="fence", line="禹亳铁路", description="护网破损")


def test_pages_list_and_show_the_hazard_and_the_form_registers_one(world, hazard, client):
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    listing = client.get("/hazards/railway/")
    assert listing.status_code == 200
    assert hazard.case.number in listing.content.decode()
    detail = client.get(f"/hazards/railway/{hazard.pk}/")
    assert detail.status_code == 200
    assert "郑万高铁" in detail.content.decode()
    client.force_login(world.user(Role.VILLAGE_CENTER))
    resp = client.post("/hazards/railway/report/", {
        "region": world.gc_village.code, "line": "禹亳铁路", "category": "fence", "description": "护网破损",
        "priority": "urgent"})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    assert RailwayHazard.objects.filter(line="禹亳铁路").exists()
    # A neighbouring township's hazard is not found.
    other = actions.report_railway_hazard(actor=world.user(Role.CITY_OFFICE), region=world.wl_village,
                                          category="tree", line="郑万高铁", description="危树")
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    assert client.get(f"/hazards/railway/{other.pk}/").status_code == 404


def test_the_api_registers_once_per_idempotency_key_and_lists_in_scope(world):
    api = APIClient()
    api.force_authenticate(world.user(Role.TOWNSHIP_CENTER))
    body = {"region": world.gc_village.code, "category": "object", "line": "郑万高铁", "description": "彩钢瓦未加固"}
    first = api.post("/api/v1/railway-hazards/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == 201, first.content
    again = api.post("/api/v1/railway-hazards/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert again.json()["id"] == first.json()["id"]
    assert RailwayHazard.objects.count() == 1
    assert first.json()["number"].startswith("TL-")
    bad = api.post("/api/v1/railway-hazards/", {**body, "category": "x"}, format="json")
    assert bad.status_code == 400
    assert bad.json()["field"] == "category"
    assert api.get("/api/v1/railway-hazards/").json()["count"] == 1


def test_the_railway_ledger_imports_good_rows_names_bad_ones_and_reexports(world, client, settings, tmp_path):
    from anmin.core.testing.sheets import import_on_page
    from anmin.hazards.importers import RailwayHazardLedger

    settings.ANMIN_LEDGER_UPLOAD_DIR = tmp_path
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    blank = ["", "古城镇", "古城村", ""]  # 编号, 乡镇, 村 (short name), 网格
    rows = [
        [*blank, "", "危树", "郑万高铁", "K668+200", "线路旁杨树倾斜", "砍伐", "一般", "2020-10-08"],
        [*blank, "", "不存在的类别", "郑万高铁", "", "护网破损", "", "", ""],
        ["", "无梁镇", "无梁村", "", "", "危树", "禹亳铁路", "", "杨树倾斜", "", "", ""],  # outside 古城镇
    ]
    report, done = import_on_page(client, "/hazards/railway/", RailwayHazardLedger, rows)
    assert 'data-row="3" data-field="category"' in report
    assert 'data-row="4"' in report
    assert done.status_code == 200
    hazard = RailwayHazard.objects.get()
    assert (hazard.line, hazard.category, hazard.case.region_id) == ("郑万高铁", "tree", world.gc_village.code)
    assert hazard.case.status == "reported"  # 已发现, waiting for 下达整改
    again = RailwayHazardLedger(user=world.user(Role.TOWNSHIP_CENTER)).dry_run(
        RailwayHazardLedger(user=world.user(Role.TOWNSHIP_CENTER)).workbook(RailwayHazard.objects.all()))
    assert (again.new_count, again.existing_count, again.errors) == (0, 1, [])


def test_the_report_form_stands_on_no_category_until_one_is_chosen(world, client):
    """The form opened on 危房 (the first category): a grid worker who reported a cut fence without
    touching the picker registered a 危房 hazard. Now nothing stands chosen and the form says so."""
    client.force_login(world.user(Role.VILLAGE_CENTER))
    form = client.get("/hazards/railway/report/").content.decode()
    picker = form[form.index('name="category"'):]
    picker = picker[:picker.index("</select>")]
    assert '<option value="" selected>请选择</option>' in picker
    resp = client.post("/hazards/railway/report/", {
        "region": world.gc_village.code, "line": "郑万高铁", "description": "护网被剪开约2米", "priority": "normal"})
    assert resp.status_code == 400
    assert "「隐患类别」为必填项" in resp.content.decode()
    assert 'value="郑万高铁"' in resp.content.decode()
    assert not RailwayHazard.objects.filter(line="郑万高铁").exists()
