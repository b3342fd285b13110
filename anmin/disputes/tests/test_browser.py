"""The whole path of a dispute in a real browser (headless chromium, phone width):
a grid worker reports it → the township centre accepts it and assigns it to a mediator → the
mediator records a session and the success → the centre verifies and closes → a 回访 is recorded.
The timeline shows each step with its actor and time."""

from __future__ import annotations

import re

import pytest

from anmin.conftest import login
from anmin.core.actors import SYSTEM
from anmin.core.models import Role
from anmin.disputes import actions
from anmin.disputes.models import Dispute, MediationOrgKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page, live_server):
    page.context.clear_cookies()


def step(page, live_server, dispute_url, action, fill=None):
    page.goto(live_server.url + dispute_url)
    page.click(f"[data-action={action}]")
    page.wait_for_selector("form.form-page")
    for selector, value in (fill or {}).items():
        if selector.startswith("select"):
            page.select_option(selector.split("|")[0].replace("select", "select"), value)
        else:
            page.fill(selector, value)
    page.click("form.form-page button[type=submit]")
    page.wait_for_load_state()


def test_a_dispute_from_report_to_follow_up_visit(live_server, world, phone):
    grid_worker = world.user(Role.GRID_WORKER)
    centre = world.user(Role.TOWNSHIP_CENTER)
    mediator = world.user("mediator")
    committee = actions.create_mediation_org(actor=SYSTEM, name="古城镇人民调解委员会", kind=MediationOrgKind.TOWNSHIP,
                                             region=world.gucheng, org_unit=world.orgs["gc_mediation"])
    actions.create_mediator(actor=SYSTEM, name="刘芳", org=committee, user=mediator)

    # 1. The grid worker reports it from the phone.
    login(phone, live_server, grid_worker.username)
    phone.goto(f"{live_server.url}/disputes/report/")
    phone.fill("#id_title", "张某与李某宅基地边界纠纷")
    phone.select_option("#id_region", world.gc_grid.code)
    phone.select_option("#id_category", "0902")
    phone.fill("#id_description", "两家因院墙位置发生争执，情绪激动。")
    phone.fill("#id_applicant_name", "张某")
    phone.fill("#id_applicant_phone", "13812345678")
    phone.fill("#id_respondent_name", "李某")
    phone.check("input[name=risk_flags][value=threat_revenge]")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.click("form[data-form=dispute-report] button[type=submit]")
    phone.wait_for_load_state()
    errors = [r.get_attribute("data-field") for r in phone.locator(".form-row.has-error").all()]
    assert not errors, errors
    phone.wait_for_selector("[data-status=reported]")
    dispute = Dispute.objects.get()
    url = dispute.get_absolute_url()
    assert "红" in phone.inner_text(".case-summary")  # the revenge threat raised the colour
    logout(phone, live_server)

    # 2. The township centre accepts it and assigns it to the mediator.
    login(phone, live_server, centre.username)
    step(phone, live_server, url, "accept")
    phone.wait_for_selector("[data-status=accepted]")
    phone.goto(live_server.url + url)
    phone.click("[data-action=assign]")
    phone.select_option("#id_target_org", str(world.orgs["gc_mediation"].pk))
    phone.select_option("#id_target_user", str(mediator.pk))
    phone.click("form.form-page button[type=submit]")
    phone.wait_for_selector("[data-status=in_progress]")
    logout(phone, live_server)

    # 3. The mediator records a session and the success.
    login(phone, live_server, mediator.username)
    phone.goto(live_server.url + url)
    phone.click("[data-action=session]")
    phone.select_option("#id_method", "in_person")  # nothing stands chosen for the mediator (core.formkit)
    phone.fill("#id_record", "召集双方到村委会，现场丈量，释法说理。")
    phone.check("input[name=mediators]")
    phone.click("form.form-page button[type=submit]")
    phone.wait_for_selector("[data-session]")
    phone.click("[data-action=outcome]")
    phone.select_option("#id_outcome", "success")
    phone.fill("#id_concluded_on", phone.input_value("#id_concluded_on") or dispute.found_on.isoformat())
    phone.fill("#id_agreement", "以1998年界桩为准，院墙后移0.3米。")
    phone.click("form.form-page button[type=submit]")
    phone.wait_for_selector("[data-status=feedback]")
    logout(phone, live_server)

    # 4. The centre verifies and closes, then records the follow-up visit.
    login(phone, live_server, centre.username)
    step(phone, live_server, url, "verify_pass")
    phone.wait_for_selector("[data-status=closed]")
    phone.goto(live_server.url + url)
    phone.click("[data-action=visit]")
    phone.select_option("#id_satisfaction", "satisfied")
    phone.fill("#id_reason", "电话回访，双方均表示满意。")
    phone.click("form.form-page button[type=submit]")
    phone.wait_for_selector("[data-status=visited]")

    timeline = phone.inner_text(".timeline")
    for label in ("上报", "受理", "交办", "反馈办理结果", "核查通过并办结", "回访评价"):
        assert label in timeline
    for who in (str(grid_worker), str(centre), str(mediator)):
        assert who in timeline
    assert len(re.findall(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", timeline)) >= 6
    dispute.refresh_from_db()
    assert dispute.outcome == "success"
    assert dispute.satisfaction == "satisfied"
    assert dispute.sessions.count() == 1


def _contrast(page, selector: str) -> float:
    """The contrast ratio of an element's text against the first painted background behind it."""
    return page.eval_on_selector(selector, """el => {
      const rgb = s => s.match(/[\\d.]+/g).map(Number);
      const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255;
        return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
      let node = el, bg = null;
      while (node && node.nodeType === 1) {
        const c = rgb(getComputedStyle(node).backgroundColor);
        if (c.length < 4 || c[3] > 0) { bg = c; break; }
        node = node.parentElement;
      }
      const a = lum(rgb(getComputedStyle(el).color)), b = lum(bg || [255, 255, 255]);
      return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    }""")


def test_every_risk_colours_row_in_the_ledger_is_readable(live_server, world, browser):
    """The ledger's rows carry their risk colour (tr.colour-blue), which the badge's style painted solid:
    a 蓝 dispute's number and name, blue links, vanished into a blue row."""
    from anmin.disputes.tests.test_disputes import report

    for colour in ("blue", "yellow", "orange", "red"):
        report(world, assessed_colour=colour, title=f"{colour}色纠纷")
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    try:
        login(page, live_server, world.user(Role.TOWNSHIP_CENTER).username)
        page.goto(f"{live_server.url}/disputes/")
        for colour in ("blue", "yellow", "orange", "red"):
            row = f"table.ledger tr.colour-{colour}"
            for cell in (f"{row} td:first-child a", f"{row} td:nth-child(3)"):
                ratio = _contrast(page, cell)
                assert ratio >= 4.5, f"{cell}: contrast {ratio:.2f}"
            badge = f"{row} span.colour-{colour}"  # the badge keeps its colour
            assert page.eval_on_selector(badge, "e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    finally:
        context.close()
