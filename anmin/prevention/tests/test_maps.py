"""Prevention on the analytics map: cameras with their points (those off line first, drawn solid) and
the villages short of an online crossing camera at their centres — each viewer only their own
jurisdiction's; the ledger's 经度/纬度 are checked on their row."""

from __future__ import annotations

from decimal import Decimal

import pytest

from anmin.core import ledgers
from anmin.core.models import Role
from anmin.core.models.geo import RegionGeo
from anmin.core.testing.sheets import xlsx
from anmin.prevention import actions
from anmin.prevention.coverage import VILLAGE_CROSSING
from anmin.prevention.models import Camera
from anmin.prevention.registries import CAMERAS

pytestmark = pytest.mark.django_db


def _camera(actor, region, name, point, kind="crossing"):
    lat, lng = point or (None, None)
    return actions.create_camera(actor=actor, region=region, name=name, programme="township", place_kind=kind,
                                 latitude=lat, longitude=lng)


def _layer(client, user, key):
    client.force_login(user)
    resp = client.get(f"/analytics/map/layers/{key}/?year=2020")
    assert resp.status_code == 200, resp.status_code
    return resp.json()["points"]


def test_the_camera_layer_shows_the_viewers_cameras_those_off_line_first(client, world):
    city = world.user(Role.CITY_OFFICE)
    east = _camera(city, world.gc_grid, "古城东口", (Decimal("34.041"), Decimal("113.571")))
    north = _camera(city, world.gc_village2, "大北口", (Decimal("34.052"), Decimal("113.580")))
    actions.set_camera_status(actor=city, record=north, expected_version=1, status="offline", note="断电")
    _camera(city, world.wl_grid, "无梁口", (Decimal("34.050"), Decimal("113.300")))
    _camera(city, world.gc_grid, "古城西口", None)  # no point: not on the map

    township = _layer(client, world.user(Role.TOWNSHIP_CENTER), "prevention.cameras")  # 古城镇
    assert [(p["label"], p["group"]) for p in township] == [("大北口（离线）", "attention"),
                                                             ("古城东口（在线）", "normal")]
    assert (township[1]["lat"], township[1]["lng"], township[1]["url"]) == (34.041, 113.571,
                                                                            f"/prevention/cameras/{east.pk}/")
    assert client.get(township[1]["url"]).status_code == 200  # the point opens the record's page

    points = _layer(client, city, "prevention.cameras")
    assert sorted(p["label"] for p in points) == ["古城东口（在线）", "大北口（离线）", "无梁口（在线）"]


def test_villages_without_an_online_crossing_camera_are_gaps_at_their_centres(client, world):
    for village, lat, lng in ((world.gc_village, 34.04, 113.57), (world.gc_village2, 34.05, 113.58),
                              (world.wl_village, 34.05, 113.30)):
        RegionGeo.objects.create(region=village, lat=lat, lng=lng)
    city = world.user(Role.CITY_OFFICE)
    _camera(city, world.gc_grid, "古城东口", None)  # 古城村 is covered, with or without a point
    _camera(city, world.wl_grid, "无梁学校", None, kind="school")  # not a crossing: 无梁村 is not

    township = _layer(client, world.user(Role.TOWNSHIP_CENTER), "prevention.camera_gaps")
    assert [(p["lat"], p["lng"], p["group"]) for p in township] == [(34.05, 113.58, "attention")]
    assert "大北村委会" in township[0]["label"]
    assert "现有 0 个" in township[0]["label"]
    assert township[0]["url"].startswith(f"/workflow/coverage/?rule={VILLAGE_CROSSING}&township=411081106")
    assert client.get(township[0]["url"]).status_code == 200

    points = _layer(client, city, "prevention.camera_gaps")
    assert sorted(p["label"][:7] for p in points) == ["古城镇大北村委", "无梁镇无梁村委"]


def test_a_dashboard_reader_without_the_register_gets_no_camera_layer(client, world):
    reader = world.user("crackdown")  # reads the dashboard, not the camera register
    client.force_login(reader)
    assert client.get("/analytics/map/layers/prevention.cameras/").status_code == 404
    page = client.get("/analytics/map/").content.decode()
    assert "map/layers/cases.MD/" in page
    assert "map/layers/prevention.cameras/" not in page


def test_the_camera_ledger_checks_the_point_and_keeps_six_places(world):
    centre = world.user(Role.TOWNSHIP_CENTER)
    headers = [c.header for c in CAMERAS.ledger_class.columns]
    row = dict.fromkeys(headers, None) | {"乡镇(街道)": "古城镇", "村(社区)": "古城村委会", "建设项目": "平安乡镇"}
    rows = [row | {"点位名称": "东口", "经度": 113.5712346, "纬度": "34.0412°"},
            row | {"点位名称": "西口", "经度": 213.5, "纬度": 34.04},
            row | {"点位名称": "南口", "经度": 113.5, "纬度": "北纬三十四度"}]
    ledger = CAMERAS.ledger_class(user=centre)
    report = ledger.dry_run(xlsx([headers, *([r[h] for h in headers] for r in rows)]))
    assert {(e.row, e.field) for e in report.errors} == {(3, "longitude"), (4, "latitude")}
    assert ledger.run_import(report, mode=ledgers.VALID_ONLY).imported == 1
    cam = Camera.objects.get()
    assert (cam.longitude, cam.latitude) == (Decimal("113.571235"), Decimal("34.041200"))
