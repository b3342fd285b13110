"""On a 360-px phone the grid worker fills the place from the phone's GPS, then moves it with a tap on
the map; the report keeps the tapped place and no GPS accuracy. No console error (the CSP holds)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from anmin.conftest import login
from anmin.core.models import RegionGeo, Role
from anmin.grid.models import GridEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_place_comes_from_the_gps_or_a_tap_on_the_map(live_server, world, browser, tmp_path):
    RegionGeo.objects.create(region=world.gc_village, lat=34.2, lng=113.4)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", is_mobile=True,
                                  has_touch=True, permissions=["geolocation"],
                                  geolocation={"latitude": 34.181234, "longitude": 113.412345, "accuracy": 23})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        login(page, live_server, world.user(Role.GRID_WORKER).username)
        page.wait_for_selector("text=您好")
        page.goto(f"{live_server.url}/grid/report/")
        page.select_option("#id_category", "02")
        page.fill("#id_description", "塘边护栏缺失，存在溺水隐患")

        page.click("[data-location-gps]")
        # Polled by Playwright's own checks: wait_for_function evaluates a string, which the page's CSP
        # (no unsafe-eval) refuses whenever the first look finds the value not yet there.
        expect(page.locator("#id_latitude")).not_to_have_value("")
        assert page.input_value("#id_latitude") == "34.181234"
        assert page.input_value("#id_longitude") == "113.412345"
        assert page.input_value("#id_gps_accuracy") == "23"
        assert "23 米" in page.inner_text("[data-location-status]")

        page.click("[data-location-pick]")
        page.wait_for_selector("[data-location-canvas][data-ready]")
        titles = page.eval_on_selector_all(".leaflet-control-zoom a", "as => as.map(a => a.title)")
        assert titles == ["放大", "缩小"], titles  # Leaflet's own "Zoom in" on the Chinese page
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"page is {width}px wide at a 360px viewport"
        page.screenshot(path=str(tmp_path / "picker.png"), full_page=True)
        canvas = page.locator("[data-location-canvas]")
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        # North-east of the GPS position (the map is centred on it); the locator scrolls it into view.
        canvas.click(position={"x": box["width"] * 0.8, "y": box["height"] * 0.25})
        expect(page.locator("#id_gps_accuracy")).to_have_value("")
        lat, lng = float(page.input_value("#id_latitude")), float(page.input_value("#id_longitude"))
        assert lat > 34.181234
        assert lng > 113.412345
        assert "已在地图上选点" in page.inner_text("[data-location-status]")

        page.click("form[data-form=grid-report] button[type=submit]")
        page.wait_for_selector("[data-category='02']")
        event = GridEvent.objects.get()
        assert (event.latitude, event.longitude) == (Decimal(f"{lat:.6f}"), Decimal(f"{lng:.6f}"))
        assert event.gps_accuracy is None
        assert not errors, errors
    finally:
        context.close()
