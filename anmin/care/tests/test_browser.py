"""Real browser at phone width (360 px): a grid worker records a follow-up for a patient in their grid
and the next follow-up date moves; a grid worker of another village gets 404 for that patient."""

from __future__ import annotations

import datetime as dt

import pytest

from anmin.conftest import login
from anmin.core.models import Role
from anmin.core.tests.factories import make_user

from .. import rules
from .factories import make_patient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_grid_worker_records_a_follow_up_on_a_phone_and_the_next_date_moves(live_server, world, phone, tmp_path):
    today = rules.today()
    patient = make_patient(world.gc_grid, level=3, registered_on=today - dt.timedelta(days=30), name="陈霞")
    assert patient.next_followup_on == today - dt.timedelta(days=16)  # overdue
    worker = world.user(Role.GRID_WORKER)
    login(phone, live_server, worker.username)
    phone.wait_for_selector("text=您好")
    phone.goto(f"{live_server.url}{patient.get_absolute_url()}")
    assert phone.locator("[data-overdue]").is_visible()
    assert phone.inner_text("[data-next-followup]").strip() == f"{patient.next_followup_on:%Y-%m-%d}"
    phone.click("[data-action=followup]")
    phone.wait_for_selector("h1:has-text('记录随访')")
    expected = today + dt.timedelta(days=14)  # unstable (level 3): every two weeks
    assert f"{expected:%Y-%m-%d}" in phone.inner_text("[data-rule-next]")
    phone.select_option("#id_method", "in_person")
    phone.select_option("#id_outcome", "seen")
    phone.select_option("#id_condition", "unstable")
    phone.select_option("#id_medication", "regular")
    phone.fill("#id_observations", "情绪较前平稳，按时服药，家属看护到位")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(tmp_path / "followup-form.png"), full_page=True)
    phone.click("form.form-page button[type=submit]")
    phone.wait_for_selector("text=已记录随访")
    assert phone.inner_text("[data-next-followup]").strip() == f"{expected:%Y-%m-%d}"
    assert phone.inner_text("[data-last-followup]").strip() == f"{today:%Y-%m-%d}"
    assert phone.locator("[data-overdue]").count() == 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    patient.refresh_from_db()
    assert patient.next_followup_on == expected
    assert patient.visits.get().observations.reveal() == "情绪较前平稳，按时服药，家属看护到位"

    # A grid worker of another village: that patient does not exist for them.
    other = make_user(Role.GRID_WORKER, world.orgs["wl_v_center"], grids=[world.wl_grid], username="wg-wuliang")
    phone.click("form.logout-form button")
    phone.wait_for_selector("#id_username")
    login(phone, live_server, other.username)
    phone.wait_for_selector("text=您好")
    for url in (
        patient.get_absolute_url(),
        patient.person.get_absolute_url(),
        f"/care/persons/{patient.person_id}/visit/",
    ):
        response = phone.goto(f"{live_server.url}{url}")
        assert response.status == 404, url
