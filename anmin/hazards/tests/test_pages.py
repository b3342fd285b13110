"""The hazards record pages (the kit's record ledgers): drownings and water inspections, scoped."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from anmin.core.actors import SYSTEM
from anmin.core.models import Role
from anmin.hazards import actions
from anmin.hazards.models import DrowningIncident


def test_drowning_and_inspection_ledgers(world, client):
    actions.import_drownings([
        DrowningIncident(region=world.gc_village, occurred_on=dt.date(2020, 7, 2), age=12, sex="M",
                         circumstances="古城村坑塘戏水"),
        DrowningIncident(region=world.wl_village, occurred_on=dt.date(2020, 7, 3), age=9, sex="F",
                         circumstances="无梁河边玩耍"),
    ], actor=SYSTEM)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))  # 古城镇
    page = client.get(reverse("hazards:drowning_list")).content.decode()
    assert "古城村坑塘戏水" in page
    assert "无梁河边玩耍" not in page
    assert client.get(reverse("hazards:inspection_list")).status_code == 200
