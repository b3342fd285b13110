"""Dangerous waters on the map: each with a point of its own (the form's location picker, the
ledger's optional 经度/纬度 columns), the layer showing only the viewer's jurisdiction's, those without
signs, equipment or a responsible person first and drawn solid; a ledger kept before the columns
existed still imports."""

from __future__ import annotations

from decimal import Decimal

import pytest

from anmin.core import ledgers
from anmin.core.models import Role
from anmin.core.testing.sheets import xlsx
from anmin.hazards import actions
from anmin.hazards.models import Water
from anmin.hazards.registries import WATERS

pytestmark = pytest.mark.django_db


def _water(actor, region, name, point, **kw):
    lat, lng = point or (None, None)
    kept = {"warning_signs": 2, "rescue_equipment": "救生圈2个", "responsible_name": "张某", **kw}
    return actions.create_water(actor=actor, region=region, name=name, kind="pond", latitude=lat, longitude=lng,
                                **kept)


def test_the_waters_layer_shows_the_viewers_waters_the_unprotected_first(client, world):
    city = world.user(Role.CITY_OFFICE)
    safe = _water(city, world.gc_village, "古城村东坑塘", (Decimal("34.041"), Decimal("113.571")))
    _water(city, world.gc_village2, "大北村西坑塘", (Decimal("34.052"), Decimal("113.580")), warning_signs=0)
    _water(city, world.wl_village, "无梁村南坑塘", (Decimal("34.050"), Decimal("113.300")))
    _water(city, world.gc_village, "古城村北坑塘", None)  # no point: not on the map

    client.force_login(world.user(Role.TOWNSHIP_CENTER))  # 古城镇
    points = client.get("/analytics/map/layers/hazards.waters/?year=2020").json()["points"]
    assert [(p["label"], p["group"]) for p in points] == [("大北村西坑塘（坑塘），防护不全", "attention"),
                                                           ("古城村东坑塘（坑塘）", "normal")]
    assert points[1]["url"] == f"/hazards/waters/{safe.pk}/"
    assert client.get(points[1]["url"]).status_code == 200

    client.force_login(city)
    points = client.get("/analytics/map/layers/hazards.waters/?year=2020").json()["points"]
    assert len(points) == 3
    assert "无梁村南坑塘（坑塘）" in {p["label"] for p in points}


def test_the_water_form_offers_the_location_picker_and_bounds_the_point(client, world):
    centre = world.user(Role.TOWNSHIP_CENTER)
    client.force_login(centre)
    page = client.get("/hazards/waters/new/").content.decode()
    assert 'data-location="lat"' in page
    assert 'data-location="lng"' in page
    resp = client.post("/hazards/waters/new/", {"region": world.gc_village.code, "name": "古城村东坑塘",
                                                "kind": "pond", "latitude": "95", "longitude": "113.5",
                                                "warning_signs": 1})
    assert resp.status_code == 400  # refused: the form again, its errors at the fields
    assert "纬度" in resp.content.decode()
    assert not Water.objects.exists()


def test_a_ledger_without_the_point_columns_still_imports_and_one_with_them_sets_the_point(world):
    centre = world.user(Role.TOWNSHIP_CENTER)
    ledger = WATERS.ledger_class(user=centre)
    old = [c.header for c in ledger.columns if c.field not in ("longitude", "latitude")]
    row = dict.fromkeys(old, None) | {"乡镇(街道)": "古城镇", "村(社区)": "古城村委会", "水域类型": "坑塘"}
    report = ledger.dry_run(xlsx([old, [(row | {"水域名称": "东坑塘"})[h] for h in old]]))
    assert not report.errors
    assert report.new_count == 1
    assert ledger.run_import(report, mode=ledgers.ALL_OR_NOTHING).imported == 1
    assert Water.objects.get().latitude is None

    headers = [c.header for c in ledger.columns]
    row = dict.fromkeys(headers, None) | {"乡镇(街道)": "古城镇", "村(社区)": "大北村委会", "水域类型": "坑塘"}
    report = ledger.dry_run(xlsx([headers, [(row | {"水域名称": "西坑塘", "经度": 113.58, "纬度": 34.052})[h]
                                            for h in headers]]))
    assert ledger.run_import(report, mode=ledgers.ALL_OR_NOTHING).imported == 1
    water = Water.objects.get(name="西坑塘")
    assert (water.latitude, water.longitude) == (Decimal("34.052"), Decimal("113.58"))
    exported = ledger.workbook(Water.objects.visible_to(centre))
    assert WATERS.ledger_class(user=centre).dry_run(exported).existing_count == 2  # exports carry the columns
