"""A grid worker reports with no signal and stays on the form: when the network returns and the report
is sent, the note above the form says so (it kept saying 当前无网络：已保存到本机的待上传队列 after the
upload, found by the first-day browser pass)."""

from __future__ import annotations

import pytest

from anmin.conftest import login
from anmin.core.models import Role
from anmin.core.testing.browser import OUTBOX_COUNT, poll
from anmin.grid.models import GridEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_forms_note_says_the_report_was_sent_once_it_was(live_server, world, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True,
                                  has_touch=True, service_workers="allow")
    page = context.new_page()
    try:
        login(page, live_server, world.user(Role.GRID_WORKER).username)
        page.wait_for_selector("text=您好")
        page.goto(f"{live_server.url}/offline/")
        poll(page, "document.body.dataset.offlineReady || ''", "1")
        poll(page, "!!navigator.serviceWorker.controller", True)
        page.goto(f"{live_server.url}/grid/report/")
        context.set_offline(True)
        page.select_option("#id_category", "02")
        page.fill("#id_description", "村口路灯不亮")
        page.click("form[data-form=grid-report] button[type=submit]")
        page.wait_for_selector("[data-outbox-note]")
        assert "当前无网络" in page.inner_text("[data-outbox-note]")
        poll(page, OUTBOX_COUNT, "1")
        context.set_offline(False)
        poll(page, OUTBOX_COUNT, "0", tries=300)
        poll(page, "document.querySelector('[data-outbox-note]').textContent.indexOf('已上传') >= 0", True)
        assert "当前无网络" not in page.inner_text("[data-outbox-note]")
        assert GridEvent.objects.count() == 1
    finally:
        context.close()
