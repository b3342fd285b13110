"""The case engine's shared parts: its errors, audit, the time-limit clock and the timeline."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.utils import timezone

from anmin.core import audit as core_audit
from anmin.core.actors import as_user
from anmin.core.errors import ActionError, Conflict, Forbidden, Invalid
from anmin.core.models import User
from anmin.core.models.orgs import OrgKind

from ..calendar import Calendar, load_calendar
from ..definitions import TimeLimit, Workflow
from ..models import Case, CaseEvent

log = logging.getLogger("anmin.workflow")
CENTRE_KINDS = (OrgKind.CENTER, OrgKind.PEACE_OFFICE)


# -- Errors (the one vocabulary of anmin.core.errors) ------------------------------------------------
WorkflowError = ActionError  # any refusal of the engine


class InvalidTransition(Invalid):
    """The state does not allow the step, or an input is missing or wrong (``field`` names it)."""


class TransitionNotAllowed(Forbidden):
    """The actor may not take the step (not their role, not their case, a step the domain owns)."""


class CaseConflict(Conflict):
    """The case changed since the user loaded it (their version is stale); ``current`` is the newer
    state: id, number, status, status label, version and the version the caller sent."""

    def __init__(self, case: Case, expected_version: Any = None):
        self.case = case
        self.version = case.version
        self.expected_version = expected_version
        last = case.events.order_by("-seq").select_related("actor").first()
        self.last_event = last
        who = f"{last.actor_label}于{timezone.localtime(last.at):%Y-%m-%d %H:%M}「{last.label}」" if last else ""
        try:
            status = case.workflow.state_label(case.status)
        except LookupError:
            status = case.status
        super().__init__(
            f"此事项已被他人更新（{who}），当前状态为「{status}」。请查看最新情况后再操作。",
            field="version",
            current={"id": case.pk, "number": case.number, "status": case.status,
                     "status_label": str(case.status_label), "version": case.version,
                     "expected_version": expected_version},
        )


# -- Audit ----------------------------------------------------------------------------------------
def _audit(*, action: str, actor: User | None, obj: Any = None, after: dict | None = None, reason: str = "",
           **extra: Any) -> None:
    """Write the audit record inside the action's transaction (``anmin.core.audit.record``)."""
    core_audit.record(actor=actor, action=action, obj=obj, after=after or {}, reason=reason, **extra)


# -- The clock ---------------------------------------------------------------------------------
def _calendar(wf: Workflow) -> Calendar:
    return load_calendar(wf.calendar)


def _start_clock(case: Case, wf: Workflow, limit: TimeLimit, now: datetime, cal: Calendar) -> None:
    # A limit in minutes runs from this moment (in the working calendar: counting working time only).
    minutes = limit.minutes_for(case.priority)
    due = cal.advance(now, minutes * 60) if minutes is not None else cal.deadline(now, limit.days_for(case.priority))
    case.stage = limit.stage
    case.stage_no += 1
    case.stage_started_at = now
    case.due_at = due
    case.warn_at = cal.warning_point(now, due, wf.warning_ratio)
    case.warned_at = None
    case.overdue_at = None
    case.paused_since = None


def _resume_clock(case: Case, now: datetime, cal: Calendar) -> None:
    """Leaving a paused state: the deadline and warning point move on by the time spent paused."""
    since = case.paused_since
    if since is None:
        return
    case.paused_seconds += max(0, int((now - since).total_seconds()))
    if case.due_at is not None:
        case.due_at = cal.advance(now, cal.elapsed(since, case.due_at))
    if case.warn_at is not None and case.warned_at is None:
        case.warn_at = cal.advance(now, cal.elapsed(since, case.warn_at))
    case.paused_since = None


def _move(case: Case, wf: Workflow, target: str, now: datetime, *, restart: bool = False) -> None:
    """Set the state and keep the time-limit clock right: start, keep, pause, resume or stop it."""
    old = case.status
    cal: Calendar | None = None
    was_paused = case.paused_since is not None
    will_pause = wf.is_paused(target)
    if was_paused and not will_pause:
        cal = cal or _calendar(wf)
        _resume_clock(case, now, cal)
    case.status = target
    done = wf.is_done(target)
    case.is_open = not done
    case.closed_at = (case.closed_at or now) if done else None
    old_limit, new_limit = wf.limit_for(old), wf.limit_for(target)
    if new_limit is None:
        case.stage = ""
        case.paused_since = None
        if not done:  # e.g. returned to the reporter: no clock runs
            case.due_at = case.warn_at = None
    elif restart or old_limit is None or old_limit.stage != new_limit.stage:
        cal = cal or _calendar(wf)
        _start_clock(case, wf, new_limit, now, cal)
    if will_pause and case.paused_since is None:
        case.paused_since = now


def _append_event(case: Case, *, actor, action: str, label: str, from_state: str, to_state: str,
                  at: datetime, reason: str = "", data: dict | None = None) -> CaseEvent:
    case.last_seq += 1
    return CaseEvent.objects.create(
        case=case, seq=case.last_seq, at=at, actor=as_user(actor), action=action, label=label,
        from_state=from_state, to_state=to_state, reason=reason, data=data or {},
    )
