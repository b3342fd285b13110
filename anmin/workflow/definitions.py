"""Workflows as data: states, transitions (who may take them), stage time limits, paused states.

A domain declares its workflow in its ``workflows.py`` (usually ``DEFAULT_WORKFLOW.replace(...)``)
and registers it with a ``CaseKind``; the engine in ``actions.py`` only interprets this data.

Role tokens in ``Transition.roles``:
  * a role code (``"township_center"``): a user holding that role whose jurisdiction contains the case;
  * ``"@handler"``: the case's handler, or a member of its handling unit;
  * ``"@reporter"``: the user who reported the case.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from django.utils.translation import gettext, gettext_noop

from anmin.core.i18n import pgettext_noop, translated

HANDLER = "@handler"
REPORTER = "@reporter"

# 综治中心 roles: "the centre moves the procedure, the handling department solves the substance".
CENTRE_ROLES: tuple[str, ...] = ("city_office", "township_center", "village_center")

NATURAL = "natural"
WORKING = "working"

# Engine-level actions every workflow has (not declared per workflow).
APPROVE = "approve"
DENY = "deny"
SUPERVISE = "supervise"

# What a transition can ask the user for (the UI builds its form from these).
INPUTS = ("target_org", "target_user", "days", "result", "satisfaction", "duplicate_of")

# Built-in effects the engine applies after the state change (see actions._EFFECTS).
EFFECTS = ("", "assign", "transfer", "cohandle", "release", "escalate", "extend", "duplicate", "visit")

# Labels are Chinese and stay Chinese wherever they are stored or compared (a case event's label,
# the engine's messages); ``display_label`` & co. give them in the viewer's language. Mark a label with
# ``pgettext_noop("case state", "…")`` / ``pgettext_noop("case step", "…")`` (literally: the catalogue
# tool reads the source) or ``gettext_noop`` for a reason label, so that ``make messages`` puts it in
# the catalogue (see anmin/core/i18n.py). A label without a translation is shown in Chinese.
STATE = "case state"
STEP = "case step"


@dataclass(frozen=True)
class State:
    code: str
    label: str
    owner: str = ""  # whose move it is: "center", "handler", "reporter" or "" (nobody)
    done: bool = False  # handling finished (办结/不予受理/归档 …): the case no longer counts as open

    @property
    def display_label(self) -> str:
        """The label in the active language (``label`` is the Chinese that is stored)."""
        return translated(self.label, STATE)


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    reason_required: bool = False
    needs_approval: bool = False
    approver_roles: tuple[str, ...] = CENTRE_ROLES
    effect: str = ""
    inputs: tuple[str, ...] = ()
    restart_clock: bool = False  # start a fresh stage limit even when staying in the same stage
    takes_over: bool = False  # the acting 综治中心 becomes the case's centre (e.g. a township accepts)
    reason_label: str = gettext_noop("办理意见")
    style: str = ""  # "primary" / "danger": only a hint for buttons

    @property
    def display_label(self) -> str:
        """The label in the active language (``label`` is the Chinese that is stored)."""
        return translated(self.label, STEP)

    @property
    def display_reason_label(self) -> str:
        return gettext(self.reason_label) if self.reason_label else self.reason_label


@dataclass(frozen=True)
class TimeLimit:
    """A stage of the work with a time limit per priority, in days (0 = the same day) or, for a
    priority named in ``minutes``, in minutes from the moment the stage starts (a fraud warning's
    特高 lead: contact within 10 minutes). A priority in neither falls back to ``days["normal"]``
    (or the longest of ``days``), and with no ``days`` at all to the longest of ``minutes``."""

    stage: str
    label: str
    states: tuple[str, ...]
    days: Mapping[str, int] = field(default_factory=dict)
    minutes: Mapping[str, int] = field(default_factory=dict)

    def days_for(self, priority: str) -> int:
        if priority in self.days:
            return self.days[priority]
        if not self.days:
            return 0
        return self.days.get("normal", max(self.days.values()))

    def minutes_for(self, priority: str) -> int | None:
        """The limit in minutes for this priority, or None when it counts in days."""
        if priority in self.minutes:
            return self.minutes[priority]
        if priority not in self.days and not self.days and self.minutes:
            return max(self.minutes.values())
        return None


@dataclass(frozen=True)
class Escalation:
    """What the sweep does with an overdue case."""

    supervise_when_overdue: bool = True  # automatic 督办 to the handling unit, copied to the centre above
    reply_days: int = 2  # days the supervised unit has to reply


@dataclass(frozen=True)
class Workflow:
    states: tuple[State, ...]
    transitions: tuple[Transition, ...]
    time_limits: tuple[TimeLimit, ...] = ()
    paused_states: tuple[str, ...] = ()
    warning_ratio: float = 0.75
    calendar: str = NATURAL
    escalation: Escalation = field(default_factory=Escalation)
    initial: str = ""  # default: the first state
    max_days: int = 15  # no stage, extensions included, may run longer than this
    priorities: tuple[tuple[str, str], ...] = (("urgent", "紧急"), ("normal", "一般"), ("hard", "疑难复杂"))

    def __post_init__(self) -> None:
        codes = [s.code for s in self.states]
        if len(set(codes)) != len(codes):
            raise ValueError(f"workflow has duplicate states: {codes}")
        if not self.initial:
            object.__setattr__(self, "initial", codes[0])
        known = set(codes)
        problems = []
        if self.initial not in known:
            problems.append(f"initial state {self.initial!r}")
        names = [t.name for t in self.transitions]
        if len(set(names)) != len(names):
            problems.append(f"duplicate transition names {names}")
        for t in self.transitions:
            if t.name in (APPROVE, DENY, SUPERVISE):
                problems.append(f"transition name {t.name!r} is reserved")
            for s in (*t.sources, t.target):
                if s not in known:
                    problems.append(f"transition {t.name!r} refers to unknown state {s!r}")
            if t.effect not in EFFECTS:
                problems.append(f"transition {t.name!r} has unknown effect {t.effect!r}")
            for i in t.inputs:
                if i not in INPUTS:
                    problems.append(f"transition {t.name!r} has unknown input {i!r}")
        staged: set[str] = set()
        for limit in self.time_limits:
            for s in limit.states:
                if s not in known:
                    problems.append(f"time limit {limit.stage!r} refers to unknown state {s!r}")
                if s in staged:
                    problems.append(f"state {s!r} is in two time-limit stages")
                staged.add(s)
            if any(d < 0 or d > self.max_days for d in limit.days.values()):
                problems.append(f"time limit {limit.stage!r} must be 0..{self.max_days} days")
            if any(m < 1 or m > self.max_days * 1440 for m in limit.minutes.values()):
                problems.append(f"time limit {limit.stage!r} must be 1..{self.max_days * 1440} minutes")
            if not limit.days and not limit.minutes:
                problems.append(f"time limit {limit.stage!r} has neither days nor minutes")
        for s in self.paused_states:
            if s not in known:
                problems.append(f"paused state {s!r} is unknown")
        if not 0 < self.warning_ratio < 1:
            problems.append("warning_ratio must lie between 0 and 1")
        if self.calendar not in (NATURAL, WORKING):
            problems.append(f"calendar must be {NATURAL!r} or {WORKING!r}")
        if problems:
            raise ValueError("invalid workflow: " + "; ".join(problems))
        object.__setattr__(self, "_states", MappingProxyType({s.code: s for s in self.states}))
        object.__setattr__(self, "_transitions", MappingProxyType({t.name: t for t in self.transitions}))

    # -- lookups ---------------------------------------------------------------------------
    def state(self, code: str) -> State:
        try:
            return self._states[code]  # type: ignore[attr-defined]
        except KeyError:
            return State(code, code)

    def state_label(self, code: str) -> str:
        """The state's Chinese label (for messages and records; pages use ``state(code).display_label``)."""
        return self.state(code).label

    def transition(self, name: str) -> Transition | None:
        return self._transitions.get(name)  # type: ignore[attr-defined]

    def transitions_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources]

    def limit_for(self, state: str) -> TimeLimit | None:
        for limit in self.time_limits:
            if state in limit.states:
                return limit
        return None

    def is_paused(self, state: str) -> bool:
        return state in self.paused_states

    def is_done(self, state: str) -> bool:
        return self.state(state).done

    def states_actionable_by(self, tokens: Iterable[str]) -> set[str]:
        """States from which a holder of any of ``tokens`` has some transition to take."""
        tokens = set(tokens)
        return {s for t in self.transitions if tokens.intersection(t.roles) for s in t.sources}

    def owned_by(self, owner: str) -> set[str]:
        """States in which it is ``owner``'s move ("center", "handler" or "reporter")."""
        return {s.code for s in self.states if s.owner == owner}

    def role_states(self) -> set[str]:
        """States from which some role (not @handler/@reporter) may act: the centre's desk."""
        return {s for t in self.transitions if any(not r.startswith("@") for r in t.roles) for s in t.sources}

    def approvals_for(self, roles: Iterable[str]) -> list[str]:
        roles = set(roles)
        return [t.name for t in self.transitions if t.needs_approval and roles.intersection(t.approver_roles)]

    def priority_label(self, code: str) -> str:
        return dict(self.priorities).get(code, code)

    def replace(self, **changes) -> Workflow:
        """A copy with some parts changed, e.g. ``DEFAULT_WORKFLOW.replace(calendar="working")``."""
        return dataclasses.replace(self, **changes)

    def with_time_limits(self, **days_by_stage: Mapping[str, int]) -> Workflow:
        """Change the days of named stages, e.g. ``with_time_limits(handling={"normal": 5})``."""
        limits = []
        for limit in self.time_limits:
            if limit.stage in days_by_stage:
                limit = dataclasses.replace(limit, days={**limit.days, **days_by_stage[limit.stage]})
            limits.append(limit)
        return self.replace(time_limits=tuple(limits))


# -- The default lifecycle (domain_notes.md, "The case lifecycle") ---------------------------------
_C = CENTRE_ROLES
_OPEN = ("reported", "accepted", "in_progress", "feedback", "suspended")

DEFAULT_STATES = (
    State("reported", pgettext_noop("case state", "待受理"), "center"),
    State("returned", pgettext_noop("case state", "已退回"), "reporter"),
    State("rejected", pgettext_noop("case state", "不予受理"), "", done=True),
    State("accepted", pgettext_noop("case state", "待分拨"), "center"),
    State("in_progress", pgettext_noop("case state", "处置中"), "handler"),
    State("feedback", pgettext_noop("case state", "待核查"), "center"),
    State("suspended", pgettext_noop("case state", "已挂起"), "handler"),
    State("closed", pgettext_noop("case state", "已办结"), "center", done=True),
    State("visited", pgettext_noop("case state", "已回访"), "center", done=True),
    State("archived", pgettext_noop("case state", "已归档"), "", done=True),
    State("duplicate", pgettext_noop("case state", "重复件"), "", done=True),
)

DEFAULT_TRANSITIONS = (
    Transition("accept", pgettext_noop("case step", "受理"), ("reported",), "accepted", _C, takes_over=True,
               style="primary"),
    Transition("return", pgettext_noop("case step", "退回"), ("reported",), "returned", _C, reason_required=True,
               reason_label=gettext_noop("退回原因")),
    Transition("resubmit", pgettext_noop("case step", "补充后重新上报"), ("returned",), "reported", (REPORTER, *_C)),
    Transition("reject", pgettext_noop("case step", "不予受理"), ("reported",), "rejected", _C, reason_required=True,
               reason_label=gettext_noop("不予受理理由"), style="danger"),
    Transition("assign", pgettext_noop("case step", "交办"), ("accepted",), "in_progress", _C, effect="assign",
               inputs=("target_org", "target_user"), restart_clock=True, style="primary"),
    Transition("transfer", pgettext_noop("case step", "转办"), ("in_progress",), "in_progress", _C,
               reason_required=True, effect="transfer", inputs=("target_org", "target_user"), restart_clock=True,
               reason_label=gettext_noop("转办理由")),
    Transition("cohandle", pgettext_noop("case step", "协办"), ("in_progress",), "in_progress", _C, effect="cohandle",
               inputs=("target_org",)),
    Transition("request_reassign", pgettext_noop("case step", "申请重新分配"), ("in_progress",), "accepted",
               (HANDLER,), reason_required=True, needs_approval=True, effect="release",
               reason_label=gettext_noop("申请理由")),
    Transition("feedback", pgettext_noop("case step", "反馈办理结果"), ("in_progress",), "feedback", (HANDLER,),
               inputs=("result",), style="primary"),
    Transition("verify_pass", pgettext_noop("case step", "核查通过并办结"), ("feedback",), "closed", _C,
               style="primary"),
    Transition("verify_fail", pgettext_noop("case step", "核查不通过"), ("feedback",), "in_progress", _C,
               reason_required=True, reason_label=gettext_noop("核查意见")),
    Transition("visit", pgettext_noop("case step", "回访评价"), ("closed",), "visited", _C, effect="visit",
               inputs=("satisfaction",)),
    Transition("archive", pgettext_noop("case step", "归档"), ("closed", "visited"), "archived", _C),
    Transition("reopen", pgettext_noop("case step", "重新打开"), ("closed", "visited"), "in_progress", _C,
               reason_required=True, restart_clock=True, reason_label=gettext_noop("重新打开原因")),
    Transition("suspend", pgettext_noop("case step", "挂起"), ("in_progress",), "suspended", (HANDLER, *_C),
               reason_required=True, needs_approval=True, reason_label=gettext_noop("挂起理由")),
    Transition("resume", pgettext_noop("case step", "恢复办理"), ("suspended",), "in_progress", (HANDLER, *_C)),
    Transition("extend", pgettext_noop("case step", "延期"), ("in_progress",), "in_progress", (HANDLER,),
               reason_required=True, needs_approval=True, effect="extend", inputs=("days",),
               reason_label=gettext_noop("延期理由")),
    Transition("escalate", pgettext_noop("case step", "上报上级"), ("reported", "accepted", "in_progress"), "accepted",
               (*_C, HANDLER), reason_required=True, effect="escalate", reason_label=gettext_noop("上报理由")),
    Transition("mark_duplicate", pgettext_noop("case step", "标记为重复件"), _OPEN, "duplicate", _C,
               effect="duplicate", inputs=("duplicate_of",)),
)

DEFAULT_WORKFLOW = Workflow(
    states=DEFAULT_STATES,
    transitions=DEFAULT_TRANSITIONS,
    time_limits=(
        TimeLimit("intake", "受理分拨", ("reported", "accepted"), {"urgent": 0, "normal": 1, "hard": 1}),
        TimeLimit("handling", "处置", ("in_progress", "suspended"), {"urgent": 0, "normal": 3, "hard": 7}),
        TimeLimit("verify", "核查", ("feedback",), {"urgent": 0, "normal": 1, "hard": 1}),
    ),
    paused_states=("suspended",),
    warning_ratio=0.75,
    calendar=NATURAL,
)

SATISFACTION = (
    ("satisfied", gettext_noop("满意")), ("fair", gettext_noop("基本满意")), ("unsatisfied", gettext_noop("不满意"))
)
