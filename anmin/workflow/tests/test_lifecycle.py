"""The default lifecycle: who may take which step, reasons, approvals, conflicts, numbering."""

from __future__ import annotations

import pytest

from anmin.core.errors import NotFound
from anmin.core.models import Role
from anmin.workflow import actions
from anmin.workflow.actions import CaseConflict, InvalidTransition, TransitionNotAllowed
from anmin.workflow.models import Case, CaseEvent

from .conftest import assigned, at, open_task, step


def test_a_reported_case_goes_to_the_village_centre_and_is_numbered(world):
    case = open_task(world, now=at(2020, 12, 1, 9))
    assert case.number == "JB-2020-000001"
    assert case.status == "reported"
    assert case.status_label == "待受理"
    assert case.center_org == world.orgs["gc_v_center"]
    assert case.due_at == at(2020, 12, 2, 23, 59, 59)  # intake: one day
    event = case.events.get()
    assert (event.seq, event.label, event.actor) == (1, "上报", world.user(Role.GRID_WORKER))


def test_numbers_run_per_kind_and_local_year(world, working_kind):
    numbers = [
        open_task(world, now=at(2020, 3, 1, 9)).number,
        open_task(world, now=at(2020, 12, 31, 23, 30)).number,
        open_task(world, now=at(2021, 1, 1, 0, 30)).number,  # still 2020 in UTC, 2021 locally
        open_task(world, now=at(2020, 6, 1, 9), kind="TW").number,
    ]
    assert numbers == ["JB-2020-000001", "JB-2020-000002", "JB-2021-000001", "TW-2020-000001"]


def test_numbers_continue_above_a_counter_raised_by_a_bulk_load(world):
    from anmin.workflow.models import CaseCounter

    assert actions.allocate_number("JB", 2031) == "JB-2031-000001"
    CaseCounter.objects.update_or_create(kind="JB", year=2031, defaults={"last": 500})  # a loader wrote 2…500
    actions.sync_number_sequences()
    assert actions.allocate_number("JB", 2031) == "JB-2031-000501"


def test_the_full_path_from_report_to_archive_leaves_a_timeline(world):
    centre = world.user(Role.TOWNSHIP_CENTER)
    teacher = world.user(Role.DEPT_HANDLER)
    case = assigned(world)
    assert (case.status, case.handling_org, case.center_org) == (
        "in_progress", world.orgs["education"], world.orgs["gc_center"],  # the township took it over
    )
    case = step(case, teacher, "feedback", data={"result": "已组织排查并整改"})
    case = step(case, centre, "verify_fail", reason="整改照片缺失")
    assert case.status == "in_progress"
    case = step(case, teacher, "feedback", data={"result": "已补充整改照片"})
    case = step(case, centre, "verify_pass")
    assert case.status == "closed"
    assert not case.is_open
    assert case.closed_at is not None
    case = step(case, centre, "visit", data={"satisfaction": "satisfied"})
    case = step(case, centre, "archive")
    assert case.status == "archived"
    assert case.data["satisfaction"] == "satisfied"
    labels = list(case.events.order_by("seq").values_list("label", flat=True))
    assert labels == ["上报", "受理", "交办", "反馈办理结果", "核查不通过", "反馈办理结果", "核查通过并办结",
                      "回访评价", "归档"]
    assert case.version == 9


def test_reopen_after_a_bad_visit(world):
    centre = world.user(Role.TOWNSHIP_CENTER)
    case = assigned(world)
    case = step(case, world.user(Role.DEPT_HANDLER), "feedback", data={"result": "办结"})
    case = step(case, centre, "verify_pass")
    case = step(case, centre, "visit", data={"satisfaction": "unsatisfied"})
    with pytest.raises(InvalidTransition) as err:
        step(case, centre, "reopen")
    assert err.value.field == "reason"
    assert "重新打开原因" in err.value.message
    case = step(case, centre, "reopen", reason="群众反映问题未解决", now=at(2020, 12, 5, 9))
    assert case.status == "in_progress"
    assert case.is_open
    assert case.closed_at is None
    assert case.due_at == at(2020, 12, 8, 23, 59, 59)  # a fresh handling limit


def test_a_grid_worker_cannot_accept_and_the_error_names_the_step(world):
    case = open_task(world)
    with pytest.raises(TransitionNotAllowed) as err:
        step(case, world.user(Role.GRID_WORKER), "accept")
    assert "受理" in err.value.message


def test_only_the_assigned_unit_may_report_the_result(world):
    case = assigned(world, org="gc_police")
    with pytest.raises(TransitionNotAllowed):
        step(case, world.user(Role.TOWNSHIP_CENTER), "feedback", data={"result": "x"})
    case = step(case, world.user(Role.POLICE), "feedback", data={"result": "已处置"})
    assert case.status == "feedback"


def test_an_unassigned_department_cannot_touch_the_case(world):
    case = open_task(world)
    with pytest.raises(NotFound) as err:  # out of their scope: the case looks absent
        step(case, world.user(Role.DEPT_HANDLER), "accept")
    assert "不在您的辖区内" in err.value.message


def test_return_needs_a_reason_and_the_reporter_may_resubmit(world):
    centre = world.user(Role.TOWNSHIP_CENTER)
    case = open_task(world)
    with pytest.raises(InvalidTransition) as err:
        step(case, centre, "return", reason="  ")
    assert err.value.field == "reason"
    assert err.value.message == "「退回原因」为必填项：执行「退回」必须说明理由"
    case = step(case, centre, "return", reason="请补充具体地址")
    assert case.status == "returned"
    assert case.due_at is None
    case = step(case, world.user(Role.GRID_WORKER), "resubmit")
    assert case.status == "reported"
    assert case.due_at is not None


def test_a_step_from_the_wrong_state_is_refused(world):
    case = open_task(world)
    with pytest.raises(InvalidTransition) as err:
        step(case, world.user(Role.TOWNSHIP_CENTER), "verify_pass")
    assert err.value.field == "transition"
    assert "待受理" in err.value.message


def test_assign_needs_a_target_in_the_jurisdiction(world):
    centre = world.user(Role.TOWNSHIP_CENTER)
    case = step(open_task(world), centre, "accept")
    with pytest.raises(InvalidTransition) as err:
        step(case, centre, "assign")
    assert err.value.field == "target_org"
    with pytest.raises(InvalidTransition) as err:
        step(case, centre, "assign", target_org=world.orgs["wl_center"])
    assert "辖区" in err.value.message
    mediator = world.user("mediator")
    case = step(case, centre, "assign", target_user=mediator)
    assert (case.handler, case.handling_org) == (mediator, world.orgs["gc_mediation"])


def test_a_stale_version_raises_a_conflict_with_the_newer_state(world):
    case = open_task(world)
    seen = case.version
    step(case, world.user(Role.TOWNSHIP_CENTER), "accept")
    with pytest.raises(CaseConflict) as err:
        actions.transition_case(case=case, actor=world.user(Role.CITY_OFFICE), transition="reject",
                                expected_version=seen, reason="不属于受理范围")
    conflict = err.value
    current = conflict.current
    assert (current["status"], current["status_label"], conflict.version) == ("accepted", "待分拨", seen + 1)
    assert "已被他人更新" in conflict.message
    assert "待分拨" in conflict.message
    assert Case.objects.get(pk=case.pk).status == "accepted"


def test_reassignment_needs_the_centres_approval(world):
    centre, teacher = world.user(Role.TOWNSHIP_CENTER), world.user(Role.DEPT_HANDLER)
    case = assigned(world)
    case = step(case, teacher, "request_reassign", reason="不属于教育系统职责")
    assert case.status == "in_progress"
    assert case.pending_transition == "request_reassign"
    with pytest.raises(InvalidTransition):
        step(case, teacher, "suspend", reason="再申请一次")  # one request at a time
    with pytest.raises(TransitionNotAllowed):
        step(case, teacher, "approve")
    with pytest.raises(InvalidTransition) as err:
        step(case, centre, "deny")
    assert err.value.field == "reason"
    case = step(case, centre, "approve")
    assert (case.status, case.handling_org, case.pending_transition) == ("accepted", None, "")
    last = case.events.order_by("-seq").first()
    assert last.label == "申请重新分配（批准申请）"
    assert last.data["request_reason"] == "不属于教育系统职责"


def test_a_denied_request_leaves_the_case_as_it_was(world):
    centre, teacher = world.user(Role.TOWNSHIP_CENTER), world.user(Role.DEPT_HANDLER)
    case = step(assigned(world), teacher, "extend", reason="需要等待检测报告", data={"days": 3})
    due = case.due_at
    case = step(case, centre, "deny", reason="期限内可以完成")
    assert (case.status, case.due_at, case.pending_transition) == ("in_progress", due, "")


def test_an_approved_extension_moves_the_deadline_within_the_maximum(world):
    centre, teacher = world.user(Role.TOWNSHIP_CENTER), world.user(Role.DEPT_HANDLER)
    case = assigned(world)  # due 12-04 end of day
    with pytest.raises(InvalidTransition) as err:
        step(case, teacher, "extend", reason="等待鉴定", data={"days": 15})
    assert err.value.field == "days"
    assert "15天" in err.value.message
    case = step(case, teacher, "extend", reason="等待鉴定", data={"days": 5})
    case = step(case, centre, "approve", now=at(2020, 12, 2, 9))
    assert case.due_at == at(2020, 12, 9, 23, 59, 59)


def test_cohandling_transfer_escalation_and_duplicates(world):
    centre = world.user(Role.TOWNSHIP_CENTER)
    case = assigned(world)
    case = step(case, centre, "cohandle", target_org=world.orgs["gc_police"])
    assert list(case.co_orgs.all()) == [world.orgs["gc_police"]]
    with pytest.raises(InvalidTransition):
        step(case, centre, "transfer", reason="换", target_org=world.orgs["education"])
    case = step(case, centre, "transfer", reason="属治安问题", target_org=world.orgs["gc_police"])
    assert case.handling_org == world.orgs["gc_police"]
    village = world.user(Role.VILLAGE_CENTER)
    other = open_task(world, title="同一件事的再次上报")
    other = step(other, village, "escalate", reason="村里无法协调")
    assert (other.status, other.center_org) == ("accepted", world.orgs["gc_center"])
    other = actions.link_duplicate(case=other, duplicate_of=case, actor=centre, expected_version=other.version)
    assert (other.status, other.duplicate_of, other.is_open) == ("duplicate", case, False)


def test_the_city_office_cannot_escalate_further(world):
    case = open_task(world, region=world.city)
    assert case.center_org == world.orgs["peace"]
    with pytest.raises(InvalidTransition) as err:
        step(case, world.user(Role.CITY_OFFICE), "escalate", reason="上报")
    assert "最高一级" in err.value.message


def test_events_are_append_only(world):
    event = open_task(world).events.get()
    event.reason = "改写"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        CaseEvent.objects.all().update(reason="x")
    with pytest.raises(TypeError):
        CaseEvent.objects.all().delete()


def test_every_step_is_audited_when_the_audit_trail_is_installed(world):
    audit = pytest.importorskip("anmin.core.audit")
    from anmin.core.models import AuditEntry

    case = open_task(world)
    step(case, world.user(Role.TOWNSHIP_CENTER), "accept")
    entries = AuditEntry.objects.filter(object_type="workflow.case", object_id=str(case.pk)).order_by("pk")
    assert [e.action for e in entries] == ["create", "transition"]
    assert entries.last().after["step"] == "accept"
    assert audit.verify_chain().ok
