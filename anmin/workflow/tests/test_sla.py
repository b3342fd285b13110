"""Time limits with a frozen clock: the 75% warning, overdue and automatic 督办, the paused clock,
working-day limits across a holiday, and an idempotent sweep."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from anmin.core.errors import Forbidden
from anmin.core.models import Role
from anmin.workflow import actions
from anmin.workflow.actions import sweep
from anmin.workflow.calendar import end_of_day
from anmin.workflow.models import Case, CaseEvent, Supervision

from .conftest import assigned, at, open_task, step


def test_the_warning_comes_at_75_percent_of_the_stage_limit(world):
    case = assigned(world, now=at(2020, 12, 1, 9))  # normal: 3 days → end of 12-04
    start, due = at(2020, 12, 1, 9), at(2020, 12, 4, 23, 59, 59)
    assert case.due_at == due
    assert abs((case.warn_at - start) / (due - start) - 0.75) < 1e-6
    assert sweep(now=case.warn_at - timedelta(seconds=1)).warned == []
    result = sweep(now=case.warn_at)
    assert result.warned == [case.number]
    assert result.overdue == []
    case.refresh_from_db()
    assert case.warned_at == case.warn_at
    assert case.sla_state(case.warn_at) == "warning"
    assert case.events.order_by("-seq").first().label == "临期预警"
    assert list(Case.objects.warning(case.warn_at)) == [case]


def test_an_overdue_case_is_supervised_at_the_unit_and_the_centre_above(world):
    case = assigned(world)  # in 古城村 第1网格, handled by 市教育局
    result = sweep(now=at(2020, 12, 5, 0, 0))
    assert result.overdue == [case.number]
    assert result.supervisions == 1
    notice = Supervision.objects.get(case=case)
    assert notice.automatic
    assert notice.to_org == world.orgs["education"]
    assert notice.centre_org == world.orgs["gc_center"]  # a village case: the township centre
    assert notice.reply_due_at == at(2020, 12, 7, 0, 0)
    case.refresh_from_db()
    assert case.overdue_at == at(2020, 12, 5)
    assert case.warned_at is not None
    event = case.events.order_by("-seq").first()
    assert event.label == "逾期"
    assert event.actor is None
    assert "市教育局" in event.reason


def test_a_case_still_on_the_village_desk_is_supervised_with_the_township_centre(world):
    case = open_task(world)  # reported, due at the end of 12-02
    sweep(now=at(2020, 12, 3, 8))
    notice = Supervision.objects.get(case=case)
    assert (notice.to_org, notice.centre_org) == (world.orgs["gc_v_center"], world.orgs["gc_center"])


def test_a_township_case_is_supervised_with_the_city_centre(world):
    case = assigned(world, region=world.gucheng, org="gc_police")
    sweep(now=at(2020, 12, 5, 8))
    notice = Supervision.objects.get(case=case)
    assert (notice.to_org, notice.centre_org) == (world.orgs["gc_police"], world.orgs["peace"])


def test_a_second_sweep_creates_nothing_new(world):
    assigned(world)
    open_task(world, title="另一件")
    now = at(2020, 12, 5, 0, 0)
    first = sweep(now=now)
    assert len(first.overdue) == 2
    assert first.supervisions == 2
    counts = (CaseEvent.objects.count(), Supervision.objects.count())
    for later in (now, now + timedelta(hours=6)):
        again = sweep(now=later)
        assert (again.warned, again.overdue, again.supervisions) == ([], [], 0)
    assert (CaseEvent.objects.count(), Supervision.objects.count()) == counts


def test_the_clock_pauses_while_suspended(world):
    centre, teacher = world.user(Role.TOWNSHIP_CENTER), world.user(Role.DEPT_HANDLER)
    case = assigned(world)  # due 12-04 23:59:59, warning 12-04 02:14:59
    warn_before = case.warn_at
    case = step(case, teacher, "suspend", reason="当事人外出务工", now=at(2020, 12, 2, 9))
    assert case.status == "in_progress"
    assert case.pending_transition == "suspend"
    case = step(case, centre, "approve", now=at(2020, 12, 2, 10))
    assert case.status == "suspended"
    assert case.paused_since == at(2020, 12, 2, 10)
    quiet = sweep(now=at(2020, 12, 6, 12))
    assert (quiet.warned, quiet.overdue) == ([], [])
    assert not Case.objects.overdue(at(2020, 12, 6, 12)).exists()
    case = step(case, teacher, "resume", now=at(2020, 12, 7, 10))  # paused 5 days
    assert case.paused_seconds == 5 * 86400
    assert case.paused_since is None
    assert case.due_at == at(2020, 12, 9, 23, 59, 59)
    assert case.warn_at == warn_before + timedelta(days=5)
    assert sweep(now=at(2020, 12, 9, 2)).warned == []
    assert sweep(now=at(2020, 12, 9, 3)).warned == [case.number]
    assert sweep(now=at(2020, 12, 10, 0)).overdue == [case.number]


def test_working_day_limits_run_across_the_national_day_holiday(world, working_kind):
    centre = world.user(Role.TOWNSHIP_CENTER)
    start = at(2020, 9, 30, 10)
    case = open_task(world, kind="TW", now=start)
    assert case.due_at == end_of_day(date(2020, 10, 9))  # intake: 1 working day
    case = step(case, centre, "accept", now=start)
    case = step(case, centre, "assign", now=start, target_org=world.orgs["gc_police"])
    assert case.due_at == end_of_day(date(2020, 10, 12))
    # 86 counted hours (14 on 9/30, 24 each on 10/9, 10/10 and 10/12, less a second); 75% falls at
    # 02:29:59 on 10/12.
    assert at(2020, 10, 12, 2, 29, 59) <= case.warn_at < at(2020, 10, 12, 2, 30)
    assert sweep(now=at(2020, 10, 8, 23)).warned == []
    assert sweep(now=at(2020, 10, 12, 3)).warned == [case.number]
    assert sweep(now=at(2020, 10, 12, 23, 59)).overdue == []
    assert sweep(now=at(2020, 10, 13, 0)).overdue == [case.number]


def test_a_manual_supervision_and_its_reply_go_on_the_timeline(world):
    case = assigned(world)
    notice = actions.issue_supervision(case=case, actor=world.user(Role.CITY_OFFICE), reason="群众反映强烈",
                                       now=at(2020, 12, 2, 9))
    assert (notice.automatic, notice.to_org, notice.centre_org) == (False, world.orgs["education"],
                                                                    world.orgs["peace"])
    with pytest.raises(Forbidden):  # a grid worker holds no 督办 permission
        actions.issue_supervision(case=case, actor=world.user(Role.GRID_WORKER), reason="督办")
    with pytest.raises(actions.TransitionNotAllowed):
        actions.reply_supervision(supervision=notice, actor=world.user(Role.POLICE), reply="x")
    teacher = world.user(Role.DEPT_HANDLER)
    with pytest.raises(actions.InvalidTransition) as err:
        actions.reply_supervision(supervision=notice, actor=teacher, reply=" ")
    assert err.value.field == "reply"
    notice = actions.reply_supervision(supervision=notice, actor=teacher, reply="已安排专人", now=at(2020, 12, 2, 15))
    assert notice.served_at == notice.replied_at == at(2020, 12, 2, 15)
    labels = list(case.events.order_by("seq").values_list("label", flat=True))
    assert labels[-2:] == ["督办", "回复督办"]
    with pytest.raises(actions.InvalidTransition):
        actions.reply_supervision(supervision=notice, actor=teacher, reply="再回复")


def test_a_closed_case_is_neither_warned_nor_overdue(world):
    centre, teacher = world.user(Role.TOWNSHIP_CENTER), world.user(Role.DEPT_HANDLER)
    case = step(assigned(world), teacher, "feedback", data={"result": "已办"})
    case = step(case, centre, "verify_pass")
    assert sweep(now=at(2020, 12, 20)).overdue == []
    assert not Case.objects.open().filter(pk=case.pk).exists()
