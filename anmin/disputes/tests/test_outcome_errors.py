"""登记调解结果 tells every missing piece in one submit: a mediator who chose 调解成功 and sent the form
with neither 调结日期 nor 调解协议内容 was told only the date, then — after filling it — the agreement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

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
