"""Real-browser checks of the UI shell (headless chromium at phone width)."""

from __future__ import annotations

import pytest

from anmin.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_township_user_logs_in_and_sees_the_chinese_home_page(live_server, world, phone, tmp_path):
    user = world.user("township_center")
    phone.goto(f"{live_server.url}/")
    assert "登录" in phone.title()
    assert phone.locator("html").get_attribute("lang") == "zh-hans"
    login(phone, live_server, user.username)
    phone.wait_for_selector("text=您好")
    assert phone.url.rstrip("/") == live_server.url
    assert "我的辖区" in phone.content()
    # The page fits a 360-px phone: nothing forces horizontal scrolling.
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page is {width}px wide at a 360px viewport"
    # The menu opens from the ☰ button and shows only what the role may use.
    phone.click("label.nav-button")
    menu = phone.locator("nav.sidemenu")
    assert menu.is_visible()
    assert menu.locator("[data-menu=regions]").count() == 1
    assert menu.locator("[data-menu=admin]").count() == 0
    menu.locator("[data-menu=regions]").click()
    phone.wait_for_selector("h1:has-text('辖区')")
    body = phone.content()
    assert "古城镇" in body
    assert "无梁镇" not in body
    phone.screenshot(path=str(tmp_path / "regions.png"), full_page=True)


def test_wrong_password_shows_a_chinese_error(live_server, world, phone):
    phone.goto(f"{live_server.url}/login/")
    phone.fill("#id_username", world.user("grid_worker").username)
    phone.fill("#id_password", "wrong-password")
    phone.click("button[type=submit]")
    phone.wait_for_selector(".form-errors")
    assert "用户名" in phone.inner_text(".form-errors") or "密码" in phone.inner_text(".form-errors")


def test_english_can_be_switched_on(live_server, world, phone):
    login(phone, live_server, world.user("city_office").username)
    phone.wait_for_selector("text=您好")
    phone.click("button[value=en]")
    phone.wait_for_load_state()
    assert phone.locator("html").get_attribute("lang") == "en"


def test_the_top_bar_keeps_its_buttons_whole_on_a_phone(live_server, world, phone):
    """On a 360-px phone 消息, English and 退出 were squeezed by the site's name and the user's into
    stacks one character wide (退出 a 15 × 41 px target): each keeps its words on one line, tall enough
    for a finger, and the bar stays one row."""
    from anmin.core import notices

    user = world.user("township_center")
    notices.notify(kind="test", title="测试消息", key="topbar-test", users=[user])
    login(phone, live_server, user.username)
    phone.wait_for_selector("text=您好")
    sizes = phone.evaluate("""() => [...document.querySelectorAll(
        '.topbar-user .notices, .topbar-user button.link')].map(e => {
          const r = e.getBoundingClientRect(); return [e.innerText, r.width, r.height]; })""")
    assert [text.replace("\n", " ").strip() for text, _, _ in sizes] == ["消息 1", "English", "退出"]
    for text, w, h in sizes:
        assert "\n" not in text.strip(), f"{text!r} wraps"
        assert w >= 30, f"{text!r} is {w:.0f} px wide"
        assert h >= 32, f"{text!r} is {h:.0f} px tall"
    assert phone.evaluate("document.querySelector('.topbar').getBoundingClientRect().height") < 60
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_small_forms_and_the_document_templates_fit_a_finger_on_a_phone(live_server, world, phone):
    """统计分析's 年度 was the browser's own 19-px-high select; 文书模板's table ran 466 px wide on a phone, the
    label meant for screen readers shown above every file input."""
    login(phone, live_server, world.user("city_office").username)
    phone.wait_for_selector("text=您好")
    phone.goto(f"{live_server.url}/analytics/")
    assert phone.locator("select[name=year]").bounding_box()["height"] >= 36
    phone.goto(f"{live_server.url}/documents/templates/")
    phone.wait_for_selector("[data-document]")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone.locator("label.sr-only").first.bounding_box()["width"] <= 1
    assert phone.locator("[data-document] td[data-label]").count() == 3 * phone.locator("[data-document]").count()


def test_a_ledger_imports_steps_are_numbered_once_and_the_current_one_is_marked(live_server, world, phone):
    """The import page's steps read "1. 1 上传台账" (a list number before the step's own), and nothing
    showed which step the user was on."""
    login(phone, live_server, world.user("township_center").username)
    phone.goto(f"{live_server.url}/disputes/?import=1")
    steps = phone.locator("ol.import-steps li")
    assert steps.count() == 3
    assert phone.eval_on_selector("ol.import-steps", "o => getComputedStyle(o).listStyleType") == "none"
    weights = phone.eval_on_selector_all("ol.import-steps li", "ls => ls.map(l => getComputedStyle(l).fontWeight)")
    current = phone.eval_on_selector_all("ol.import-steps li", "ls => ls.map(l => l.getAttribute('aria-current'))")
    assert current == ["step", None, None]
    assert int(weights[0]) >= 600 > int(weights[1])
