"""A unit's 考核 page in a real browser: a refused score is brought into view."""

from __future__ import annotations

import pytest

from anmin.conftest import login
from anmin.core.models import Role

from .test_pages import _scheme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_refused_score_below_the_fold_is_brought_into_view(live_server, world, browser):
    """The score forms sit under the unit's table of indicators; a refused score came back at the top of
    the page with its "有 1 处需要更正" below the fold, and the office took it for saved."""
    _s, gc, _wl = _scheme(world)
    context = browser.new_context(viewport={"width": 1366, "height": 600}, locale="zh-CN")
    page = context.new_page()
    try:
        login(page, live_server, world.user(Role.CITY_OFFICE).username)
        page.goto(f"{live_server.url}{gc.get_absolute_url()}")
        form = page.locator("form[data-form=score]").first
        form.locator("input[type=number]").fill("99")  # out of 60
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        banner = page.locator("form .form-errors[role=alert]")
        assert "处需要更正" in banner.inner_text()
        page.wait_for_timeout(200)
        box = banner.bounding_box()
        assert box["y"] >= 0, box
        assert box["y"] + box["height"] <= 600, box
    finally:
        context.close()
