"""The offline field app's server side (docs/offline.md): what a grid worker's phone keeps holds
nothing outside their grid; signed out it is told to clear; the service worker and logout headers."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from anmin.care.tests.factories import make_patient
from anmin.core.models import Role
from anmin.grid import actions as grid_actions
from anmin.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_a_grid_workers_kept_data_holds_nothing_outside_their_grid(client, world):
    make_person(world.gc_grid, name="本格居民甲")
    make_person(world.gc_grid2, name="邻格居民乙")
    make_person(world.wl_grid, name="外镇居民丙")
    make_patient(world.gc_grid, name="本格患者丁", registered_on=dt.date(2020, 1, 2))
    make_patient(world.gc_grid2, name="邻格患者戊", registered_on=dt.date(2020, 1, 2))
    make_patient(world.wl_grid, name="外镇患者己", registered_on=dt.date(2020, 1, 2))
    office = world.user(Role.CITY_OFFICE)
    outside = [grid_actions.report_event(actor=office, region=region, category="04", description="外格事件")
               for region in (world.gc_grid2, world.wl_grid)]

    worker = world.user(Role.GRID_WORKER)
    client.force_login(worker)
    response = client.get("/offline/data.json")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    data = response.json()
    assert data["user"]["id"] == worker.pk
    lists = {entry["key"]: entry for entry in data["lists"]}
    assert sorted(i["title"] for i in lists["residents"]["items"]) == sorted(["本格居民甲", "本格患者丁"])
    assert [i["title"] for i in lists["care_patients"]["items"]] == ["本格患者丁"]
    text = json.dumps(data, ensure_ascii=False)
    for name in ("邻格居民乙", "外镇居民丙", "邻格患者戊", "外镇患者己", *(e.case.number for e in outside)):
        assert name not in text
    # The pages the phone keeps: the workbench and the report forms this worker may fill in.
    assert "/offline/" in data["pages"]
    assert "/grid/report/" in data["pages"]


def test_a_signed_out_phone_is_told_to_clear_its_data(client, world):
    response = client.get("/offline/data.json")
    assert response.status_code == 200  # the phone's regular contact, not an error
    assert response.json() == {"signed_in": False, "clear": True}
    worker = world.user(Role.GRID_WORKER)
    client.force_login(worker)
    worker.is_active = False
    worker.save(update_fields=["is_active"])
    assert client.get("/offline/data.json").json()["clear"] is True


def test_an_account_without_business_data_keeps_no_lists(client, world):
    client.force_login(world.user(Role.SYSADMIN))
    assert client.get("/offline/data.json").json()["lists"] == []


def test_the_service_worker_is_served_from_the_root_and_logout_clears_the_device(client, world):
    sw = client.get("/sw.js")
    assert sw.status_code == 200
    assert sw["Service-Worker-Allowed"] == "/"
    assert sw["Content-Type"].startswith("text/javascript")
    assert "anmin/offline-store.js" in sw.content.decode()
    client.force_login(world.user(Role.GRID_WORKER))
    page = client.get("/offline/")
    assert page.status_code == 200
    assert b'rel="manifest"' in page.content
    logout = client.post("/logout/")
    assert logout["Clear-Site-Data"] == '"cache", "storage"'


def test_a_recorded_time_is_kept_apart_and_checked(world):
    from anmin.core import clock
    from anmin.core.errors import Invalid

    worker = world.user(Role.GRID_WORKER)
    now = clock.now()
    recorded = now - dt.timedelta(hours=5)
    event = grid_actions.report_event(actor=worker, region=world.gc_grid, category="04", description="离线记录",
                                      recorded_at=recorded, gps_accuracy=12.4)
    assert (event.recorded_at, event.gps_accuracy) == (recorded, 12)
    assert event.case.opened_at > recorded
    for bad in (now + dt.timedelta(hours=1), now - dt.timedelta(days=31)):
        with pytest.raises(Invalid):
            grid_actions.report_event(actor=worker, region=world.gc_grid, category="04", description="x",
                                      recorded_at=bad)
