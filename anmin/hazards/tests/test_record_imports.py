"""The drunk-driving register on a page (scoped, imported and exported there), its read API and menu
entry; the water inspections imported on their ledger page through the kit's ``record_import``."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from anmin.core.actors import SYSTEM
from anmin.core.models import Role
from anmin.core.protected import make_id_number
from anmin.core.testing.sheets import import_on_page
from anmin.hazards import actions
from anmin.hazards.importers import DrunkDrivingLedger
from anmin.hazards.models import DrowningIncident, DrunkDriving, Water, WaterInspection
from anmin.hazards.pages import DrowningImport, InspectionImport

URL = "/hazards/drunk-driving/"


@pytest.fixture
def uploads(settings, tmp_path):
    settings.ANMIN_LEDGER_UPLOAD_DIR = tmp_path / "uploads"


def register(world, *names_places):
    actions.import_drunk_driving([
        DrunkDriving(region=place, caught_on=dt.date(2020, 5, 6), driver_name=name, offence="drunk",
                     penalty="criminal", unit="交警大队") for name, place in names_places], actor=SYSTEM)


def test_the_register_page_is_scoped_and_shown_only_to_the_roles_holding_it(world, client):
    register(world, ("古城司机", world.gucheng), ("无梁司机", world.wuliang))
    client.force_login(world.user(Role.POLICE))
    police = client.get(URL)
    assert police.status_code == 200
    body = police.content.decode()
    assert "古城司机" in body
    assert "无梁司机" not in body  # the police user's station is in 古城镇
    assert reverse("hazards:drunk_driving_list") in body  # the menu entry
    assert "?import=1" in body
    record = DrunkDriving.objects.get(driver_name="古城司机")
    detail = client.get(record.get_absolute_url()).content.decode()
    assert "刑事处罚" in detail
    assert "古城司机" in detail
    other = DrunkDriving.objects.get(driver_name="无梁司机")
    assert client.get(other.get_absolute_url()).status_code == 404

    client.force_login(world.user(Role.CITY_OFFICE))
    city = client.get(URL)
    assert "无梁司机" in city.content.decode()
    assert "古城司机" in city.content.decode()
    assert "?import=1" not in city.content.decode()  # view only
    assert client.get(URL + "?import=1").status_code == 404

    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    assert client.get(URL).status_code == 404
    assert reverse("hazards:drunk_driving_list") not in client.get("/").content.decode()


def test_the_register_is_imported_on_the_page_with_the_bad_row_named_and_exported_again(world, client, uploads):
    client.force_login(world.user(Role.POLICE))
    ident = make_id_number(birth_date=dt.date(1980, 3, 1), sequence=11)
    rows = [
        ["2020-05-06", "古城镇", "张某", ident, "醉酒驾驶", "刑事处罚", "否", "交警大队"],
        ["2020-05-07", "古城镇", "李某", ident, "饮酒驾驶", "刑事处罚", "否", "交警大队"],  # not a crime
        ["2020-05-08", "古城镇", "王某", "", "饮酒驾驶", "行政处罚", "是", "交警大队"],
    ]
    report, done = import_on_page(client, URL, DrunkDrivingLedger, rows)
    assert 'data-row="3" data-field="penalty"' in report
    assert 'data-row="2"' not in report
    assert 'data-row="4"' not in report
    assert done.status_code == 200
    assert sorted(DrunkDriving.objects.values_list("driver_name", flat=True)) == ["张某", "王某"]
    exported = client.get(URL + "?export=xlsx")
    ws = load_workbook(io.BytesIO(b"".join(exported.streaming_content)
                                  if exported.streaming else exported.content)).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "张某" in values
    assert "身份证号码" in values  # the ledger's own columns: re-importable


def test_the_register_api_lists_in_scope_and_hides_the_id_number(world, client):
    register(world, ("古城司机", world.gucheng), ("无梁司机", world.wuliang))
    client.force_login(world.user(Role.POLICE))
    resp = client.get("/api/v1/drunk-driving/")
    assert resp.status_code == 200
    rows = resp.json()["results"]
    assert [r["driver_name"] for r in rows] == ["古城司机"]
    assert rows[0]["penalty_label"] == "刑事处罚"
    assert "id_number" not in rows[0]
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    assert client.get("/api/v1/drunk-driving/").json()["results"] == []


def test_water_inspections_are_imported_on_their_page_through_the_action(world, client, uploads):
    water = actions.create_water(actor=SYSTEM, region=world.gc_village.code, name="古城坑塘", kind="pond")
    actions.create_water(actor=SYSTEM, region=world.wl_village.code, name="无梁河湾", kind="river")
    client.force_login(world.user(Role.TOWNSHIP_CENTER))  # 古城镇
    rows = [
        ["古城坑塘", "2020-07-01", "张巡查", "是", "是", ""],
        ["无梁河湾", "2020-07-01", "李巡查", "是", "否", ""],  # not in 古城镇
        ["古城坑塘", "2020-07-02", "王巡查", "否", "是", "警示牌倒了"],
    ]
    report, done = import_on_page(client, "/hazards/inspections/", InspectionImport, rows)
    assert 'data-row="3" data-field="water"' in report
    assert "“无梁河湾”不是您辖区内登记的危险水域" in report
    assert done.status_code == 200
    got = WaterInspection.objects.order_by("inspected_on")
    assert [(i.inspector, i.region_id, i.signs_ok) for i in got] == [
        ("张巡查", world.gc_village.code, True), ("王巡查", world.gc_village.code, False)]
    assert Water.objects.get(pk=water.pk).inspections.count() == 2


def test_drownings_are_imported_on_their_page_placed_by_township_and_village(world, client, uploads):
    client.force_login(world.user(Role.TOWNSHIP_CENTER))  # 古城镇
    report, done = import_on_page(client, "/hazards/drownings/", DrowningImport, [
        ["古城镇", world.gc_village.name, "", "2020-07-02", 12, "男", "否", "坑塘戏水"],
        ["古城镇", world.gc_village.name, "", "2020-07-03", 19, "女", "否", "成年人"],  # not a minor
        ["无梁镇", "", "", "2020-07-04", 9, "女", "是", "不在本镇"],  # outside 古城镇
        ["古城镇", "", "", "2020-07-05", 10, "女", "是", "镇区河道"],
    ])
    assert 'data-row="3" data-field="age"' in report
    assert 'data-row="4" data-field="township"' in report
    assert done.status_code == 200
    got = DrowningIncident.objects.order_by("occurred_on")
    assert [(d.region_id, d.age, d.sex, d.died) for d in got] == [
        (world.gc_village.code, 12, "M", False), (world.gucheng.code, 10, "F", True)]


def test_the_inspections_export_imports_again_as_nothing_new(world):
    """水域巡查记录台账: 导出 Excel then 导入 the same file counted every inspection as 新增 — a second copy."""
    water = actions.create_water(actor=SYSTEM, region=world.gc_village.code, name="古城坑塘", kind="pond")
    centre = world.user(Role.TOWNSHIP_CENTER)
    actions.import_inspections([WaterInspection(water=water, region_id=water.region_id,
                                                inspected_on=dt.date(2020, 7, 1), inspector="张巡查")], actor=SYSTEM)
    again = InspectionImport(user=centre).dry_run(
        InspectionImport(user=centre).workbook(WaterInspection.objects.visible_to(centre)))
    assert again.errors == []
    assert (again.new_count, again.existing_count) == (0, 1)


def test_the_drownings_export_imports_again_as_nothing_new(world):
    """未成年人溺水事故台账: its own export imported again was 新增 on every row (a second copy of each);
    a repeat within one file is named."""
    actions.import_drownings([
        DrowningIncident(region=world.gc_village, occurred_on=dt.date(2020, 7, 2), age=12, sex="M"),
        DrowningIncident(region=world.gucheng, occurred_on=dt.date(2020, 7, 5), age=10, sex="F", died=True,
                         circumstances="镇区河道")], actor=SYSTEM)
    centre = world.user(Role.TOWNSHIP_CENTER)
    again = DrowningImport(user=centre).dry_run(
        DrowningImport(user=centre).workbook(DrowningIncident.objects.visible_to(centre)))
    assert again.errors == []
    assert (again.new_count, again.existing_count) == (0, 2)
    twice = DrowningImport(user=centre).dry_run(_sheet(DrowningImport, [
        ["古城镇", world.gc_village.name, "", "2020-07-09", 11, "男", "否", "坑塘戏水"],
        ["古城镇", world.gc_village.name, "", "2020-07-09", 11, "男", "否", "坑塘戏水"],
        ["古城镇", world.gc_village.name, "", "2020-07-09", 11, "男", "否", "同伴，河边"]]))
    assert [(e.row, e.field) for e in twice.errors] == [(3, "occurred_on")]
    assert twice.new_count == 2


def _sheet(ledger, rows) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in ledger.columns])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_an_export_with_chinese_punctuation_imports_again_as_nothing_new(world):
    """The demo's drownings (经过 "放学后结伴到坑塘边玩耍，不慎落水") exported and imported back were 新增 all
    7: the text cell's NFKC made "，" a ","; an imported 经过 lost its Chinese punctuation the same way."""
    actions.import_drownings([
        DrowningIncident(region=world.gc_village, occurred_on=dt.date(2020, 7, 2), age=12, sex="M",
                         circumstances="放学后结伴到坑塘边玩耍，不慎落水（已送医）")], actor=SYSTEM)
    centre = world.user(Role.TOWNSHIP_CENTER)
    again = DrowningImport(user=centre).dry_run(
        DrowningImport(user=centre).workbook(DrowningIncident.objects.visible_to(centre)))
    assert again.errors == []
    assert (again.new_count, again.existing_count) == (0, 1)
    typed = DrowningImport(user=centre).dry_run(_sheet(DrowningImport, [
        ["古城镇", world.gc_village.name, "", "2020-07-09", "１１", "男", "否", "同伴：河边，　ＡＢ１"]]))
    assert typed.errors == []
    assert typed.rows[0].values["circumstances"] == "同伴：河边， AB1"
    assert typed.rows[0].values["age"] == 11
