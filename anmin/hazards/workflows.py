"""The railway-hazard case kind (TL, 铁路护路联防): found → rectification with a deadline → verified.

The township 综治中心 (护路联防办) registers a hazard found along the line (危房危树, a broken fence,
a crossing, loose objects), orders its rectification by a unit with a deadline (下达整改), the unit
reports it rectified (整改反馈), and the centre verifies it on site (验收销号) or sends it back.
The deadline is the rectification stage's limit, by priority: 紧急 3 days, 一般 15, 疑难复杂 30 (a
dangerous house or tree may need a month); past it the sweep marks the hazard overdue and issues a
督办. An extension needs the centre's approval. All of this is data to change here.
"""

from __future__ import annotations

from anmin.core.i18n import pgettext_noop
from anmin.core.models.regions import RegionLevel
from anmin.workflow.definitions import CENTRE_ROLES, HANDLER, State, TimeLimit, Transition, Workflow
from anmin.workflow.registry import CaseKind, detail_page

_C = CENTRE_ROLES

RAILWAY_WORKFLOW = Workflow(
    states=(
        State("reported", pgettext_noop("case state", "已发现"), "center"),
        State("rectifying", pgettext_noop("case state", "整改中"), "handler"),
        State("rectified", pgettext_noop("case state", "待验收"), "center"),
        State("verified", pgettext_noop("case state", "已验收销号"), "", done=True),
        State("rejected", pgettext_noop("case state", "经核实无隐患"), "", done=True),
    ),
    transitions=(
        Transition("order", pgettext_noop("case step", "下达整改"), ("reported",), "rectifying", _C, effect="assign",
                   inputs=("target_org", "target_user"), restart_clock=True, takes_over=True, style="primary"),
        Transition("reject", pgettext_noop("case step", "核实无隐患"), ("reported",), "rejected", _C,
                   reason_required=True, style="danger"),
        Transition("rectify", pgettext_noop("case step", "整改反馈"), ("rectifying",), "rectified", (HANDLER, *_C),
                   inputs=("result",), style="primary"),
        Transition("extend", pgettext_noop("case step", "延期"), ("rectifying",), "rectifying", (HANDLER,),
                   reason_required=True, needs_approval=True, effect="extend", inputs=("days",)),
        Transition("verify", pgettext_noop("case step", "验收销号"), ("rectified",), "verified", _C, style="primary"),
        Transition("verify_fail", pgettext_noop("case step", "验收不通过"), ("rectified",), "rectifying", _C,
                   reason_required=True),
    ),
    time_limits=(
        TimeLimit("intake", "核实交办", ("reported",), {"urgent": 0, "normal": 2, "hard": 2}),
        TimeLimit("rectify", "整改", ("rectifying",), {"urgent": 3, "normal": 15, "hard": 30}),
        TimeLimit("verify", "验收", ("rectified",), {"urgent": 1, "normal": 3, "hard": 3}),
    ),
    max_days=45,
)


RAILWAY_HAZARD = CaseKind(
    code="TL",
    key="railway_hazard",
    label=pgettext_noop("case kind", "铁路沿线隐患"),
    workflow=RAILWAY_WORKFLOW,
    view_perm="hazards.view_railwayhazard",
    detail_url=detail_page("hazards_railwayhazard"),
    app="hazards",
    intake_level=RegionLevel.TOWNSHIP,
)
