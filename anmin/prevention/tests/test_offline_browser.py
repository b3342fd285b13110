"""Real browser, network switched off (issue 17): a village cadre on patrol opens the offline
workbench in English, checks in at two points with no signal (the phone's GPS and the recorded time
kept), reopens the page, goes online — both check-ins arrive exactly once even when the first upload's
answer is lost, and the queue empties. The queue speaks English: the scripts' catalogue is kept by the
service worker."""

from __future__ import annotations

import datetime as dt

import pytest

from anmin.conftest import login
from anmin.core import clock
from anmin.core.actors import SYSTEM
from anmin.core.models import Role
from anmin.core.testing.browser import OUTBOX_COUNT, poll
from anmin.prevention import actions
from anmin.prevention.models import CheckIn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def check_in(page, point: str, finding: str) -> None:
    form = "form[data-form=offline-checkin]"
    page.select_option(f"{form} select[data-offline-pick=patrols]", index=1)
    page.fill(f"{form} [name=finding]", finding)  # the first touch takes the position
    page.fill(f"{form} [name=point]", point)
    poll(page, f"document.querySelector('{form} [name=gps_accuracy]').value", "15")
    page.press(f"{form} [name=point]", "Enter")  # the phone keyboard's "Go" submits the form


def test_patrol_check_ins_made_offline_arrive_once_with_their_recorded_times(live_server, world, browser):
    cadre = world.user(Role.VILLAGE_CENTER)
    team = actions.create_team(actor=SYSTEM, region=world.gc_village, name="古城村治安巡逻队", kind="village")
    patrol = actions.start_patrol(actor=cadre, team=team)
    patrol.started_at = clock.now() - dt.timedelta(minutes=30)
    patrol.save(update_fields=["started_at"])
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US", is_mobile=True,
                                  has_touch=True, service_workers="allow", permissions=["geolocation"],
                                  geolocation={"latitude": 34.140512, "longitude": 113.490231, "accuracy": 15})
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    try:
        login(page, live_server, cadre.username)
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/offline/")
        poll(page, "document.body.dataset.offlineReady || ''", "1")
        poll(page, "!!navigator.serviceWorker.controller", True)
        page.wait_for_selector(f"select[data-offline-pick=patrols] option[value='{patrol.pk}']", state="attached")

        context.set_offline(True)
        page.reload()  # the kept workbench, its scripts and their English catalogue, from the phone
        assert page.evaluate("navigator.onLine") is False
        assert page.evaluate("typeof window.gettext") == "function"
        before = clock.now()
        check_in(page, "村口", "")
        poll(page, OUTBOX_COUNT, "1")
        assert page.inner_text("[data-outbox-count]") == "1 item to upload"
        check_in(page, "小学门口", "路灯损坏，夜间漆黑")
        poll(page, OUTBOX_COUNT, "2")
        assert page.inner_text("[data-outbox-count]") == "2 items to upload"
        assert "Waiting to upload" in page.inner_text("[data-outbox-list]")
        after = clock.now()
        page.reload()
        poll(page, OUTBOX_COUNT, "2")
        assert CheckIn.objects.count() == 0

        # Online again, and the first upload's answer is lost with the network: the retry carries the
        # same Idempotency-Key and the server answers with the first check-in.
        lost = []

        def lose_the_first_answer(route):
            if not lost:
                answer = route.fetch()
                if answer.status == 201:
                    lost.append(route.request.headers.get("idempotency-key"))
                    context.set_offline(True)
                    route.abort("internetdisconnected")
                else:
                    route.fulfill(response=answer)
                return
            route.continue_()

        page.route("**/api/v1/prevention/checkins/", lose_the_first_answer)
        context.set_offline(False)
        for _ in range(300):
            if lost:
                break
            page.wait_for_timeout(100)
        assert lost, "no upload was stored"
        assert CheckIn.objects.count() == 1
        context.set_offline(False)
        poll(page, OUTBOX_COUNT, "0", tries=300)
    finally:
        context.close()

    checkins = list(CheckIn.objects.order_by("recorded_at"))
    assert [(c.point, c.finding) for c in checkins] == [("村口", ""), ("小学门口", "路灯损坏，夜间漆黑")]
    for c in checkins:
        assert c.log_id == patrol.pk
        assert before - dt.timedelta(seconds=2) <= c.recorded_at <= after + dt.timedelta(seconds=2)
        assert c.recorded_at < c.at  # recorded on the phone, received later
        assert c.gps_accuracy == 15
        assert str(c.latitude) == "34.140512"
