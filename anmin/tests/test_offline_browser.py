"""Real browser, network switched off (issue 17): a grid worker signs in, goes offline, reports two grid
events with photos and records a follow-up, reloads, goes online — all three arrive exactly once with
the times they were recorded, and the queue empties; an upload whose answer is lost (the network drops
mid-way) still makes one record."""

from __future__ import annotations

import datetime as dt

import pytest

from anmin.care.models import Visit
from anmin.care.tests.factories import make_patient
from anmin.conftest import login
from anmin.core import clock
from anmin.core.models import Role
from anmin.core.testing.browser import OUTBOX_COUNT, poll
from anmin.grid.models import GridEvent
from anmin.grid.tests.conftest import jpeg_with_gps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def report(page, description: str, photo_name: str) -> None:
    page.select_option("#id_category", "02")
    page.fill("#id_description", description)
    page.set_input_files("#id_photos", files=[
        {"name": photo_name, "mimeType": "image/jpeg", "buffer": jpeg_with_gps(640, 480)}])
    page.click("form[data-form=grid-report] button[type=submit]")
    page.wait_for_selector("[data-outbox-note]")


def test_reports_made_offline_arrive_once_with_their_recorded_times(live_server, world, browser, tmp_path):
    patient = make_patient(world.gc_grid, level=3, name="陈霞", registered_on=clock.today() - dt.timedelta(days=30))
    worker = world.user(Role.GRID_WORKER)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", is_mobile=True,
                                  has_touch=True, service_workers="allow")
    page = context.new_page()
    try:
        login(page, live_server, worker.username)
        page.wait_for_selector("text=您好")
        # Online once: the service worker installs, the lists and the report form are kept.
        page.goto(f"{live_server.url}/offline/")
        poll(page, "document.body.dataset.offlineReady || ''", "1")
        poll(page, "!!navigator.serviceWorker.controller", True)
        # Installable (what Lighthouse's check asks of Chromium): manifest, icons, a controlling worker.
        cdp = context.new_cdp_session(page)
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        # (a Playwright context is an incognito profile, where Chromium installs nothing)
        assert [e["errorId"] for e in errors if e["errorId"] != "in-incognito"] == []
        manifest = cdp.send("Page.getAppManifest")
        assert not manifest.get("errors")
        cdp.detach()  # (a CDP session left open keeps navigator.onLine from following set_offline)
        poll(page, "caches.open('anmin-pages').then(c => c.keys()).then(k => k.map(r => new URL(r.url).pathname)"
                   ".filter(p => p === '/grid/report/').length)", 1)

        # No signal from here on.
        context.set_offline(True)
        before = clock.now()
        page.goto(f"{live_server.url}/grid/report/")
        assert page.evaluate("navigator.onLine") is False
        assert page.locator("#id_region").input_value() == world.gc_grid.code
        report(page, "村口变压器旁电线裸露，存在触电隐患", "IMG_1.jpg")
        poll(page, OUTBOX_COUNT, "1")
        report(page, "三组路灯损坏，夜间无照明", "IMG_2.jpg")
        poll(page, OUTBOX_COUNT, "2")  # (the first report's note is still on the page: wait for the count)
        assert page.inner_text("[data-outbox-count]") == "2 条待上传"
        # readable in the top bar (its white link colour made it white on cream)
        assert page.evaluate("getComputedStyle(document.querySelector('.topbar [data-outbox-count]')).color") \
            != "rgb(255, 255, 255)"

        # The follow-up, on the offline workbench: the patient comes from the phone's encrypted store.
        page.goto(f"{live_server.url}/offline/")
        page.wait_for_selector(f"select[data-offline-pick=care_patients] option[value='{patient.person_id}']",
                               state="attached")
        page.select_option("select[data-offline-pick=care_patients]", str(patient.person_id))
        page.select_option("form[data-form=offline-visit] #id_method", "in_person")
        page.select_option("form[data-form=offline-visit] #id_outcome", "seen")
        page.fill("form[data-form=offline-visit] #id_observations", "情绪平稳，按时服药")
        page.click("form[data-form=offline-visit] button[type=submit]")
        poll(page, "(document.querySelector('[data-outbox-count]') || {}).dataset.outboxCount", "3")
        after = clock.now()
        # (the count is drawn before the list, whose summaries are decrypted first: wait for the list)
        poll(page, "document.querySelectorAll('[data-outbox-list] li').length", 3)
        page.screenshot(path=str(tmp_path / "queue.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360

        # Closed and opened again, still offline: the queue is still there, nothing was sent.
        page.reload()
        poll(page, "(document.querySelector('[data-outbox-count]') || {}).dataset.outboxCount", "3")
        assert GridEvent.objects.count() == 0
        assert Visit.objects.count() == 0

        # The network comes back, and drops in the middle of the first upload: the server stores the
        # event but the phone never hears the answer; the retry (same Idempotency-Key) makes no second.
        lost = []

        def lose_the_first_answer(route):
            if not lost:
                answer = route.fetch()
                if answer.status == 201:  # stored: now the answer is lost with the network
                    lost.append(route.request.headers.get("idempotency-key"))
                    context.set_offline(True)
                    route.abort("internetdisconnected")
                else:  # (a busy test server: the phone retries, as it would)
                    route.fulfill(response=answer)
                return
            route.continue_()

        page.route("**/api/v1/grid-events/", lose_the_first_answer)
        context.set_offline(False)
        poll(page, "String(navigator.onLine)", "true")
        for _ in range(300):
            if lost:
                break
            page.wait_for_timeout(100)
        assert lost, "no upload was stored"
        assert GridEvent.objects.count() == 1
        context.set_offline(False)
        poll(page, "(document.querySelector('[data-outbox-count]') || {}).dataset.outboxCount", "0", tries=300)
        assert page.locator("[data-outbox-list] li").count() == 0
    finally:
        context.close()

    events = list(GridEvent.objects.select_related("case").order_by("recorded_at"))
    assert [e.case.description for e in events] == ["村口变压器旁电线裸露，存在触电隐患", "三组路灯损坏，夜间无照明"]
    assert [e.photos.count() for e in events] == [1, 1]
    for event in events:
        assert before - dt.timedelta(seconds=2) <= event.recorded_at <= after + dt.timedelta(seconds=2)
        assert event.recorded_at < event.case.opened_at  # recorded on the phone, received later
        assert event.case.reporter == worker
    visit = Visit.objects.get()
    assert visit.person_id == patient.person_id
    assert before - dt.timedelta(minutes=1) <= visit.visited_at <= after
    assert visit.visited_at < visit.created_at
    assert visit.observations.reveal() == "情绪平稳，按时服药"


def test_a_report_posted_into_a_dead_signal_is_kept_and_sent_once(live_server, world, browser):
    """The phone believes it is online, but the post never reaches the server: the service worker keeps
    it in the outbox (under the form's own key) and it goes out once the network works."""
    worker = world.user(Role.GRID_WORKER)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", is_mobile=True,
                                  has_touch=True, service_workers="allow")
    page = context.new_page()
    try:
        login(page, live_server, worker.username)
        page.wait_for_selector("text=您好")
        page.goto(f"{live_server.url}/offline/")
        poll(page, "document.body.dataset.offlineReady || ''", "1")
        poll(page, "!!navigator.serviceWorker.controller", True)
        page.goto(f"{live_server.url}/grid/report/")
        poll(page, "!!navigator.serviceWorker.controller", True)

        def dead_signal(route):
            if route.request.method == "POST":
                route.abort("internetdisconnected")
            else:
                route.continue_()

        context.route("**/grid/report/", dead_signal)
        page.select_option("#id_category", "02")
        page.fill("#id_description", "信号时有时无时上报的事件")
        page.set_input_files("#id_photos", files=[
            {"name": "IMG_3.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps(320, 240)}])
        page.click("form[data-form=grid-report] button[type=submit]")
        page.wait_for_url("**/offline/?queued=1")
        poll(page, "(document.querySelector('[data-outbox-count]') || {}).dataset.outboxCount", "1")
        assert GridEvent.objects.count() == 0

        context.unroute("**/grid/report/")
        page.reload()
        poll(page, "(document.querySelector('[data-outbox-count]') || {}).dataset.outboxCount", "0", tries=300)
    finally:
        context.close()
    event = GridEvent.objects.get()
    assert event.case.description == "信号时有时无时上报的事件"
    assert event.photos.count() == 1


def test_a_refused_report_is_corrected_in_its_form_and_sent_once(live_server, world, browser):
    """A report queued without signal is refused when it arrives (its category was switched off
    meanwhile). On the workbench 修改 opens it in its form with its text and photo put back and the
    server's message above; corrected and sent, it arrives once and the refused copy leaves the queue."""
    from anmin.core.codes import tables_changed
    from anmin.core.models import CodeItem

    worker = world.user(Role.GRID_WORKER)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", is_mobile=True,
                                  has_touch=True, service_workers="allow")
    page = context.new_page()
    try:
        login(page, live_server, worker.username)
        page.goto(f"{live_server.url}/offline/")
        poll(page, "document.body.dataset.offlineReady || ''", "1")
        page.goto(f"{live_server.url}/grid/report/")
        context.set_offline(True)
        report(page, "桥头护栏断裂，车辆有坠河风险", "IMG_9.jpg")  # category 02
        poll(page, OUTBOX_COUNT, "1")
        CodeItem.objects.filter(table__key="grid_event_category", code="02").update(is_active=False)
        tables_changed()
        context.set_offline(False)
        page.goto(f"{live_server.url}/offline/")
        page.wait_for_selector("[data-outbox-list] li[data-status=rejected]", timeout=30000)
        assert "类别" in page.inner_text("[data-outbox-list] li")
        assert GridEvent.objects.count() == 0
        page.click("[data-outbox-list] li button:has-text('修改')")
        page.wait_for_selector("[data-outbox-reopened]")
        assert page.url.split("#")[0].endswith("/grid/report/")
        assert page.input_value("#id_description") == "桥头护栏断裂，车辆有坠河风险"
        assert page.evaluate("document.querySelector('#id_photos').files.length") == 1
        assert "类别" in page.inner_text("[data-outbox-reopened]")
        page.select_option("#id_category", "04")
        page.click("form[data-form=grid-report] button[type=submit]")
        poll(page, OUTBOX_COUNT, "0", tries=300)
    finally:
        context.close()
    event = GridEvent.objects.select_related("case").get()
    assert (event.case.description, event.category) == ("桥头护栏断裂，车辆有坠河风险", "04")
    assert event.photos.count() == 1
