"""Clues on the case engine: registered by the 扫黑办, handed to a unit, verified within 30 days
(overdue and supervised after), extended only with the 扫黑办's approval, closed only with a result;
confidential to the office and the unit it is handed to."""

from __future__ import annotations

import datetime as dt

import pytest

from anmin.core.errors import Forbidden, Invalid, NotFound
from anmin.core.models import Role
from anmin.crackdown import actions
from anmin.crackdown.models import Clue
from anmin.workflow import actions as case_actions
from anmin.workflow.models import Case, Supervision

T0 = dt.datetime(2020, 6, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _assigned(world, now=T0) -> Clue:
    office = world.user("crackdown")
    clue = actions.register_clue(actor=office, title="反映古城镇某砂场强占河道", region=world.gucheng,
                                 description="有人在古城镇非法采砂，威胁村民。", source="phone", industry="resources",
                                 now=now)
    case = case_actions.transition_case(case=clue.case, actor=office, transition="accept",
                                        expected_version=clue.case.version, now=now)
    case = case_actions.transition_case(case=case, actor=office, transition="assign", expected_version=case.version,
                                        target_org=world.orgs["education"], now=now)
    clue.refresh_from_db()
    return clue


def test_a_clue_is_overdue_after_30_days_and_supervised(world):
    clue = _assigned(world)
    case = clue.case
    assert case.status == "in_progress"
    assert case.due_at.date() == dt.date(2020, 7, 1)  # 30 days from the day it was handed out
    case_actions.sweep(now=T0 + dt.timedelta(days=29))
    case.refresh_from_db()
    assert case.overdue_at is None
    case_actions.sweep(now=T0 + dt.timedelta(days=31))
    case.refresh_from_db()
    assert case.overdue_at is not None
    assert Supervision.objects.filter(case=case, automatic=True, to_org=world.orgs["education"]).count() == 1


def test_extension_only_with_the_offices_approval(world):
    clue = _assigned(world)
    handler, office = world.user(Role.DEPT_HANDLER), world.user("crackdown")
    due = clue.case.due_at
    case = case_actions.transition_case(case=clue.case, actor=handler, transition="extend",
                                        expected_version=clue.case.version, reason="涉及人员多，需延长核查",
                                        data={"days": 15}, now=T0 + dt.timedelta(days=20))
    assert case.pending_transition == "extend"
    assert case.due_at == due  # asked, not granted
    case = case_actions.transition_case(case=case, actor=office, transition="approve", expected_version=case.version,
                                        reason="同意", now=T0 + dt.timedelta(days=21))
    assert case.pending_transition == ""
    assert case.due_at > due
    case_actions.sweep(now=T0 + dt.timedelta(days=31))
    case.refresh_from_db()
    assert case.overdue_at is None


def test_the_handler_records_the_result_and_the_office_closes(world):
    clue = _assigned(world)
    handler, office = world.user(Role.DEPT_HANDLER), world.user("crackdown")
    with pytest.raises(Forbidden):  # 反馈 is the domain's own step (登记核查结果), not the generic page's
        case_actions.transition_case(case=clue.case, actor=handler, transition="feedback",
                                     expected_version=clue.case.version, data={"result": "查否"})
    with pytest.raises(Invalid):
        actions.record_result(actor=handler, clue=clue, expected_version=clue.case.version, result="maybe",
                              note="核查完毕")
    clue = actions.record_result(actor=handler, clue=clue, expected_version=clue.case.version, result="unfounded",
                                 note="经走访核实，反映问题不属实",
                                 public_feedback="您反映的问题已核查，未发现涉黑涉恶情况。",
                                 now=T0 + dt.timedelta(days=5))
    assert clue.case.status == "feedback"
    case = case_actions.transition_case(case=clue.case, actor=office, transition="verify_pass",
                                        expected_version=clue.case.version, now=T0 + dt.timedelta(days=6))
    assert case.status == "closed"
    from anmin.core.registry import kpis

    assert kpis.get("crackdown.clues_verified").compute(year=2020) == 1


def test_clues_are_confidential(world):
    clue = _assigned(world)
    assert Clue.objects.visible_to(world.user("crackdown")).filter(pk=clue.pk).exists()
    assert Clue.objects.visible_to(world.user(Role.DEPT_HANDLER)).filter(pk=clue.pk).exists()  # handed to them
    for role in (Role.TOWNSHIP_CENTER, Role.POLICE, Role.GRID_WORKER, Role.CITY_OFFICE, Role.LEADER):
        assert not Clue.objects.visible_to(world.user(role)).exists(), role
        assert not Case.objects.visible_to(world.user(role)).filter(pk=clue.case_id).exists(), role
    with pytest.raises(Forbidden):
        actions.register_clue(actor=world.user(Role.TOWNSHIP_CENTER), title="x", region=world.gucheng,
                              description="x", source="phone")
    with pytest.raises((Forbidden, NotFound)):
        actions.reply_to_reporter(actor=world.user(Role.TOWNSHIP_CENTER), clue=clue, feedback="x")


def test_pages_of_a_clue(world, client):
    clue = _assigned(world)
    client.force_login(world.user("crackdown"))
    assert client.get("/crackdown/").status_code == 200
    page = client.get(f"/crackdown/{clue.pk}/")
    assert page.status_code == 200
    assert clue.case.number in page.content.decode()
    client.force_login(world.user(Role.DEPT_HANDLER))
    response = client.post(f"/crackdown/{clue.pk}/result/", {"version": clue.case.version, "result": "verified",
                                                              "note": "属实，已立案侦查"})
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.result == "verified"
    assert clue.case.status == "feedback"
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    assert client.get(f"/crackdown/{clue.pk}/").status_code == 404


def test_an_untouched_result_form_records_no_finding():
    """登记核查结果 submitted with only the note recorded 查实: the first finding stood chosen."""
    from anmin.crackdown.forms import ResultForm

    form = ResultForm({"version": "1", "note": "核查情况"})
    assert not form.is_valid()
    assert form.errors["result"] == ["「核查结果」为必填项"]
    assert '<option value="" selected>请选择</option>' in str(ResultForm()["result"])
