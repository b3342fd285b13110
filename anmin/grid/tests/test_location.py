"""A place on the report form: the form kit's picker (GPS or a tap on the map) on the grid worker's
form, the coordinates and the GPS accuracy stored, an out-of-range coordinate refused at its field."""

from __future__ import annotations

import re
from decimal import Decimal

from anmin.core.models import RegionGeo, Role
from anmin.grid.models import GridEvent


def form_data(world, **extra):
    return {"region": world.gc_grid.code, "category": "01", "description": "村口路灯损坏，夜间存在治安隐患",
            "priority": "normal", "source": "patrol", "idempotency_key": "k-loc-1", **extra}


def test_the_report_form_carries_the_picker_starting_on_the_workers_area(client, world):
    RegionGeo.objects.create(region=world.gc_village, lat=34.21, lng=113.39)
    client.force_login(world.user(Role.GRID_WORKER))
    html = client.get("/grid/report/").content.decode()
    lat = re.search(r'<input[^>]*name="latitude"[^>]*>', html).group(0)
    assert 'data-location="lat"' in lat
    assert 'data-location-lng="longitude"' in lat
    assert 'data-location-accuracy="gps_accuracy"' in lat
    assert "[34.21, 113.39]" in lat.replace("&quot;", '"')  # the grid's village, not the city
    assert re.search(r'<input[^>]*name="longitude"[^>]*data-location="lng"', html)
    assert "grid/report.js" not in html  # the kit's forms.js does it for every form


def test_a_gps_position_keeps_its_accuracy_and_a_tap_on_the_map_has_none(client, world):
    client.force_login(world.user(Role.GRID_WORKER))
    r = client.post("/grid/report/", form_data(world, latitude="34.140512", longitude="113.478123",
                                               gps_accuracy="18"))
    assert r.status_code == 302
    event = GridEvent.objects.get()
    assert (event.latitude, event.longitude, event.gps_accuracy) == (Decimal("34.140512"), Decimal("113.478123"), 18)
    assert "精度约 18 米" in client.get(event.get_absolute_url()).content.decode()
    r = client.post("/grid/report/", form_data(world, latitude="34.15", longitude="113.49", gps_accuracy="",
                                               idempotency_key="k-loc-2"))
    tapped = GridEvent.objects.exclude(pk=event.pk).get()
    assert (tapped.latitude, tapped.longitude, tapped.gps_accuracy) == (Decimal("34.15"), Decimal("113.49"), None)


def test_an_out_of_range_coordinate_is_refused_at_its_field(client, world):
    client.force_login(world.user(Role.GRID_WORKER))
    r = client.post("/grid/report/", form_data(world, latitude="134.1", longitude="113.4"))
    assert r.status_code == 400  # refused: the form again, its errors at the fields
    assert r.context["form"].errors == {"latitude": ["「纬度」须在 -90 到 90 之间"]}
    html = r.content.decode()
    assert "「纬度」须在 -90 到 90 之间" in html[html.find('data-field="latitude"'):]
    r = client.post("/grid/report/", form_data(world, latitude="34.1", longitude="213.4"))
    assert r.context["form"].errors == {"longitude": ["「经度」须在 -180 到 180 之间"]}
    assert not GridEvent.objects.exists()
