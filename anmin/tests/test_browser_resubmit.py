"""登记线索 in a browser: back to the form already sent and 提交 again registers no second clue (the
form's idempotency key belongs to its place in the history, anmin.js); another create form alike."""

from __future__ import annotations

import re

import pytest

from anmin.conftest import login
from anmin.core.actors import SYSTEM
from anmin.core.models import Role
from anmin.crackdown.models import Clue
from anmin.prevention import actions as prevention
from anmin.prevention.models import PatrolLog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_clue(page, world) -> None:
    page.select_option("#id_region", world.gc_village.code)
    page.select_option("#id_source", index=1)
    page.select_option("#id_subject", index=1)
    page.fill("#id_description", "古城村有人以放贷为名暴力催收，群众反映强烈")


def test_back_and_submit_again_registers_one_clue(live_server, world, browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    try:
        login(page, live_server, world.user("crackdown").username)
        page.wait_for_selector("text=您好")
        page.goto(f"{live_server.url}/crackdown/report/")
        _fill_clue(page, world)
        page.click("form[data-form=clue-report] button[type=submit]")
        page.wait_for_selector("text=已登记线索")
        first = Clue.objects.get()
        assert first.case.number in page.inner_text("h1")

        page.go_back()  # the form again, as the browser brings it back …
        page.wait_for_selector("form[data-form=clue-report]")
        _fill_clue(page, world)  # … filled as it was sent
        page.click("form[data-form=clue-report] button[type=submit]")
        page.wait_for_selector("text=没有重复登记")
        assert Clue.objects.count() == 1
        assert first.case.number in page.inner_text("h1")  # the clue it made the first time

        page.goto(f"{live_server.url}/crackdown/report/")  # the form opened anew: a new clue
        _fill_clue(page, world)
        page.click("form[data-form=clue-report] button[type=submit]")
        page.wait_for_selector("text=已登记线索")
        assert Clue.objects.count() == 2
    finally:
        context.close()


def test_back_and_submit_again_starts_one_patrol(live_server, world, browser):
    """开始巡逻 is drawn by the plain form page (anmin/form.html), not the report kit's."""
    team = prevention.create_team(actor=SYSTEM, region=world.gc_village, name="古城村治安巡逻队", kind="village")
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    try:
        login(page, live_server, world.user(Role.VILLAGE_CENTER).username)
        page.wait_for_selector("text=您好")
        page.goto(f"{live_server.url}/prevention/patrols/start/")
        page.select_option("#id_team", str(team.pk))
        page.click("form.form-page button[type=submit]")
        page.wait_for_url(re.compile(r"/prevention/patrols/\d+/$"))
        page.go_back()
        page.wait_for_selector("form.form-page #id_team")
        page.select_option("#id_team", str(team.pk))
        page.click("form.form-page button[type=submit]")
        page.wait_for_selector("text=没有重复登记")
        assert PatrolLog.objects.count() == 1
        assert page.url.endswith(PatrolLog.objects.get().get_absolute_url())
    finally:
        context.close()


def test_back_and_submit_again_reports_one_grid_event(live_server, world, phone):
    """上报网格事件 on a phone: the page's script stamps 手机记录时间 when the form is sent, and stamped it
    anew on the form the back button brought back — the same report sent again was refused with
    这张表单已经提交过，内容与本次不同 instead of showing the event it made."""
    from anmin.core.codes import load_code_tables
    from anmin.grid.models import GridEvent

    load_code_tables()
    login(phone, live_server, world.user(Role.GRID_WORKER).username)
    phone.wait_for_selector("text=您好")
    phone.goto(f"{live_server.url}/grid/report/")
    phone.select_option("#id_category", index=1)
    phone.fill("#id_description", "村口垃圾堆放，影响通行")
    phone.click("form button[type=submit]")
    phone.wait_for_selector("text=已上报网格事件")
    first = GridEvent.objects.get()
    phone.wait_for_timeout(1100)  # a later moment than the first stamp

    phone.go_back()
    phone.wait_for_selector("#id_description")
    phone.select_option("#id_category", index=1)
    phone.fill("#id_description", "村口垃圾堆放，影响通行")
    phone.click("form button[type=submit]")
    phone.wait_for_selector("text=没有重复登记")
    assert GridEvent.objects.count() == 1
    assert first.case.number in phone.inner_text("h1")
