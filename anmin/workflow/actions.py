"""Every write of the case engine: open a case, take a step, supervise, reply, link a duplicate, and
the periodic sweep (warnings, overdue marks, automatic 督办).

Each function runs in one transaction; a step locks the case row and checks the version the user
saw, so of two people acting on the same case exactly one succeeds and the other gets
``CaseConflict`` carrying the newer state.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, ProgrammingError, connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_noop

from anmin.core import audit as core_audit
from anmin.core import clock
from anmin.core.models import OrgUnit, Region, User
from anmin.core.models.orgs import OrgKind

from . import registry
from .calendar import Calendar, load_calendar
from .definitions import APPROVE, DENY, SATISFACTION, SUPERVISE, TimeLimit, Transition, Workflow
from .models import Case, CaseCounter, CaseEvent, Priority, Supervision, has_business_role
from .rules import (
    CentreFinder,
    assignable_orgs,
    in_jurisdiction,
    may_approve,
    may_supervise,
    may_take,
    owner_org_id,
)

log = logging.getLogger("anmin.workflow")
CENTRE_KINDS = (OrgKind.CENTER, OrgKind.PEACE_OFFICE)


# -- Errors ------------------------------------------------------------------------------------
class WorkflowError(Exception):
    """A step that cannot be taken; ``message`` is for the user (Chinese), ``field`` names the input."""

    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidTransition(WorkflowError):
    code = "invalid"


class TransitionNotAllowed(WorkflowError):
    code = "forbidden"


class CaseConflict(WorkflowError):
    """The case changed since the user loaded it (their version is stale)."""

    code = "conflict"

    def __init__(self, case: Case, expected_version: Any = None):
        self.case = case
        self.version = case.version
        self.status = case.status
        self.status_label = case.status_label  # in the active language, for the API's answer
        self.expected_version = expected_version
        last = case.events.order_by("-seq").select_related("actor").first()
        self.last_event = last
        who = f"{last.actor_label}于{timezone.localtime(last.at):%Y-%m-%d %H:%M}「{last.label}」" if last else ""
        try:
            status = case.workflow.state_label(case.status)
        except LookupError:
            status = case.status
        super().__init__(
            f"此事项已被他人更新（{who}），当前状态为「{status}」，版本 {self.version}。"
            "请查看最新情况后再操作。",
            field="version",
        )

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "message": self.message,
            "id": self.case.pk,
            "number": self.case.number,
            "status": self.status,
            "status_label": self.status_label,
            "version": self.version,
            "expected_version": self.expected_version,
        }


# -- Audit ----------------------------------------------------------------------------------------
def _audit(*, action: str, actor: User | None, obj: Any = None, after: dict | None = None, reason: str = "",
           **extra: Any) -> None:
    """Write the audit record inside the action's transaction (``anmin.core.audit.record``)."""
    core_audit.record(actor=actor, action=action, obj=obj, after=after or {}, reason=reason, **extra)


# -- Numbers -----------------------------------------------------------------------------------
def allocate_number(kind_code: str, year: int) -> str:
    """The next number of a kind in a year, e.g. ``MD-2020-000123``; safe under concurrency."""
    return allocate_numbers(kind_code, year, 1)[0]


_known_sequences: set[str] = set()  # number sequences this process has used in a committed transaction


def _sequence_name(kind_code: str, year: int) -> str:
    if not (kind_code.isalnum() and kind_code.isascii()):
        raise ValueError(f"case kind code must be ASCII letters or digits: {kind_code!r}")
    return f"workflow_caseno_{kind_code.lower()}_{int(year)}"


def _numbers_from_sequence(kind_code: str, year: int, n: int) -> list[int]:
    """PostgreSQL: numbers from a sequence per kind and year, so concurrent intakes never wait for
    each other (a counter row would stay locked until each intake commits). A number taken by a
    transaction that then rolls back is not reused (decision 0008). The sequence starts above the
    kind's counter row, which keeps the floor for numbers written by bulk loads."""
    name = _sequence_name(kind_code, year)
    sql = "SELECT nextval(%s::regclass) FROM generate_series(1, %s)"
    if name in _known_sequences:  # seen in this process: no savepoint needed around the call
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, [name, n])
                return [row[0] for row in cursor.fetchall()]
        except ProgrammingError:  # gone (a restore, a rebuilt database): this intake fails, the next one recreates it
            _known_sequences.discard(name)
            raise
    for attempt in range(3):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [name, n])
                numbers = [row[0] for row in cursor.fetchall()]
            if not connection.in_atomic_block:
                _known_sequences.add(name)
            else:  # known once the transaction that may have created it commits
                transaction.on_commit(lambda: _known_sequences.add(name))
            return numbers
        except ProgrammingError:  # the sequence does not exist yet: create it (once, whoever is first)
            if attempt:
                raise
        floor = CaseCounter.objects.filter(kind=kind_code, year=year).values_list("last", flat=True).first() or 0
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {name} START WITH {int(floor) + 1}")
        except (IntegrityError, ProgrammingError):  # created concurrently by another writer
            pass
    raise RuntimeError(f"could not allocate numbers from {name}")  # pragma: no cover


def sync_number_sequences() -> int:
    """PostgreSQL: raise every number sequence to at least its counter row. Run it after a bulk load
    that wrote numbers and counters directly (the counters are the floor; the sequences only read
    them when they are created). Returns how many sequences it looked at."""
    if connection.vendor != "postgresql":
        return 0
    done = 0
    for kind, year, last in CaseCounter.objects.values_list("kind", "year", "last"):
        name = _sequence_name(kind, year)
        with connection.cursor() as cursor:
            cursor.execute("SELECT last_value FROM pg_sequences WHERE schemaname = current_schema() "
                           "AND sequencename = %s", [name])
            row = cursor.fetchone()
            if row is None:  # not created yet: it will start above the counter
                continue
            if last > (row[0] or 0):
                cursor.execute("SELECT setval(%s::regclass, %s)", [name, int(last)])
        done += 1
    return done


def allocate_numbers(kind_code: str, year: int, n: int) -> list[str]:
    """``n`` numbers of a kind in a year (consecutive on SQLite, from the kind's sequence on
    PostgreSQL)."""
    if connection.vendor == "postgresql":
        numbers = _numbers_from_sequence(kind_code, year, n)
    else:
        with transaction.atomic():
            counter, _ = CaseCounter.objects.select_for_update().get_or_create(kind=kind_code, year=year,
                                                                               defaults={"last": 0})
            first = counter.last + 1
            counter.last += n
            counter.save(update_fields=["last"])
        numbers = list(range(first, first + n))
    return [f"{kind_code}-{year}-{i:06d}" for i in numbers]


# -- The clock ---------------------------------------------------------------------------------
def _calendar(wf: Workflow) -> Calendar:
    return load_calendar(wf.calendar)


def _start_clock(case: Case, wf: Workflow, limit: TimeLimit, now: datetime, cal: Calendar) -> None:
    due = cal.deadline(now, limit.days_for(case.priority))
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
        case=case, seq=case.last_seq, at=at, actor=actor, action=action, label=label,
        from_state=from_state, to_state=to_state, reason=reason, data=data or {},
    )


# -- Opening a case ----------------------------------------------------------------------------
def open_case(
    *,
    kind: str | registry.CaseKind,
    title: str,
    region: Region | str,
    reporter: User | None = None,
    priority: str = Priority.NORMAL,
    source: str = "",
    description: str = "",
    data: dict | None = None,
    now: datetime | None = None,
    center_org: OrgUnit | None = None,
    reporter_name: str = "",
) -> Case:
    """Register a new case (上报) in the kind's initial state, numbered per kind and year.

    ``center_org`` is the 综治中心 that takes it in; by default the nearest centre at or above the
    kind's ``intake_level``. A domain calls this inside its own transaction and then creates its
    detail row with ``case=``.
    """
    kind_def = registry.get_kind(kind)
    wf = kind_def.workflow
    title = (title or "").strip()
    if not title:
        raise InvalidTransition("「标题」为必填项", field="title")
    if priority not in dict(wf.priorities):
        raise InvalidTransition(f"「紧急程度」须为 {'、'.join(label for _c, label in wf.priorities)} 之一",
                                field="priority")
    if not isinstance(region, Region):
        region_obj = Region.objects.filter(pk=region).first()
        if region_obj is None:
            raise InvalidTransition(f"「所在区划」{region} 不存在", field="region")
        region = region_obj
    now = now or clock.now()
    if center_org is None:
        center_org = CentreFinder().intake(region.code, kind_def.intake_level)
    with transaction.atomic(), core_audit.batch():
        case = Case(
            kind=kind_def.code,
            number=allocate_number(kind_def.code, timezone.localtime(now).year),
            title=title,
            description=description or "",
            region=region,
            status=wf.initial,
            priority=priority,
            source=source or "",
            center_org=center_org,
            reporter=reporter,
            reporter_name=reporter_name or "",
            opened_at=now,
            data=data or {},
            updated_at=now,
        )
        case.status = ""
        _move(case, wf, wf.initial, now)
        case.last_seq = 1  # the opening event, written next
        case.save()
        CaseEvent.objects.create(
            case=case, seq=1, at=now, actor=reporter, action="open", label=gettext_noop("上报"), from_state="",
            to_state=case.status, data={"number": case.number, "center_org": center_org.name if center_org else ""},
        )
        _audit(action="create", actor=reporter, obj=case,
               after={"number": case.number, "kind": case.kind, "status": case.status, "priority": case.priority,
                      "center_org": case.center_org_id})
    return case


# -- Taking a step -----------------------------------------------------------------------------
def _lock(case: Case | int) -> Case:
    pk = getattr(case, "pk", case)
    return Case.objects.select_for_update().get(pk=pk)


def _visible_org(actor: User, org: OrgUnit | int | None) -> OrgUnit | None:
    """The unit, if the actor may hand a case to it (see ``rules.assignable_orgs``)."""
    if org in (None, ""):
        return None
    pk = getattr(org, "pk", org)
    return assignable_orgs(actor).filter(pk=pk).first()


def _resolve_inputs(case: Case, t: Transition, actor: User, data: dict, target_org, target_user,
                    now: datetime) -> dict:
    """Check what the step needs (named field, Chinese rule) and return the resolved values."""
    wf = case.workflow
    out: dict[str, Any] = {}
    effect = t.effect
    if effect in ("assign", "transfer"):
        if target_org in (None, "") and target_user in (None, ""):
            raise InvalidTransition(f"执行「{t.label}」须选择「承办单位」或「承办人」", field="target_org")
        org = None
        if target_org not in (None, ""):
            org = _visible_org(actor, target_org)
            if org is None:
                raise InvalidTransition("「承办单位」不存在或不在您的辖区内", field="target_org")
        user = None
        if target_user not in (None, ""):
            pk = getattr(target_user, "pk", target_user)
            user = User.objects.filter(pk=pk, is_active=True).select_related("org_unit").first()
            if user is None or not has_business_role(user):
                raise InvalidTransition("「承办人」不存在或没有业务角色", field="target_user")
            if org is not None and user.org_unit_id != org.pk:
                raise InvalidTransition("「承办人」不属于所选「承办单位」", field="target_user")
            if org is None:
                org = _visible_org(actor, user.org_unit_id)
                if org is None:
                    raise InvalidTransition("「承办人」所在单位不在您的辖区内", field="target_user")
        if effect == "transfer" and org.pk == case.handling_org_id and (user is None or user.pk == case.handler_id):
            raise InvalidTransition("转办对象与当前承办单位相同", field="target_org")
        out["target_org"], out["target_user"] = org, user
    elif effect == "cohandle":
        org = _visible_org(actor, target_org) if target_org not in (None, "") else None
        if org is None:
            raise InvalidTransition("执行「协办」须选择辖区内的「协办单位」", field="target_org")
        if org.pk == case.handling_org_id:
            raise InvalidTransition("「协办单位」不能是承办单位本身", field="target_org")
        if case.co_orgs.filter(pk=org.pk).exists():
            raise InvalidTransition(f"「{org.name}」已是协办单位", field="target_org")
        out["target_org"] = org
    elif effect == "escalate":
        finder = CentreFinder()
        current = case.center_org_id or case.handling_org_id
        above = finder.above(case.region_id, current)
        if above is None:
            raise InvalidTransition("已是最高一级综治中心，不能再上报上级", field="transition")
        out["target_org"] = above
    elif effect == "extend":
        try:
            days = int(data.get("days"))
        except (TypeError, ValueError):
            days = 0
        if not 1 <= days <= wf.max_days:
            raise InvalidTransition(f"「延期天数」须为 1 到 {wf.max_days} 之间的整数", field="days")
        if case.due_at is None or case.stage_started_at is None:
            raise InvalidTransition("当前阶段没有办理期限，无需延期", field="days")
        cal = _calendar(wf)
        new_due = cal.deadline(case.due_at, days)
        cap = cal.deadline(case.stage_started_at, wf.max_days)
        if case.paused_seconds:
            cap += timedelta(seconds=case.paused_seconds)
        if new_due > cap:
            raise InvalidTransition(
                f"延期后办理期限不得超过{wf.max_days}天（最晚 {timezone.localtime(cap):%Y-%m-%d}）", field="days"
            )
        out["days"], out["new_due"] = days, new_due
    elif effect == "duplicate":
        ref = data.get("duplicate_of")
        other = None
        if ref not in (None, ""):
            visible = Case.objects.visible_to(actor)
            other = (visible.filter(number=str(ref).strip()).first()
                     or (visible.filter(pk=int(ref)).first() if str(ref).isdigit() else None))
        if other is None or other.pk == case.pk:
            raise InvalidTransition("「重复于」须填写您辖区内另一事项的编号", field="duplicate_of")
        if other.duplicate_of_id == case.pk:
            raise InvalidTransition("两个事项不能互为重复件", field="duplicate_of")
        out["duplicate_of"] = other
    elif effect == "visit":
        satisfaction = data.get("satisfaction")
        if satisfaction not in dict(SATISFACTION):
            raise InvalidTransition(
                f"「满意度」须为 {'、'.join(label for _c, label in SATISFACTION)} 之一", field="satisfaction"
            )
        out["satisfaction"] = satisfaction
    if "result" in t.inputs:
        result = str(data.get("result") or "").strip()
        if not result:
            raise InvalidTransition(f"「办理结果」为必填项：执行「{t.label}」须写明办理结果", field="result")
        out["result"] = result
    return out


def _serializable(inputs: dict) -> dict:
    out: dict[str, Any] = {}
    for key, value in inputs.items():
        if isinstance(value, OrgUnit | User | Case):
            out[key] = value.pk
            out[f"{key}_name"] = str(value.number if isinstance(value, Case) else value)
        elif isinstance(value, datetime):
            out[key] = value.isoformat()
        elif value is not None:
            out[key] = value
    return out


def _from_serialized(inputs: dict) -> tuple[dict, Any, Any]:
    data = {k: v for k, v in inputs.items() if not k.endswith("_name")}
    return data, data.pop("target_org", None), data.pop("target_user", None)


def _apply_effect(case: Case, t: Transition, inputs: dict, now: datetime) -> None:
    effect = t.effect
    if effect in ("assign", "transfer"):
        case.handling_org = inputs["target_org"]
        case.handler = inputs.get("target_user")
    elif effect == "release":
        case.handling_org = None
        case.handler = None
    elif effect == "escalate":
        case.center_org = inputs["target_org"]
        case.handling_org = None
        case.handler = None
    elif effect == "extend":
        wf = case.workflow
        cal = _calendar(wf)
        case.due_at = inputs["new_due"]
        case.warn_at = cal.warning_point(now, case.due_at, wf.warning_ratio)
        case.stage_no += 1
        if case.due_at > now:
            case.overdue_at = None
        if case.warn_at > now:
            case.warned_at = None
    elif effect == "duplicate":
        case.duplicate_of = inputs["duplicate_of"]
    elif effect == "visit":
        case.data = {**case.data, "satisfaction": inputs["satisfaction"], "visited_at": now.isoformat()}


def _finish(case: Case, *, actor, t: Transition, action: str, label: str, from_state: str, reason: str,
            inputs: dict, now: datetime, extra: dict | None = None, applied: bool = False) -> Case:
    case.version += 1
    case.updated_at = now
    data = {**_serializable(inputs), **(extra or {})}
    event = _append_event(case, actor=actor, action=action, label=label, from_state=from_state,
                          to_state=case.status, at=now, reason=reason, data=data)
    case.save()
    if applied and t.effect == "cohandle":
        case.co_orgs.add(inputs["target_org"])
    hook = case.kind_def.on_transition
    if applied and hook is not None:
        hook(case=case, event=event, transition=t, actor=actor, data=inputs)
    _audit(action="transition", actor=actor, obj=case,
           after={"number": case.number, "step": action, "from": from_state, "to": case.status,
                  "version": case.version, **data},
           reason=reason)
    return case


def _apply(case: Case, t: Transition, *, actor, reason: str, inputs: dict, now: datetime,
           extra: dict | None = None, label: str | None = None) -> Case:
    from_state = case.status
    _move(case, case.workflow, t.target, now, restart=t.restart_clock)
    _apply_effect(case, t, inputs, now)
    if t.takes_over and actor.org_unit_id and actor.org_unit.kind in CENTRE_KINDS:
        case.center_org = actor.org_unit
    case.pending_transition = ""
    case.pending_data = {}
    return _finish(case, actor=actor, t=t, action=t.name, label=label or t.label, from_state=from_state,
                   reason=reason, inputs=inputs, now=now, extra=extra, applied=True)


def transition_case(
    *,
    case: Case | int,
    actor: User,
    transition: str,
    expected_version: int,
    reason: str = "",
    data: dict | None = None,
    target_org: OrgUnit | int | None = None,
    target_user: User | int | None = None,
    now: datetime | None = None,
) -> Case:
    """Take one step of a case's workflow (or approve/deny a pending request) and return the case.

    Raises ``CaseConflict`` when ``expected_version`` is not the current version,
    ``TransitionNotAllowed`` when the actor may not take the step, ``InvalidTransition`` (with the
    field) when the state does not allow it or an input is missing or wrong.
    """
    now = now or clock.now()
    data = dict(data or {})
    reason = (reason or "").strip()
    with transaction.atomic(), core_audit.batch():
        case = _lock(case)
        if not Case.objects.visible_to(actor).filter(pk=case.pk).exists():
            raise TransitionNotAllowed("您无权办理此事项")
        try:
            stale = int(expected_version) != case.version
        except (TypeError, ValueError):
            stale = True
        if stale:
            raise CaseConflict(case, expected_version)
        wf = case.workflow
        if transition in (APPROVE, DENY):
            return _decide(case, actor=actor, approve=transition == APPROVE, reason=reason, now=now)
        if transition == SUPERVISE:
            raise InvalidTransition("督办请使用「督办」功能", field="transition")
        t = wf.transition(transition)
        if t is None:
            raise InvalidTransition(f"没有「{transition}」这项操作", field="transition")
        if case.status not in t.sources:
            raise InvalidTransition(f"事项当前状态为「{wf.state_label(case.status)}」，不能执行「{t.label}」",
                                    field="transition")
        if not may_take(actor, case, t.roles):
            raise TransitionNotAllowed(f"您的角色不能对此事项执行「{t.label}」")
        if t.reason_required and not reason:
            raise InvalidTransition(f"「{t.reason_label}」为必填项：执行「{t.label}」必须说明理由", field="reason")
        inputs = _resolve_inputs(case, t, actor, data, target_org, target_user, now)
        if t.needs_approval and not may_approve(actor, case, t):
            return _request(case, t, actor=actor, reason=reason, inputs=inputs, now=now)
        return _apply(case, t, actor=actor, reason=reason, inputs=inputs, now=now)


def _request(case: Case, t: Transition, *, actor, reason: str, inputs: dict, now: datetime) -> Case:
    """A step that needs the centre's approval: record the request; the state does not change yet."""
    if case.pending_transition:
        pending = case.workflow.transition(case.pending_transition)
        raise InvalidTransition(
            f"已有待审批的「{pending.label if pending else case.pending_transition}」申请，请等待审批结果",
            field="transition",
        )
    case.pending_transition = t.name
    case.pending_data = {
        "by": actor.pk, "by_name": str(actor), "at": now.isoformat(), "reason": reason,
        "inputs": _serializable(inputs),
    }
    return _finish(case, actor=actor, t=t, action=f"request:{t.name}", label=f"申请{t.label}",
                   from_state=case.status, reason=reason, inputs=inputs, now=now)


def _decide(case: Case, *, actor, approve: bool, reason: str, now: datetime) -> Case:
    wf = case.workflow
    t = wf.transition(case.pending_transition) if case.pending_transition else None
    if t is None:
        raise InvalidTransition("此事项没有待审批的申请", field="transition")
    if not may_approve(actor, case, t):
        raise TransitionNotAllowed(f"您的角色不能审批「{t.label}」申请")
    request = dict(case.pending_data)
    extra = {"requested_by": request.get("by"), "requested_by_name": request.get("by_name", ""),
             "request_reason": request.get("reason", "")}
    if not approve:
        if not reason:
            raise InvalidTransition(f"「驳回理由」为必填项：驳回「{t.label}」申请必须说明理由", field="reason")
        case.pending_transition = ""
        case.pending_data = {}
        return _finish(case, actor=actor, t=t, action=f"deny:{t.name}", label=f"驳回{t.label}申请",
                       from_state=case.status, reason=reason, inputs={}, now=now, extra=extra)
    if case.status not in t.sources:
        raise InvalidTransition(f"事项当前状态为「{wf.state_label(case.status)}」，申请的「{t.label}」已不适用",
                                field="transition")
    data, target_org, target_user = _from_serialized(request.get("inputs", {}))
    inputs = _resolve_inputs(case, t, actor, data, target_org, target_user, now)
    return _apply(case, t, actor=actor, reason=reason or request.get("reason", ""), inputs=inputs, now=now,
                  extra=extra, label=f"{t.label}（批准申请）")


def link_duplicate(*, case: Case | int, duplicate_of: Case, actor: User, expected_version: int, reason: str = "",
                   now: datetime | None = None) -> Case:
    """Close ``case`` as a duplicate of ``duplicate_of`` (重复件)."""
    return transition_case(case=case, actor=actor, transition="mark_duplicate", expected_version=expected_version,
                           reason=reason, data={"duplicate_of": duplicate_of.number}, now=now)


# -- Supervision (督办) -------------------------------------------------------------------------
def issue_supervision(*, case: Case | int, actor: User, reason: str, to_org: OrgUnit | int | None = None,
                      now: datetime | None = None) -> Supervision:
    """A supervision notice issued by hand (人工督办) to the unit whose move it is."""
    now = now or clock.now()
    reason = (reason or "").strip()
    with transaction.atomic(), core_audit.batch():
        case = _lock(case)
        if not Case.objects.visible_to(actor).filter(pk=case.pk).exists():
            raise TransitionNotAllowed("您无权办理此事项")
        if not case.is_open:
            raise InvalidTransition("已办结的事项不能督办", field="transition")
        if not may_supervise(actor, case):
            raise TransitionNotAllowed("您没有督办此事项的权限")
        if not reason:
            raise InvalidTransition("「督办事由」为必填项", field="reason")
        if to_org not in (None, ""):
            target = _visible_org(actor, to_org)
            if target is None:
                raise InvalidTransition("「被督办单位」不存在或不在您的辖区内", field="to_org")
        else:
            target_id = owner_org_id(case)
            target = OrgUnit.objects.filter(pk=target_id).first() if target_id else None
            if target is None:
                raise InvalidTransition("此事项尚无承办单位，请指定「被督办单位」", field="to_org")
        wf = case.workflow
        supervision = Supervision.objects.create(
            case=case, automatic=False, issued_at=now, issued_by=actor, to_org=target,
            centre_org=actor.org_unit, reason=reason,
            reply_due_at=now + timedelta(days=wf.escalation.reply_days),
        )
        _append_event(case, actor=actor, action="supervise", label=gettext_noop("督办"),
                      from_state=case.status, to_state=case.status, at=now, reason=reason,
                      data={"supervision": supervision.pk, "to_org": target.pk, "to_org_name": target.name})
        case.save(update_fields=["last_seq"])
        _audit(action="create", actor=actor, obj=supervision,
               after={"case": case.number, "to_org": target.pk, "centre_org": supervision.centre_org_id},
               reason=reason)
    return supervision


def _lock_supervision(supervision: Supervision | int) -> Supervision:
    return Supervision.objects.select_for_update().get(pk=getattr(supervision, "pk", supervision))


def _may_answer(actor: User, supervision: Supervision) -> bool:
    return bool(actor.org_unit_id) and actor.org_unit_id == supervision.to_org_id and has_business_role(actor)


def serve_supervision(*, supervision: Supervision | int, actor: User, now: datetime | None = None) -> Supervision:
    """签收: a member of the supervised unit acknowledges the notice (once)."""
    now = now or clock.now()
    with transaction.atomic():
        supervision = _lock_supervision(supervision)
        if not _may_answer(actor, supervision):
            raise TransitionNotAllowed("只有被督办单位的人员可以签收")
        if supervision.served_at is None:
            supervision.served_at, supervision.served_by = now, actor
            supervision.save(update_fields=["served_at", "served_by"])
            _audit(action="update", actor=actor, obj=supervision, after={"served_at": now.isoformat()})
    return supervision


def reply_supervision(*, supervision: Supervision | int, actor: User, reply: str,
                      now: datetime | None = None) -> Supervision:
    """回复督办: the supervised unit states what it has done; recorded on the case's timeline."""
    now = now or clock.now()
    reply = (reply or "").strip()
    with transaction.atomic():
        supervision = _lock_supervision(supervision)
        if not _may_answer(actor, supervision):
            raise TransitionNotAllowed("只有被督办单位的人员可以回复督办")
        if supervision.replied_at is not None:
            raise InvalidTransition("该督办已回复", field="reply")
        if not reply:
            raise InvalidTransition("「回复内容」为必填项", field="reply")
        if supervision.served_at is None:
            supervision.served_at, supervision.served_by = now, actor
        supervision.reply, supervision.replied_at, supervision.replied_by = reply, now, actor
        supervision.save(update_fields=["served_at", "served_by", "reply", "replied_at", "replied_by"])
        case = _lock(supervision.case_id)
        _append_event(case, actor=actor, action="supervision_reply", label=gettext_noop("回复督办"),
                      from_state=case.status, to_state=case.status, at=now, reason=reply,
                      data={"supervision": supervision.pk})
        case.save(update_fields=["last_seq"])
        _audit(action="update", actor=actor, obj=supervision,
               after={"case": case.number, "replied_at": now.isoformat()})
    return supervision


# -- The sweep: warnings, overdue marks, automatic 督办 ----------------------------------------------
@dataclass
class SweepResult:
    now: datetime
    warned: list[str] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)
    supervisions: int = 0

    def as_dict(self) -> dict:
        return {"now": self.now.isoformat(), "warned": len(self.warned), "overdue": len(self.overdue),
                "supervisions": self.supervisions, "warned_numbers": self.warned[:100],
                "overdue_numbers": self.overdue[:100]}

    def __str__(self) -> str:
        return (f"临期预警 {len(self.warned)} 件，逾期 {len(self.overdue)} 件，"
                f"自动督办 {self.supervisions} 件（{timezone.localtime(self.now):%Y-%m-%d %H:%M}）")


def _chunks(ids: list[int], size: int):
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def sweep(*, now: datetime | None = None, batch: int = 2000) -> SweepResult:
    """One pass over open cases: mark those past the warning point and those past their deadline,
    and send every newly overdue case an automatic 督办 (to the unit whose move it is, copied to the
    centre above). Idempotent: a second pass at the same time changes nothing."""
    now = now or clock.now()
    result = SweepResult(now)
    finder = CentreFinder()
    finder.preload()
    overdue_ids = list(Case.objects.overdue(now).filter(overdue_at__isnull=True).order_by("pk")
                       .values_list("pk", flat=True))
    for chunk in _chunks(overdue_ids, batch):
        _sweep_overdue(chunk, now, result, finder)
    warn_ids = list(Case.objects.warning(now).filter(warned_at__isnull=True).order_by("pk")
                    .values_list("pk", flat=True))
    for chunk in _chunks(warn_ids, batch):
        _sweep_warning(chunk, now, result)
    if result.warned or result.overdue:
        log.info("workflow.sweep warned=%s overdue=%s supervisions=%s", len(result.warned), len(result.overdue),
                 result.supervisions)
    return result


def _kind_workflow(case: Case) -> Workflow | None:
    try:
        return case.workflow
    except LookupError:
        log.warning("workflow.sweep.unknown_kind case=%s kind=%s", case.pk, case.kind)
        return None


def _sweep_overdue(ids: list[int], now: datetime, result: SweepResult, finder: CentreFinder) -> None:
    with transaction.atomic():
        cases = list(
            Case.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, is_open=True, paused_since__isnull=True, overdue_at__isnull=True, due_at__lte=now)
            .order_by("pk")
        )
        if not cases:
            return
        existing = set(
            Supervision.objects.filter(case__in=cases, automatic=True).values_list("case_id", "auto_key")
        )
        events, notices, changed = [], [], []
        for case in cases:
            wf = _kind_workflow(case)
            if wf is None:
                continue
            case.overdue_at = now
            case.warned_at = case.warned_at or now
            limit = wf.limit_for(case.status)
            stage_label = limit.label if limit else ""
            due_text = f"{timezone.localtime(case.due_at):%Y-%m-%d %H:%M}"
            to_id = owner_org_id(case)
            to_org = finder.org(to_id) if to_id else None
            centre = finder.above(case.region_id, to_org) if to_org else None
            key = f"overdue:{case.stage_no}"
            reason = f"已超过{stage_label}期限（{due_text}）"
            if wf.escalation.supervise_when_overdue and to_org is not None and (case.pk, key) not in existing:
                notices.append(Supervision(
                    case=case, automatic=True, auto_key=key, issued_at=now, to_org=to_org, centre_org=centre,
                    reason=f"「{case.number} {case.title}」{reason}，请抓紧办理并回复。",
                    reply_due_at=now + timedelta(days=wf.escalation.reply_days),
                ))
                reason += f"，已自动督办{to_org.name}" + (f"并抄送{centre.name}" if centre else "")
            case.last_seq += 1
            events.append(CaseEvent(
                case=case, seq=case.last_seq, at=now, actor=None, action="overdue", label=gettext_noop("逾期"),
                from_state=case.status, to_state=case.status, reason=reason,
                data={"due_at": case.due_at.isoformat(), "stage": case.stage,
                      "to_org": to_id, "centre_org": centre.pk if centre else None},
            ))
            changed.append(case)
            result.overdue.append(case.number)
        Supervision.objects.bulk_create(notices)
        CaseEvent.objects.bulk_create(events)
        # One set-based UPDATE (every changed case got exactly one event): far cheaper than
        # bulk_update's CASE WHEN per row.
        Case.objects.filter(pk__in=[c.pk for c in changed]).update(
            overdue_at=now, warned_at=Coalesce("warned_at", Value(now)), last_seq=F("last_seq") + 1)
        result.supervisions += len(notices)
        if changed:
            _audit(action="update", actor=None, object_type="workflow.case",
                   after={"sweep": "overdue", "at": now.isoformat(), "cases": [c.number for c in changed],
                          "supervisions": len(notices)})


def _sweep_warning(ids: list[int], now: datetime, result: SweepResult) -> None:
    with transaction.atomic():
        cases = list(
            Case.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, is_open=True, paused_since__isnull=True, warned_at__isnull=True,
                    warn_at__lte=now, due_at__gt=now)
            .order_by("pk")
        )
        events = []
        for case in cases:
            case.warned_at = now
            case.last_seq += 1
            events.append(CaseEvent(
                case=case, seq=case.last_seq, at=now, actor=None, action="warning", label=gettext_noop("临期预警"),
                from_state=case.status, to_state=case.status,
                reason=f"办理期限 {timezone.localtime(case.due_at):%Y-%m-%d %H:%M}，请抓紧办理",
                data={"due_at": case.due_at.isoformat(), "stage": case.stage},
            ))
            result.warned.append(case.number)
        if cases:
            CaseEvent.objects.bulk_create(events)
            Case.objects.filter(pk__in=[c.pk for c in cases]).update(warned_at=now, last_seq=F("last_seq") + 1)
            _audit(action="update", actor=None, object_type="workflow.case",
                   after={"sweep": "warning", "at": now.isoformat(), "cases": [c.number for c in cases]})


__all__ = [
    "CaseConflict", "InvalidTransition", "SweepResult", "TransitionNotAllowed", "WorkflowError",
    "allocate_number", "in_jurisdiction", "issue_supervision", "link_duplicate", "open_case",
    "reply_supervision", "serve_supervision", "sweep", "transition_case",
]


# -- Cases whose history already happened (ledger imports, the demo world) ----------------------
@dataclass
class PastStep:
    """One step that was taken on a case: a transition name of its workflow, when and by whom."""

    transition: str
    at: datetime
    actor: User | None = None
    reason: str = ""
    target_org: OrgUnit | None = None
    target_user: User | None = None
    data: dict = field(default_factory=dict)


@dataclass
class PastCase:
    kind: str
    title: str
    region_id: str
    opened_at: datetime
    steps: list[PastStep] = field(default_factory=list)
    reporter: User | None = None
    reporter_name: str = ""
    priority: str = Priority.NORMAL
    source: str = ""
    description: str = ""
    center_org: OrgUnit | None = None
    data: dict = field(default_factory=dict)


_REPLAYABLE_EFFECTS = ("", "assign", "transfer", "release", "visit")


def import_cases(items: list[PastCase], *, actor: User | None = None, note: str = "") -> list[Case]:
    """Register cases with their past steps in bulk, replaying each step through the kind's workflow.

    Every step must be a legal transition from the state the case is in at that moment (checked the
    same way as a live step, but without role checks: the importing user vouches for the history),
    and the time-limit clock runs as it would have. Steps needing approval and effects other than
    assign/transfer/release/visit are refused. Numbers come from the same counters as live cases.
    Writes Case and CaseEvent rows with ``bulk_create`` and one audit entry for the whole import.
    Call inside the domain's transaction; the domain then creates its detail rows.
    """
    if not items:
        return []
    finder = CentreFinder()
    cases: list[Case] = []
    events: list[list[CaseEvent]] = []
    by_kind_year: dict[tuple[str, int], list[int]] = {}
    for idx, item in enumerate(items):
        kind_def = registry.get_kind(item.kind)
        wf = kind_def.workflow
        case = Case(
            kind=kind_def.code, number="", title=item.title, description=item.description, region_id=item.region_id,
            priority=item.priority, source=item.source, reporter=item.reporter, reporter_name=item.reporter_name,
            opened_at=item.opened_at, data=dict(item.data), updated_at=item.opened_at,
            center_org=item.center_org or finder.intake(item.region_id, kind_def.intake_level),
        )
        case.status = ""
        _move(case, wf, wf.initial, item.opened_at)
        evs = [CaseEvent(seq=1, at=item.opened_at, actor=item.reporter, action="open", label=gettext_noop("上报"),
                         from_state="", to_state=case.status, data={})]
        for step in sorted(item.steps, key=lambda s: s.at):
            t = wf.transition(step.transition)
            if t is None or case.status not in t.sources:
                state = wf.state_label(case.status)
                raise InvalidTransition(
                    f"第{idx + 1}件「{item.title}」：在状态「{state}」不能执行「{step.transition}」", field="steps"
                )
            if t.needs_approval or t.effect not in _REPLAYABLE_EFFECTS:
                raise InvalidTransition(f"历史导入不支持「{t.label}」这类步骤", field="steps")
            inputs = {"target_org": step.target_org, "target_user": step.target_user, **step.data}
            from_state = case.status
            _move(case, wf, t.target, step.at, restart=t.restart_clock)
            _apply_effect(case, t, inputs, step.at)
            if t.takes_over and step.actor is not None and step.actor.org_unit_id:
                case.center_org_id = step.actor.org_unit_id
            data = dict(step.data)
            if step.target_org is not None:
                data["target_org_name"] = step.target_org.name
            if step.target_user is not None:
                data["target_user_name"] = str(step.target_user)
            evs.append(CaseEvent(seq=len(evs) + 1, at=step.at, actor=step.actor, action=t.name, label=t.label,
                                 from_state=from_state, to_state=case.status, reason=step.reason, data=data))
            case.version += 1
            case.updated_at = step.at
        case.last_seq = len(evs)
        cases.append(case)
        events.append(evs)
        year = timezone.localtime(item.opened_at).year
        by_kind_year.setdefault((case.kind, year), []).append(idx)
    for (kind_code, year), idxs in by_kind_year.items():
        for idx, number in zip(idxs, allocate_numbers(kind_code, year, len(idxs)), strict=True):
            cases[idx].number = number
    Case.objects.bulk_create(cases, batch_size=1000)
    rows = []
    for case, evs in zip(cases, events, strict=True):
        for ev in evs:
            ev.case = case
            rows.append(ev)
    CaseEvent.objects.bulk_create(rows, batch_size=2000)
    _audit(action="import", actor=actor, object_type="workflow.case", reason=note,
           after={"count": len(cases), "first": cases[0].number, "last": cases[-1].number,
                  "kinds": sorted({c.kind for c in cases})})
    return cases
