"""修改房屋信息 on a page (the action had none): the address corrected, a stale form told, a role that
may not change houses finds no page."""

from __future__ import annotations

import pytest

from anmin.core.actors import SYSTEM
from anmin.core.models import AuditEntry, Role
from anmin.people import actions
from anmin.people.models import House

pytestmark = pytest.mark.django_db


def _post(house, **changes):
    data = {"address": house.address, "region": house.region_id, "use": house.use, "owner_name": house.owner_name,
            "floor_area": house.floor_area or "", "rental_use": house.rental_use, "notes": house.notes,
            "version": house.version}
    if house.is_rented:
        data["is_rented"] = "on"
    data.update(changes)
    return data


def test_the_centre_corrects_a_houses_address(client, world):
    house = actions.create_house(actor=SYSTEM, address="古城村幸福路1号", region=world.gc_village)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    page = client.get(house.get_absolute_url()).content.decode()
    assert f"/people/houses/{house.pk}/edit/" in page
    r = client.post(f"/people/houses/{house.pk}/edit/", _post(house, address="古城村幸福路11号"))
    assert r.status_code == 302
    house.refresh_from_db()
    assert house.address == "古城村幸福路11号"
    assert house.version == 2
    assert AuditEntry.objects.filter(object_type="people.house", action="update").exists()
    stale = client.post(f"/people/houses/{house.pk}/edit/", _post(house, address="古城村幸福路12号", version=1))
    assert stale.status_code == 409
    assert "古城村幸福路12号" in stale.content.decode()
    house.refresh_from_db()
    assert house.address == "古城村幸福路11号"


def test_a_leader_finds_no_edit_page(client, world):
    house = actions.create_house(actor=SYSTEM, address="古城村幸福路1号", region=world.gc_village)
    client.force_login(world.user(Role.LEADER))
    assert f"/people/houses/{house.pk}/edit/" not in client.get(house.get_absolute_url()).content.decode()
    assert client.get(f"/people/houses/{house.pk}/edit/").status_code == 404
    assert client.post(f"/people/houses/{house.pk}/edit/", _post(house, address="x")).status_code == 404
    assert House.objects.get(pk=house.pk).address == "古城村幸福路1号"
