"""Camera fault → repair (WX, 视频监控故障维修) on the case engine, joined to the camera registry.

Setting a camera's status to 故障报修 (its page, the API, a ledger) opens a repair case at the
camera's place, taken in by the township 综治中心, which hands it to the unit that maintains the
camera (下达维修: the camera shows 维修中); the unit reports it repaired (维修反馈) and the centre
verifies it (验收销号: the camera is 在线 again) or sends it back. A report found to be no fault
(核实无故障) also sets the camera back to 在线. Time limits by priority (repair: urgent 1 day,
normal 3, hard 7) are data to change here; past them the sweep warns and issues a 督办.
The join is the kit's (``anmin.workflow.kit.registry_cases.StatusCase``).
"""

from __future__ import annotations

from anmin.core.i18n import pgettext_noop
from anmin.core.models.regions import RegionLevel
from anmin.workflow.definitions import CENTRE_ROLES, HANDLER, State, TimeLimit, Transition, Workflow
from anmin.workflow.kit.registry_cases import StatusCase
from anmin.workflow.registry import CaseKind

from .models import CameraStatus
from .registries import CAMERAS

_C = CENTRE_ROLES

REPAIR_WORKFLOW = Workflow(
    states=(
        State("reported", pgettext_noop("case state", "已报修"), "center"),
        State("repairing", pgettext_noop("case state", "维修中"), "handler"),
        State("repaired", pgettext_noop("case state", "待验收"), "center"),
        State("verified", pgettext_noop("case state", "已修复销号"), "", done=True),
        State("no_fault", pgettext_noop("case state", "经核实无故障"), "", done=True),
    ),
    transitions=(
        Transition("order", pgettext_noop("case step", "下达维修"), ("reported",), "repairing", _C, effect="assign",
                   inputs=("target_org", "target_user"), restart_clock=True, takes_over=True, style="primary"),
        Transition("no_fault", pgettext_noop("case step", "核实无故障"), ("reported",), "no_fault", _C,
                   reason_required=True),
        Transition("repair", pgettext_noop("case step", "维修反馈"), ("repairing",), "repaired", (HANDLER, *_C),
                   inputs=("result",), style="primary"),
        Transition("extend", pgettext_noop("case step", "延期"), ("repairing",), "repairing", (HANDLER,),
                   reason_required=True, needs_approval=True, effect="extend", inputs=("days",)),
        Transition("verify", pgettext_noop("case step", "验收销号"), ("repaired",), "verified", _C, style="primary"),
        Transition("verify_fail", pgettext_noop("case step", "验收不通过"), ("repaired",), "repairing", _C,
                   reason_required=True),
    ),
    time_limits=(
        TimeLimit("intake", "核实派修", ("reported",), {"urgent": 0, "normal": 1, "hard": 1}),
        TimeLimit("repair", "维修", ("repairing",), {"urgent": 1, "normal": 3, "hard": 7}),
        TimeLimit("verify", "验收", ("repaired",), {"urgent": 1, "normal": 2, "hard": 2}),
    ),
    max_days=30,
)

CAMERA_REPAIRS = StatusCase(
    registry=CAMERAS,
    kind=CaseKind(code="WX", key="camera_repair", label=pgettext_noop("case kind", "视频监控故障维修"),
                  workflow=REPAIR_WORKFLOW, view_perm="prevention.view_camerarepair", app="prevention",
                  intake_level=RegionLevel.TOWNSHIP),
    detail_model="prevention.CameraRepair",
    record_field="camera",
    opens_on=(CameraStatus.FAULT,),
    while_open={"repairing": CameraStatus.REPAIRING},
    restores={"verified": CameraStatus.ONLINE, "no_fault": CameraStatus.ONLINE},
    title=lambda camera: f"{camera.name} 故障报修",
    source="设备报修",
)
CAMERA_REPAIR = CAMERA_REPAIRS.kind
