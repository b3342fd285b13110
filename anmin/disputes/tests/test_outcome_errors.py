"""登记调解结果 tells every missing piece in one submit: a mediator who chose 调解成功 and sent the form
with neither 调结日期 nor 调解协议内容 was told only the date, then — after filling it — the agreement."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from anmin.core import clock
from anmin.core.models import Role
from anmin.disputes import actions
from anmin.disputes.models import Dispute, Outcome
from anmin.workflow import actions as case_actions

from .test_disputes import NOW, report


def _assigned(world) -> Dispute:
    d = report(world)
    centre, case = world.user(Role.TOWNSHIP_CENTER), d.case
    case = case_actions.transition_case(case=case, actor=centre, transition="accept", expected_version=case.version,
                                        now=NOW)
    case_actions.transition_case(case=case, actor=centre, transition="assign", expected_version=case.version,
                                 target_org=world.orgs["gc_mediation"], target_user=world.user("mediator"), now=NOW)
    d.refresh_from_db()
    return d


def test_the_outcome_form_names_every_missing_field_at_once(client, world):
    d = _assigned(world)
    client.force_login(world.user("mediator"))
    url = f"/disputes/{d.pk}/outcome/"
    assert client.get(url).status_code == 200
    page = client.post(url, {"version": d.case.version, "outcome": Outcome.SUCCESS, "concluded_on": "",
                             "agreement": "", "judicial_confirmation": "on"}).content.decode()
    assert "有 3 处需要更正" in page
    assert "「调结日期」为必填项" in page
    assert "调解成功须填写「调解协议内容」" in page
    assert "已司法确认须填写「司法确认日期」" in page
    d.refresh_from_db()
    assert d.case.status == "in_progress"


def test_the_action_refuses_with_every_broken_rule_by_field(world):
    d = _assigned(world)
    with pytest.raises(ValidationError) as exc:
        actions.record_outcome(actor=world.user("mediator"), dispute=d, expected_version=d.case.version,
                               outcome=Outcome.SUCCESS, concluded_on=dt.date(2020, 6, 10), agreement="",
                               judicial_confirmation=True, now=NOW)
    assert set(exc.value.message_dict) == {"agreement", "confirmed_on"}


def _closed(world) -> Dispute:
    d = _assigned(world)
    d = actions.record_outcome(actor=world.user("mediator"), dispute=d, expected_version=d.case.version,
                               outcome=Outcome.SUCCESS, concluded_on=dt.date(2020, 6, 10), agreement="按界桩为准",
                               now=NOW)
    case = d.case
    case_actions.transition_case(case=case, actor=world.user(Role.TOWNSHIP_CENTER), transition="verify_pass",
                                 expected_version=case.version, now=NOW)
    d.refresh_from_db()
    return d


def _first_option(page: str, name: str) -> tuple[str, str]:
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
    value, label = re.search(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select).groups()
    return value, label.strip()


def test_no_outcome_or_satisfaction_is_chosen_for_the_user(client, world):
    """The first option stood selected: a 回访 form sent without a look recorded 满意, an outcome form
    调解成功 — figures the city reports (调成率, 满意率)."""
    d = _assigned(world)
    client.force_login(world.user("mediator"))
    page = client.get(f"/disputes/{d.pk}/outcome/").content.decode()
    assert _first_option(page, "outcome") == ("", "请选择")  # a browser shows the first option chosen
    # 调结日期 stands on today's business date (it was empty: one more thing to type every time).
    assert re.search(rf'name="concluded_on" value="{clock.today():%Y-%m-%d}"', page)
    d = _closed(world)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    url = f"/disputes/{d.pk}/followup/"
    page = client.get(url).content.decode()
    assert _first_option(page, "satisfaction") == ("", "请选择")
    page = client.post(url, {"version": d.case.version, "reason": "电话回访"}).content.decode()
    assert "「满意度」为必填项" in page
    d.refresh_from_db()
    assert d.case.status == "closed"  # nothing recorded


def test_the_session_form_of_a_closed_dispute_says_so_instead_of_showing_a_form(world, client):
    """The 添加调解记录 address of a dispute that has been closed (kept from before, typed) answers
    with the reason on the dispute's page, not a form that is refused only when sent."""
    from anmin.workflow.models import Case

    d = report(world)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    url = reverse("disputes:dispute_session", args=[d.pk])
    assert client.get(url).status_code == 200  # open: the form
    Case.objects.filter(pk=d.case_id).update(is_open=False, status="closed")
    resp = client.get(url, follow=True)
    assert resp.redirect_chain
    assert resp.redirect_chain[0][0].startswith(d.get_absolute_url())
    assert "纠纷已办结，不能再添加调解记录" in resp.content.decode()
    assert 'name="record"' not in resp.content.decode()
