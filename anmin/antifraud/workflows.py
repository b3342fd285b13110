"""The warning-lead case kind (YJ 预警线索): routed at once to a police station, with time limits in
minutes by grade.

A lead opens in 待分派 on the township centre's desk and is handed, in the same transaction, to the
police station the routing rules name (``rules.py``) — the timeline shows 上报 and 分派 at the same
minute. The station's officer signs for it (签收, optional) and (or the grid worker / 劝阻员 sent to
the door) logs each contact attempt
(a timeline entry; the first one that reaches the person moves the lead to 劝阻中), then registers the
outcome (劝阻成功 / 已被骗 / 无法联系 / 误报), and a 回访 after 7 days.

The limits (minutes, per grade; data, edit here): first contact 特高 10 / 高 30 / 中 120 / 低 1440,
counted from the lead's arrival (the contact stage covers 待分派 and 待联系); the outcome within
特高 60 / 高 120 / 中 480 / 低 2880 minutes of the first contact. The engine warns at 75% and issues
督办 at the limit (``anmin sweep``), as for every kind.
"""

from __future__ import annotations

from anmin.core.i18n import pgettext_noop
from anmin.core.models.regions import RegionLevel
from anmin.workflow.definitions import CENTRE_ROLES, HANDLER, State, TimeLimit, Transition, Workflow
from anmin.workflow.registry import CaseKind, detail_page

_C = CENTRE_ROLES
WORKERS = (HANDLER, *_C, "police", "grid_worker")

GRADES = (("critical", "特高"), ("high", "高"), ("medium", "中"), ("low", "低"))
CONTACT_MINUTES = {"critical": 10, "high": 30, "medium": 120, "low": 1440}
DISPOSE_MINUTES = {"critical": 60, "high": 120, "medium": 480, "low": 2880}
REVISIT_DAYS = 7

LEAD_WORKFLOW = Workflow(
    states=(
        State("new", pgettext_noop("case state", "待分派"), "center"),
        State("dispatched", pgettext_noop("case state", "待联系"), "handler"),
        State("contacting", pgettext_noop("case state", "劝阻中"), "handler"),
        State("concluded", pgettext_noop("case state", "已处置"), "handler", done=True),
        State("visited", pgettext_noop("case state", "已回访"), "", done=True),
    ),
    transitions=(
        Transition("dispatch", pgettext_noop("case step", "分派"), ("new",), "dispatched", _C, effect="assign",
                   inputs=("target_org", "target_user"), style="primary"),
        Transition("accept", pgettext_noop("case step", "签收"), ("dispatched",), "dispatched", (HANDLER, "police"),
                   style="primary"),
        Transition("transfer", pgettext_noop("case step", "转派"), ("dispatched", "contacting"), "dispatched", _C,
                   reason_required=True, effect="transfer", inputs=("target_org", "target_user")),
        Transition("contact", pgettext_noop("case step", "联系上当事人"), ("dispatched",), "contacting", WORKERS),
        Transition("conclude", pgettext_noop("case step", "登记处置结果"), ("dispatched", "contacting"), "concluded",
                   WORKERS, style="primary"),
        Transition("revisit", pgettext_noop("case step", "回访"), ("concluded",), "visited", WORKERS),
    ),
    time_limits=(
        TimeLimit("contact", "首次联系", ("new", "dispatched"), minutes=CONTACT_MINUTES),
        TimeLimit("dispose", "处置", ("contacting",), minutes=DISPOSE_MINUTES),
    ),
    priorities=GRADES,
)


LEAD = CaseKind(
    code="YJ",
    key="fraud_lead",
    label=pgettext_noop("case kind", "预警线索"),
    workflow=LEAD_WORKFLOW,
    view_perm="antifraud.view_lead",
    detail_url=detail_page("antifraud_lead"),
    app="antifraud",
    intake_level=RegionLevel.TOWNSHIP,
    domain_steps=frozenset({"contact", "conclude", "revisit"}),
    domain_step_labels={"contact": "登记联系", "conclude": "登记处置结果", "revisit": "回访"},
)
