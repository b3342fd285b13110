"""Camera fault → repair on the case engine (kind WX): a camera set to 故障报修 opens a repair case
with a time limit; 下达维修 shows the camera 维修中; 验收销号 (or 核实无故障) sets it back to 在线."""

from __future__ import annotations

import datetime as dt

import pytest

from anmin.core.models import Role
from anmin.prevention import actions
from anmin.prevention.models import CameraRepair
from anmin.prevention.registries import CAMERAS
from anmin.workflow import actions as case_actions
from anmin.workflow.kit.registry import history
from anmin.workflow.models import Case, Supervision


@pytest.fixture
def centre(world):
    return world.user(Role.TOWNSHIP_CENTER)  # 古城镇


@pytest.fixture
def camera(world, centre):
    return actions.create_camera(actor=centre, region=world.gc_village, name="古城路口东", programme="township",
                                 place_kind="crossing")


def _fault(centre, camera, note="画面黑屏"):
    camera.refresh_from_db()
    return actions.set_camera_status(actor=centre, record=camera, expected_version=camera.version, status="fault",
                                     note=note)


def step(world, case, role, transition, **kw):
    case = Case.objects.get(pk=case.pk)
    return case_actions.transition_case(case=case, actor=world.user(role), transition=transition,
                                        expected_version=case.version, **kw)


def test_a_fault_report_opens_a_repair_case_and_its_verification_sets_the_camera_online(world, centre, camera):
    _fault(centre, camera)
    repair = CameraRepair.objects.get(camera=camera)
    case = repair.case
    assert case.number.startswith("WX-")
    assert case.status == "reported"
    assert case.title == "古城路口东 故障报修"
    assert case.description == "画面黑屏"
    assert case.center_org == world.orgs["gc_center"]
    assert case.due_at is not None
    # Reported again while the repair is open: no second case.
    camera.refresh_from_db()
    actions.set_camera_status(actor=centre, record=camera, expected_version=camera.version, status="offline")
    _fault(centre, camera, "仍黑屏")
    assert CameraRepair.objects.filter(camera=camera).count() == 1

    case = step(world, case, Role.TOWNSHIP_CENTER, "order", target_org=world.orgs["gc_v_center"])
    assert case.status == "repairing"
    assert (case.due_at - case.stage_started_at).days in (2, 3)  # 3 days for an ordinary repair
    camera.refresh_from_db()
    assert camera.status == "repairing"
    case = step(world, case, Role.VILLAGE_CENTER, "repair", data={"result": "更换电源适配器"})
    case = step(world, case, Role.TOWNSHIP_CENTER, "verify")
    assert not case.is_open
    camera.refresh_from_db()
    assert camera.status == "online"
    assert camera.status_note.startswith(case.number)
    assert [h.status for h in history(CAMERAS, camera)][-3:] == ["fault", "repairing", "online"]
    # A new fault after the repair opens a new case.
    _fault(centre, camera, "镜头被遮挡")
    assert CameraRepair.objects.filter(camera=camera).count() == 2


def test_no_fault_found_sets_the_camera_back_online(world, centre, camera):
    _fault(centre, camera)
    case = CameraRepair.objects.get(camera=camera).case
    step(world, case, Role.TOWNSHIP_CENTER, "no_fault", reason="现场核实为网络波动，已恢复")
    camera.refresh_from_db()
    assert camera.status == "online"


def test_a_repair_past_its_limit_is_overdue_and_supervised(world, centre, camera):
    _fault(centre, camera)
    case = step(world, CameraRepair.objects.get(camera=camera).case, Role.TOWNSHIP_CENTER, "order",
                target_org=world.orgs["gc_v_center"])
    after = case.due_at + dt.timedelta(minutes=5)
    case_actions.sweep(now=after)
    case.refresh_from_db()
    assert case.overdue_at is not None
    assert Supervision.objects.filter(case=case, automatic=True).exists()


def test_the_camera_page_lists_its_repairs(world, centre, camera, client):
    _fault(centre, camera)
    case = CameraRepair.objects.get(camera=camera).case
    client.force_login(centre)
    page = client.get(camera.get_absolute_url()).content.decode()
    assert case.number in page
    assert "视频监控故障维修" in page
    assert client.get(case.get_absolute_url()).status_code == 200


def test_the_gap_page_lists_villages_without_a_police_officer(world, centre, client):
    from django.urls import reverse

    actions.create_liaison(actor=centre, region=world.gc_village, kind="police", name="张警官")
    client.force_login(centre)
    page = client.get(reverse("workflow:coverage_gaps"), {"rule": "prevention.village_police"}).content.decode()
    assert "一村(格)一警" in page
    assert f'data-gap="{world.gc_village2.code}"' in page  # 大北村 has no officer
    assert f'data-gap="{world.gc_village.code}"' not in page
    assert world.wl_village.code not in page  # another township: not this user's
