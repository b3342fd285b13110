"""Patrol check-ins from the phone's outbox (issue 17, docs/offline.md): the check-in API under an
Idempotency-Key made on the phone, the recorded time and GPS accuracy kept apart from the received
time, and the offline workbench's check-in form with the user's open patrols as its choices."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from anmin.core import clock
from anmin.core.actors import SYSTEM
from anmin.core.models import Role
from anmin.core.offline import build_data
from anmin.prevention import actions
from anmin.prevention.models import CheckIn, PatrolLog

URL = "/api/v1/prevention/checkins/"


@pytest.fixture
def patrol(world):
    team = actions.create_team(actor=SYSTEM, region=world.gc_village, name="古城村治安巡逻队", kind="village")
    return actions.start_patrol(actor=world.user(Role.VILLAGE_CENTER), team=team)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_check_in_sent_twice_with_one_key_is_stored_once_with_its_recorded_time(world, patrol):
    client = api(world.user(Role.VILLAGE_CENTER))
    recorded = clock.now() - dt.timedelta(minutes=20)
    body = {"log": patrol.pk, "point": "小学门口", "finding": "路灯损坏", "latitude": "34.140512",
            "longitude": "113.490231", "recorded_at": recorded.isoformat(), "gps_accuracy": 12}
    patrol.started_at = clock.now() - dt.timedelta(hours=1)
    patrol.save(update_fields=["started_at"])
    first = client.post(URL, body, format="multipart", HTTP_IDEMPOTENCY_KEY="phone-checkin-1")
    assert first.status_code == 201, first.content
    again = client.post(URL, body, format="multipart", HTTP_IDEMPOTENCY_KEY="phone-checkin-1")
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    c = CheckIn.objects.get()
    assert abs(c.recorded_at - recorded) < dt.timedelta(seconds=1)
    assert c.at > c.recorded_at  # received later than recorded
    assert c.gps_accuracy == 12
    assert first.json()["gps_accuracy"] == 12
    # The patrol page shows the phone's time and when it arrived.
    page = APIClient()
    page.force_login(world.user(Role.VILLAGE_CENTER))
    html = page.get(patrol.get_absolute_url()).content.decode()
    assert "定位精度约 12 米" in html
    assert "data-received" in html


def test_bad_check_ins_are_refused_naming_the_field(world, patrol):
    client = api(world.user(Role.VILLAGE_CENTER))
    future = (clock.now() + dt.timedelta(hours=2)).isoformat()
    r = client.post(URL, {"log": patrol.pk, "point": "村口", "recorded_at": future}, format="json")
    assert r.status_code == 400
    assert "recorded_at" in r.json()["errors"]
    r = client.post(URL, {"log": patrol.pk, "point": "", "gps_accuracy": 5}, format="json")
    assert r.status_code == 400
    assert "point" in r.json()["errors"]
    # Another township's patrol is not a choice.
    other = actions.create_team(actor=SYSTEM, region=world.wl_village, name="无梁村治安巡逻队", kind="village")
    theirs = actions.start_patrol(actor=SYSTEM, team=other)
    r = client.post(URL, {"log": theirs.pk, "point": "村口"}, format="json")
    assert r.status_code == 400
    assert "log" in r.json()["errors"]
    # Without the patrol permission (a leader sees patrols but does not patrol).
    r = api(world.user(Role.LEADER)).post(URL, {"log": patrol.pk, "point": "村口"}, format="json")
    assert r.status_code in (403, 404)
    assert CheckIn.objects.count() == 0


def test_a_check_in_recorded_during_the_patrol_may_arrive_after_it_ended(world, patrol):
    cadre = world.user(Role.VILLAGE_CENTER)
    patrol.started_at = clock.now() - dt.timedelta(hours=2)
    patrol.save(update_fields=["started_at"])
    during = clock.now() - dt.timedelta(hours=1)
    actions.finish_patrol(actor=cadre, log=patrol)
    client = api(cadre)
    r = client.post(URL, {"log": patrol.pk, "point": "桥头", "recorded_at": during.isoformat()}, format="json")
    assert r.status_code == 201, r.content
    r = client.post(URL, {"log": patrol.pk, "point": "桥头"}, format="json")  # made after the end
    assert r.status_code == 400
    assert "log" in r.json()["errors"]
    assert CheckIn.objects.count() == 1


def test_the_phone_keeps_the_users_open_patrols_and_the_workbench_has_the_check_in_form(client, world, patrol):
    cadre = world.user(Role.VILLAGE_CENTER)
    done = PatrolLog.objects.create(team=patrol.team, region=patrol.region, patroller=cadre, ended_at=clock.now())
    lists = {entry["key"]: entry for entry in build_data(cadre)["lists"]}
    assert [item["value"] for item in lists["patrols"]["items"]] == [patrol.pk]  # not the finished one
    assert done.pk not in [item["value"] for item in lists["patrols"]["items"]]
    assert lists["patrols"]["pick"] is True
    # A grid worker (who may patrol) keeps only patrols in their grid or their own: not this one.
    worker = {e["key"]: e for e in build_data(world.user(Role.GRID_WORKER))["lists"]}
    assert worker["patrols"]["items"] == []
    client.force_login(cadre)
    html = client.get("/offline/").content.decode()
    assert 'data-form="offline-checkin"' in html
    assert f'data-offline-api="{URL}"' in html
    assert 'data-offline-pick="patrols"' in html
    assert "古城村治安巡逻队" not in html  # the choices come from the phone's store, not the page
