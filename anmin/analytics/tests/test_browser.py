"""The city dashboard and the 大屏 in a real browser with the CSP on: no console error, the charts
drawn (a canvas with coloured pixels), the map shown with no request leaving the server."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from anmin.conftest import login
from anmin.core.codes import load_code_tables
from anmin.core.models import Location, Role
from anmin.disputes import actions as dispute_actions
from anmin.hazards import actions as hazard_actions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INK = """(sel) => Array.from(document.querySelectorAll(sel)).map(c => {
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
  for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) { n++; } } return n; })"""


def _world_with_records(world):
    load_code_tables()
    for region in (world.gc_grid, world.wl_grid):
        d = dispute_actions.report_dispute(
            actor=world.user(Role.CITY_OFFICE), title="宅基地纠纷", region=region, category="0902",
            found_on=dt.date(2020, 6, 1), parties=[{"name": "甲"}, {"name": "乙", "role": "respondent"}])
        Location.objects.create(model="workflow.case", object_id=d.case_id, region=region, lat=34.1, lng=113.5)
    hazard_actions.create_water(actor=world.user(Role.CITY_OFFICE), region=world.gc_village, name="东坑塘",
                                kind="pond", latitude="34.04", longitude="113.57")


def _watch(page, live_server):
    errors, outside = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def route(r):
        if r.request.url.startswith(live_server.url):
            return r.continue_()
        outside.append(r.request.url)
        return r.abort()

    page.route("**/*", route)
    return errors, outside


def test_the_city_dashboard_and_the_bigscreen_draw_with_the_csp_on(live_server, world, browser):
    _world_with_records(world)
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    errors, outside = _watch(page, live_server)
    login(page, live_server, world.user(Role.CITY_OFFICE).username)
    resp = page.goto(f"{live_server.url}/analytics/?year=2020")
    assert "script-src 'self'" in resp.headers["content-security-policy"]
    page.wait_for_selector(".chart-box canvas")
    page.wait_for_timeout(300)
    ink = page.evaluate(INK, ".chart-box canvas")
    assert ink and min(ink) > 200, ink  # every chart drew something

    page.goto(f"{live_server.url}/analytics/bigscreen/?year=2020")
    page.wait_for_selector("body[data-loaded='1']")
    page.wait_for_selector(".bs-chart canvas")
    page.wait_for_selector(".bs-mapbox[data-ready='1']")
    page.wait_for_selector(".bs-mapbox .leaflet-control-layers", state="attached")
    page.wait_for_timeout(300)
    assert min(page.evaluate(INK, ".bs-chart canvas")) > 200
    assert page.locator(".bs-stat").count() >= 3
    assert page.locator("[data-bs=newest] li").count() == 2

    page.goto(f"{live_server.url}/analytics/map/?year=2020")
    page.wait_for_selector(".map-box[data-ready='1']")
    # Polled from here: wait_for_function evaluates a string, which the page's CSP (no unsafe-eval) refuses.
    loaded = "['cases-MD', 'hazards-waters'].map(k => document.querySelector('.map-box').getAttribute('data-loaded-' + k))"
    for _ in range(100):
        if page.evaluate(loaded) == ["2", "1"]:
            break
        page.wait_for_timeout(100)
    assert page.evaluate(loaded) == ["2", "1"]  # the disputes and the dangerous water with a point
    listed = page.locator(".map-box .leaflet-control-layers").inner_text()
    for label in ("视频监控点位", "视频监控覆盖缺口（村）", "危险水域", "学校(幼儿园)", "校园视频监控未联网"):
        assert label in listed, listed  # the registers' layers, each from its own domain
    # Leaflet's own words (titles and labels of its buttons) were English on the Chinese page.
    words = page.evaluate("""() => [...document.querySelectorAll('.map-box [title], .map-box [aria-label]')]
        .map(e => (e.getAttribute('title') || '') + ' ' + (e.getAttribute('aria-label') || ''))""")
    assert words and not [w for w in words if re.search(r"[A-Za-z]{3,}", w.replace("Leaflet", ""))], words
    assert not errors, errors
    assert not outside, outside
    context.close()


def test_the_bigscreen_clock_and_update_time_read_the_business_clock_in_the_citys_zone(live_server, world, browser):
    """On a world standing on 2020-12-10 the 大屏's clock said the browser's own date (2026/12/7) above
    reports of 12-10 09:02, and 数据更新 the server's real time."""
    from django.utils import timezone

    from anmin.core import clock

    clock.set_business_time(timezone.make_aware(dt.datetime(2020, 12, 10, 9, 0)))
    try:
        context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN", timezone_id="UTC")
        page = context.new_page()
        login(page, live_server, world.user(Role.CITY_OFFICE).username)
        page.goto(f"{live_server.url}/analytics/bigscreen/?year=2020")
        page.wait_for_selector("body[data-loaded='1']")
        assert page.inner_text("[data-bs=clock]").startswith("2020/12/10 09:0")  # Beijing time, not UTC 01:00
        assert page.inner_text("[data-bs=updated]").startswith("数据更新：2020-12-10 09:0")
        context.close()
    finally:
        clock.set_business_time(None)


# Through ECharts' own instance: the on-screen rectangles of each chart's legend (its items, icons and
# any page arrows) and of its value axes' names (the unit, 件) — the canvas has no elements to measure.
LAYOUT = """(sel) => Array.from(document.querySelectorAll(sel)).map(el => {
  const chart = echarts.getInstanceByDom(el);
  const option = chart.getOption();
  const names = (option.yAxis || []).map(a => a.name).filter(Boolean);
  const legendModel = chart.getModel().getComponent('legend');
  const legend = legendModel && legendModel.get('show') !== false ? chart.getViewOfComponentModel(legendModel).group : null;
  const inLegend = e => { for (let p = e; p; p = p.parent) { if (p === legend) { return true; } } return false; };
  const out = {key: el.closest('[data-chart-key]').getAttribute('data-chart-key'), legend: [], names: [],
               series: (option.series || []).length, width: el.clientWidth,
               right: el.getBoundingClientRect().right, screen: document.documentElement.clientWidth};
  const none = c => !c || c === 'none' || c === 'transparent';
  chart.getZr().storage.getDisplayList(true).forEach(e => {
    if (e.invisible || e.ignore || !e.style || (none(e.style.fill) && none(e.style.stroke))) { return; }
    const r = e.getBoundingRect().clone();
    const m = e.getComputedTransform();
    if (m) { r.applyTransform(m); }
    if (!r.width || !r.height) { return; }
    const box = {x: r.x, y: r.y, w: r.width, h: r.height, text: (e.style && e.style.text) || ''};
    if (legend && inLegend(e)) { out.legend.push(box); }
    else if (e.style && names.indexOf(e.style.text) >= 0) { out.names.push(box); }
  });
  return out; })"""


def _overlaps(a, b) -> bool:
    return a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]


def _world_with_every_kind_reported(world):
    """A year whose monthly trend has a line for every kind of case, as the demo's has: the legend is as
    long as a county's."""
    from anmin.tests.test_api_errors import cases_of_every_kind

    _world_with_records(world)
    cases_of_every_kind(world)


def _legend_clear_of_the_units(charts):
    measured = [c for c in charts if c["legend"] and c["names"]]
    assert measured, charts  # the trend at least has both
    assert any(c["series"] > 3 for c in measured), [c["series"] for c in measured]
    clashes = [(c["key"], item["text"], name["text"]) for c in measured for item in c["legend"] for name in c["names"]
               if _overlaps(item, name)]
    assert not clashes, clashes
    for c in measured:  # the legend above the unit (a scrolling legend's other pages, clipped, too), on the screen
        assert max(i["y"] + i["h"] for i in c["legend"]) <= min(n["y"] for n in c["names"]), c["key"]
        assert c["right"] <= c["screen"], c


@pytest.mark.parametrize(("width", "height", "shot"), [(1280, 900, "desktop"), (360, 740, "phone")])
def test_a_chart_s_legend_and_its_axis_unit_never_overlap(live_server, world, browser, width, height, shot,
                                                          tmp_path):
    """The legend was drawn across the value axis's unit (件) at the top of every chart: no legend item
    may touch an axis name at a desktop's width or a phone's, however many series it lists."""
    _world_with_every_kind_reported(world)
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                  device_scale_factor=1 if width > 400 else 2)
    page = context.new_page()
    login(page, live_server, world.user(Role.CITY_OFFICE).username)
    page.goto(f"{live_server.url}/analytics/")  # this year's, when the cases were opened
    page.wait_for_selector(".chart-box canvas")
    page.wait_for_timeout(300)
    _legend_clear_of_the_units(page.evaluate(LAYOUT, ".chart-box"))
    page.screenshot(path=tmp_path / f"charts-{shot}.png", full_page=True)  # to look at when it fails
    if width > 400:  # a window made narrow: the charts are drawn again, the legend wrapped anew
        page.set_viewport_size({"width": 360, "height": 740})
        page.wait_for_timeout(500)
        _legend_clear_of_the_units(page.evaluate(LAYOUT, ".chart-box"))
    context.close()


def test_a_reports_progress_and_its_status_share_one_line_on_a_phone(live_server, world, browser):
    """The bar was 320 px wide whatever the screen: on a 390-px phone its status, 已完成 or 排队中, broke
    over two lines (已完 / 成) beside it."""
    from anmin.analytics import actions
    from anmin.analytics.models import ReportRun, RunStatus

    city = world.user(Role.CITY_OFFICE)
    run = actions.request_report(actor=city, kind="annual", year=2020, region=world.city, enqueue=False)
    ReportRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE, progress=100, message="")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    page = context.new_page()
    try:
        login(page, live_server, city.username)
        page.goto(f"{live_server.url}/analytics/reports/{run.pk}/")
        bar = page.locator(".progress-box progress").bounding_box()
        words = page.locator("[data-progress-message]")
        box = words.bounding_box()
        line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('[data-progress-message]')).lineHeight)"
                             " || 24")
        assert words.inner_text() == "已完成"
        assert box["height"] < 1.5 * line, f"{words.inner_text()} takes {box['height']}px"
        assert box["x"] > bar["x"] + bar["width"] and box["y"] < bar["y"] + bar["height"]  # beside the bar
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
