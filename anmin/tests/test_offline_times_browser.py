"""The offline workbench shows times as the rest of the pages do — Beijing time, "2026-12-07 14:05" — on a
phone set to another time zone (it showed the phone's own zone, in the phone's own format: an
earlier review found "12/7/2026, 1:05:00 AM" on a phone set to New York)."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from anmin.conftest import login
from anmin.core import clock
from anmin.core.models import Role
from anmin.core.testing.browser import OUTBOX_COUNT, poll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BEIJING = ZoneInfo("Asia/Shanghai")
# The business clock reads this when the test starts (and runs on at real speed).
MOMENT = dt.datetime(2026, 12, 7, 14, 5, tzinfo=BEIJING)


def minutes(start: dt.datetime, end: dt.datetime, sep: str = " ") -> set[str]:
    """Every minute from ``start`` to ``end``, Beijing time, as the pages show one."""
    moment = start.astimezone(BEIJING).replace(second=0, microsecond=0)
    out = set()
    while moment <= end:
        out.add(moment.strftime(f"%Y-%m-%d{sep}%H:%M"))
        moment += dt.timedelta(minutes=1)
    return out


@pytest.mark.parametrize("zone", ["America/New_York", "UTC"])
def test_the_workbench_shows_beijing_time_on_a_phone_set_to_another_zone(live_server, world, browser, zone):
    clock.set_business_time(MOMENT)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", is_mobile=True,
                                  has_touch=True, service_workers="allow", timezone_id=zone)
    page = context.new_page()
    try:
        login(page, live_server, world.user(Role.GRID_WORKER).username)
        page.wait_for_selector("text=您好")
        assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == zone  # the phone's zone
        page.goto(f"{live_server.url}/offline/")
        poll(page, "document.body.dataset.offlineReady || ''", "1")
        poll(page, "!!navigator.serviceWorker.controller", True)

        # 本机数据更新于 …: when the server built the kept lists, on the business clock, in Beijing.
        page.wait_for_function("document.querySelector('[data-offline-when]').textContent.length > 0")
        when = page.inner_text("[data-offline-when]")
        shown = re.fullmatch(r"本机数据更新于 (\d{4}-\d\d-\d\d \d\d:\d\d)", when)
        assert shown, when
        assert shown.group(1) in minutes(MOMENT, clock.now())

        # The follow-up form's 随访时间 is filled with the same clock (a datetime-local field).
        filled = page.locator("input[data-offline-now]").first.input_value()
        assert filled in minutes(MOMENT, clock.now(), sep="T")

        # A report queued with no signal: the workbench lists it with when it was recorded, in Beijing.
        page.goto(f"{live_server.url}/grid/report/")
        context.set_offline(True)
        page.select_option("#id_category", "02")
        page.fill("#id_description", "村口路灯不亮")
        page.click("form[data-form=grid-report] button[type=submit]")
        poll(page, OUTBOX_COUNT, "1")
        queued = clock.now()
        page.goto(f"{live_server.url}/offline/")
        poll(page, "document.querySelectorAll('[data-outbox-list] li').length", 1)
        meta = page.inner_text("[data-outbox-list] li small").strip()
        listed = re.fullmatch(r"(\d{4}-\d\d-\d\d \d\d:\d\d) · 待上传", meta)
        assert listed, meta
        assert listed.group(1) in minutes(MOMENT, queued + dt.timedelta(seconds=5))
    finally:
        context.close()
        clock.set_business_time(None)
