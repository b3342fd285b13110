"""The form kit's location picker: any form with a latitude/longitude pair gets the data the page's
script needs (GPS and a tap on the vendored map), coordinates checked for range naming the field."""

from __future__ import annotations

import json
import re

from django import forms
from django.contrib.staticfiles import finders

from anmin.core.formkit import KitForm
from anmin.core.models import RegionGeo


class Place(KitForm):
    title = forms.CharField(label="标题")
    latitude = forms.CharField(label="纬度", required=False)
    longitude = forms.CharField(label="经度", required=False)
    gps_accuracy = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.location_region = region


class Spot(KitForm):
    """Other names, numbers instead of text, no accuracy."""

    location_fields = ("y", "x")
    y = forms.DecimalField(label="北纬", required=False)
    x = forms.DecimalField(label="东经", required=False)


def attrs_of(html: str, name: str) -> dict[str, str]:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    return dict(re.findall(r'([\w-]+)="([^"]*)"', tag))


def test_a_latitude_longitude_pair_is_marked_for_the_gps_and_map_picker(world):
    RegionGeo.objects.create(region=world.gc_village, lat=34.2, lng=113.4)
    html = str(Place(region=world.gc_grid.code))
    lat, lng = attrs_of(html, "latitude"), attrs_of(html, "longitude")
    assert lat["data-location"] == "lat"
    assert lat["data-location-lng"] == "longitude"
    assert lat["data-location-accuracy"] == "gps_accuracy"
    assert lng["data-location"] == "lng"
    assert lat["inputmode"] == lng["inputmode"] == "decimal"
    conf = json.loads(lat["data-location-map"].replace("&quot;", '"'))
    # The map starts on the grid's village (the grid has no centre of its own), zoomed in.
    assert conf["centre"] == [34.2, 113.4]
    assert conf["zoom"] == 14
    assert conf["basemap"] == {"kind": "none"}  # nothing configured: no request leaves the server
    assert conf["text"]["gps"] == "获取当前位置"
    assert conf["text"]["map"] == "在地图上选点"
    # Leaflet is vendored: the script and stylesheet are this app's static files.
    for key in ("js", "css"):
        assert conf["leaflet"][key].startswith("/static/anmin/vendor/leaflet/")
        assert finders.find(conf["leaflet"][key].removeprefix("/static/"))


def test_a_form_names_its_own_pair_and_a_form_without_one_is_left_alone(db):
    html = str(Spot())
    assert attrs_of(html, "y")["data-location-lng"] == "x"
    assert "data-location-accuracy" not in attrs_of(html, "y")
    assert attrs_of(html, "x")["data-location"] == "lng"

    class NoPlace(KitForm):
        latitude = forms.CharField(label="纬度", required=False)

    assert "data-location" not in str(NoPlace())


def test_a_picked_or_typed_place_is_parsed_and_out_of_range_is_refused_naming_the_field(db):
    form = Place({"title": "t", "latitude": "34.140512", "longitude": "113.478", "gps_accuracy": "12"})
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["latitude"], form.cleaned_data["longitude"]) == ("34.140512", "113.478")
    assert form.cleaned_data["gps_accuracy"] == 12

    form = Place({"title": "t", "latitude": "91", "longitude": "-181"})
    assert not form.is_valid()
    assert form.errors == {"latitude": ["「纬度」须在 -90 到 90 之间"], "longitude": ["「经度」须在 -180 到 180 之间"]}
    form = Place({"title": "t", "latitude": "北纬34", "longitude": "113"})
    assert form.errors == {"latitude": ["「纬度」须为数字（十进制度，如 34.1405）"]}
    form = Spot({"y": "95.5", "x": "113"})
    assert form.errors == {"y": ["「北纬」须在 -90 到 90 之间"]}
    # One without the other names the missing one.
    both = ["「经度」和「纬度」须同时填写，或都不填"]
    assert Place({"title": "t", "latitude": "34.1"}).errors == {"longitude": both}
    assert Place({"title": "t", "longitude": "113.4"}).errors == {"latitude": both}
    assert Place({"title": "t"}).is_valid()
