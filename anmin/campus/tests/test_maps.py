"""Schools on the map: the schools layer and the schools whose video surveillance is not linked to
the police in the year's autumn term (the 五个100% item ``video``), each viewer only their own
jurisdiction's; the demo world places every school near its village, inside Yuzhou."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from anmin.campus import actions, demo
from anmin.campus.models import School
from anmin.core.actors import SYSTEM
from anmin.core.models import Role
from anmin.core.models.geo import RegionGeo
from anmin.workflow.kit.demo import Scatter

pytestmark = pytest.mark.django_db

ALL = ["guard", "alarm", "video", "closed", "post"]


def _school(region, name, point, items):
    lat, lng = point or (None, None)
    school = actions.create_school(actor=SYSTEM, region=region, name=name, kind="primary", latitude=lat,
                                   longitude=lng)
    if items is not None:
        actions.record_check(actor=SYSTEM, school=school, term="2020-2", items=items, checked_on=dt.date(2020, 9, 20))
    return school


def _points(client, user, key, year=2020):
    client.force_login(user)
    resp = client.get(f"/analytics/map/layers/{key}/?year={year}")
    assert resp.status_code == 200
    return resp.json()["points"]


@pytest.fixture
def schools(world):
    return {
        "all": _school(world.gc_village, "古城村小学", (Decimal("34.041"), Decimal("113.571")), ALL),
        "no_video": _school(world.gc_village2, "大北村小学", (Decimal("34.052"), Decimal("113.58")),
                            [i for i in ALL if i != "video"]),
        "no_post": _school(world.gc_village2, "大北村幼儿园", (Decimal("34.053"), Decimal("113.581")), ALL[:-1]),
        "unchecked": _school(world.wl_village, "无梁村小学", (Decimal("34.05"), Decimal("113.30")), None),
        "unplaced": _school(world.gc_village, "古城村幼儿园", None, ["guard"]),
    }


def test_the_schools_layer_shows_the_viewers_schools(client, world, schools):
    township = _points(client, world.user(Role.TOWNSHIP_CENTER), "campus.schools")  # 古城镇
    assert sorted(p["label"] for p in township) == ["古城村小学（小学）", "大北村小学（小学）", "大北村幼儿园（小学）"]
    first = next(p for p in township if p["label"].startswith("古城村小学"))
    assert (first["lat"], first["lng"], first["url"]) == (34.041, 113.571, f"/campus/schools/{schools['all'].pk}/")
    assert len(_points(client, world.user(Role.CITY_OFFICE), "campus.schools")) == 4


def test_schools_without_linked_video_are_gaps_in_the_viewers_area(client, world, schools):
    township = _points(client, world.user(Role.TOWNSHIP_CENTER), "campus.video_gaps")
    assert [(p["label"], p["group"]) for p in township] == [
        ("大北村小学：缺 视频监控系统与公安机关联网率100%", "attention")]
    assert township[0]["url"] == f"/campus/schools/{schools['no_video'].pk}/"
    city = _points(client, world.user(Role.CITY_OFFICE), "campus.video_gaps")
    assert [p["label"].split("：")[0] for p in city] == ["大北村小学", "无梁村小学"]  # no check this term: lacks all
    assert len(_points(client, world.user(Role.CITY_OFFICE), "campus.video_gaps", year=2019)) == 4  # no 2019 checks


def test_the_demo_places_every_school_near_its_village_inside_yuzhou(world):
    for village, lat, lng in ((world.gc_village, 34.04, 113.57), (world.gc_village2, 34.05, 113.58)):
        RegionGeo.objects.create(region=village, lat=lat, lng=lng)
    demo.build()
    placed = list(School.objects.values_list("region_id", "latitude", "longitude"))
    assert placed
    assert all(lat is not None for _r, lat, _l in placed)
    assert all(Decimal("33.95") <= lat <= Decimal("34.40") and Decimal("113.10") <= lng <= Decimal("113.70")
               for _r, lat, lng in placed)
    near = [(lat, lng) for code, lat, lng in placed if code == world.gc_village2.code]
    assert near
    # within about a kilometre of its village's centre
    assert all(abs(lat - Decimal("34.05")) < Decimal("0.01") for lat, _lng in near)
    assert all(abs(lng - Decimal("113.58")) < Decimal("0.012") for _lat, lng in near)
    school = School.objects.filter(region=world.gc_village2).first()
    assert Scatter().near(school.region_id, school.name, km=1.0) == (school.latitude, school.longitude)  # every run
