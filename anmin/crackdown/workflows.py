"""The crackdown domain's case kinds: clues (线索, XS) and 三书一函 (SH), both on the case engine.

A clue is taken in and handed out by the 扫黑办 (the role ``crackdown`` plays the centre's part), to be
verified by the unit it is handed to within 30 days; a longer verification needs an extension the
扫黑办 approves (``extend`` needs approval). The verifying unit registers the result (查实 / 部分查实 /
查否 / 移送) through the domain's own step (``record_result``), and the 扫黑办 checks and closes it.

A 三书一函 is issued by the 扫黑办 to a unit with a date by which the unit must reply (30 days); the
reply is the domain's step (``record_reply``); an overdue reply is supervised by the sweep like any case.
"""

from __future__ import annotations

import dataclasses

from anmin.core.i18n import pgettext_noop
from anmin.core.models.regions import RegionLevel
from anmin.workflow.definitions import CENTRE_ROLES, DEFAULT_WORKFLOW, TimeLimit, Workflow
from anmin.workflow.registry import CaseKind, detail_page

CRACKDOWN = "crackdown"  # the 扫黑办's role code (roles.py registers it)
VERIFY_DAYS = 30  # 线索核查时限
REPLY_DAYS = 30  # 三书一函回复期限
RECTIFY_DAYS = 60  # 督导反馈问题整改时限 (the item's own deadline is kept on it too)


def _office_workflow(handling_days: int) -> Workflow:
    """The default lifecycle with the 扫黑办 as the centre (and only approver), handling in N days."""
    transitions = []
    for t in DEFAULT_WORKFLOW.transitions:
        roles = tuple(CRACKDOWN if r in CENTRE_ROLES else r for r in t.roles)
        transitions.append(dataclasses.replace(t, roles=tuple(dict.fromkeys(roles)), approver_roles=(CRACKDOWN,)))
    return DEFAULT_WORKFLOW.replace(
        transitions=tuple(transitions),
        max_days=120,
        time_limits=(
            TimeLimit("intake", "受理分拨", ("reported", "accepted"), {"urgent": 1, "normal": 3, "hard": 3}),
            TimeLimit("handling", "核查", ("in_progress", "suspended"),
                      {"urgent": handling_days, "normal": handling_days, "hard": handling_days}),
            TimeLimit("verify", "审核", ("feedback",), {"urgent": 3, "normal": 3, "hard": 3}),
        ),
    )


CLUE_WORKFLOW = _office_workflow(VERIFY_DAYS)
NOTICE_WORKFLOW = _office_workflow(REPLY_DAYS)
RECTIFICATION_WORKFLOW = _office_workflow(RECTIFY_DAYS)


def _needs_measures(*, case, **_) -> str | None:
    from .models import Rectification

    if not Rectification.objects.filter(case=case).exclude(measures="").exists():
        return "责任单位尚未报送整改情况，须先在整改清单页面「报送整改情况」"
    return None


def _needs_result(*, case, **_) -> str | None:
    from .models import Clue

    if not Clue.objects.filter(case=case).exclude(result="").exists():
        return "线索尚未登记核查结果，须先在线索页面「登记核查结果」"
    return None


def _needs_reply(*, case, **_) -> str | None:
    from .models import Notice

    if not Notice.objects.filter(case=case).exclude(reply="").exists():
        return "被建议单位尚未回复，须先在三书一函页面「登记回复」"
    return None


CLUE = CaseKind(
    code="XS", key="crackdown_clue", label=pgettext_noop("case kind", "涉黑涉恶线索"), workflow=CLUE_WORKFLOW,
    view_perm="crackdown.view_clue", detail_url=detail_page("crackdown_clue"), app="crackdown",
    intake_level=RegionLevel.CITY,
    guards={"verify_pass": _needs_result},
    domain_steps=frozenset({"feedback"}), domain_step_labels={"feedback": "登记核查结果"},
)

NOTICE = CaseKind(
    code="SH", key="crackdown_notice", label=pgettext_noop("case kind", "三书一函"), workflow=NOTICE_WORKFLOW,
    view_perm="crackdown.view_notice", detail_url=detail_page("crackdown_notice"), app="crackdown",
    intake_level=RegionLevel.CITY,
    guards={"verify_pass": _needs_reply},
    domain_steps=frozenset({"feedback"}), domain_step_labels={"feedback": "登记回复"},
)

RECTIFICATION = CaseKind(
    code="ZG", key="crackdown_rectification", label=pgettext_noop("case kind", "督导反馈问题整改"),
    workflow=RECTIFICATION_WORKFLOW, view_perm="crackdown.view_rectification",
    detail_url=detail_page("crackdown_rectification"),
    app="crackdown", intake_level=RegionLevel.CITY, guards={"verify_pass": _needs_measures},
    domain_steps=frozenset({"feedback"}), domain_step_labels={"feedback": "报送整改情况"},
)
