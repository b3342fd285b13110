"""Opening a case and taking a step of its workflow (with approvals, guards and domain steps)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from anmin.core import audit as core_audit
from anmin.core import bulkcopy, clock, txn
from anmin.core.actors import as_user
from anmin.core.bounds import TEXT_MAX, text_limit_message
from anmin.core.guards import action
from anmin.core.models import OrgUnit, Region, User

from .. import notify, registry
from ..definitions import APPROVE, DENY, SATISFACTION, SUPERVISE, Transition
from ..models import Case, CaseEvent, Priority, has_business_role
from ..rules import (
    CentreFinder,
    assignable_orgs,
    may_approve,
    may_take,
)
from .base import (
    CENTRE_KINDS,
    CaseConflict,
    InvalidTransition,
    TransitionNotAllowed,
    _append_event,
    _audit,
    _calendar,
    _move,
)
from .numbers import allocate_number


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
        center_org = CentreFinder.kept().intake(region.code, kind_def.intake_level)
    with txn.part(), core_audit.batch():
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
            reporter=as_user(reporter),
            reporter_name=reporter_name or "",
            opened_at=now,
            data=data or {},
            updated_at=now,
        )
        case.status = ""
        _move(case, wf, wf.initial, now)
        case.last_seq = 1  # the opening event, written next
        bulkcopy.insert(case)
        bulkcopy.insert(CaseEvent(
            case=case, seq=1, at=now, actor=as_user(reporter), action="open", label=gettext_noop("上报"), from_state="",
            to_state=case.status, data={"number": case.number, "center_org": center_org.name if center_org else ""},
        ))
        _audit(action="create", actor=reporter, obj=case,
               after={"number": case.number, "kind": case.kind, "status": case.status, "priority": case.priority,
                      "center_org": case.center_org_id})
    return case


@action(perm="workflow.add_case", region="region", what="登记交办事项")
def open_task(*, actor, title: str, region: Region | str, kind: str | registry.CaseKind = "task",
              description: str = "", priority: str = Priority.NORMAL, source: str = "上级交办",
              target_org: OrgUnit | int | None = None, data: dict | None = None,
              now: datetime | None = None) -> Case:
    """登记交办事项 (or another kind that may be opened without a domain form): opened by the
    actor's own centre and, when ``target_org`` is named, accepted and handed to that unit in the same
    transaction — all three steps on the timeline, or none."""
    kind_def = registry.get_kind(kind)
    if not kind_def.creatable:
        raise InvalidTransition(f"「{kind_def.label}」须通过其业务模块登记", field="kind")
    with transaction.atomic():
        case = open_case(kind=kind_def, title=title, description=description, region=region, reporter=actor,
                         priority=priority, source=source, data=data, now=now,
                         # The engine's own 交办事项 are handed out by the creating centre itself.
                         center_org=actor.org_unit if kind_def.key == "task" and actor.org_unit_id else None)
        if target_org not in (None, ""):
            case = transition_case(case=case, actor=actor, transition="accept", expected_version=case.version,
                                   now=now)
            case = transition_case(case=case, actor=actor, transition="assign", expected_version=case.version,
                                   target_org=target_org, now=now)
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
        days = _whole_number(data.get("days"))
        if days is None or not 1 <= days <= wf.max_days:
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
            ref = str(ref).strip()
            # An id in ASCII digits (str.isdigit also takes ² and ①, which int() refuses).
            other = (visible.filter(number=ref).first()
                     or (visible.filter(pk=int(ref)).first() if ref.isascii() and ref.isdigit() else None))
        if other is None or other.pk == case.pk:
            raise InvalidTransition("「重复于」须填写您辖区内另一事项的编号", field="duplicate_of")
        if other.duplicate_of_id == case.pk:
            raise InvalidTransition("两个事项不能互为重复件", field="duplicate_of")
        out["duplicate_of"] = other
    elif effect == "visit":
        satisfaction = data.get("satisfaction")
        if not isinstance(satisfaction, str) or satisfaction not in dict(SATISFACTION):  # a list is unhashable
            raise InvalidTransition(
                f"「满意度」须为 {'、'.join(label for _c, label in SATISFACTION)} 之一", field="satisfaction"
            )
        out["satisfaction"] = satisfaction
    if "result" in t.inputs:
        result = data.get("result")
        # Text, as the page's field gives it (an API step's data is JSON: {"a": 1} was kept as "{'a': 1}"),
        # within the bound of free text (it is kept in the timeline's JSON, which no column bounds).
        if result is not None and not isinstance(result, str):
            raise InvalidTransition("「办理结果」须为文字", field="result")
        result = (result or "").strip()
        if not result:
            raise InvalidTransition(f"「办理结果」为必填项：执行「{t.label}」须写明办理结果", field="result")
        if len(result) > TEXT_MAX:
            raise InvalidTransition(text_limit_message("办理结果", TEXT_MAX, len(result)), field="result")
        out["result"] = result
    return out


def _whole_number(value: Any) -> int | None:
    """``value`` as a whole number, or None: an int, a float with nothing after the point (3.0), or ASCII
    digits ("3") — not 3.5 or true, which ``int()`` read as 3 and 1 (an API step's ``data`` is JSON)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str) and value.strip().lstrip("-").isascii() and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


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
    if applied:
        notify.on_step(case, t, event, inputs)
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


@action(target="case", model=Case, what="办理事项")
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
    domain: str = "",
) -> Case:
    """Take one step of a case's workflow (or approve/deny a pending request) and return the case.

    A step the case kind owns (``CaseKind.domain_steps``) is taken only by the domain's own actions,
    which pass ``domain=<their app label>``; the generic page and endpoint get ``TransitionNotAllowed``
    pointing to the domain's page. The kind's guard for the step is checked inside the lock.

    Raises ``CaseConflict`` when ``expected_version`` is not the current version,
    ``TransitionNotAllowed`` when the actor may not take the step, ``InvalidTransition`` (with the
    field) when the state does not allow it or an input is missing or wrong.
    """
    now = now or clock.now()
    if data is not None and not isinstance(data, dict):
        raise InvalidTransition("「业务数据」须为 JSON 对象（如 {\"days\": 3}）", field="data")
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
        _refuse_domain_step(case, t, domain)
        if case.status not in t.sources:
            raise InvalidTransition(f"事项当前状态为「{wf.state_label(case.status)}」，不能执行「{t.label}」",
                                    field="transition")
        if not may_take(actor, case, t.roles):
            raise TransitionNotAllowed(f"您的角色不能对此事项执行「{t.label}」")
        if t.reason_required and not reason:
            raise InvalidTransition(f"「{t.reason_label}」为必填项：执行「{t.label}」必须说明理由", field="reason")
        inputs = _resolve_inputs(case, t, actor, data, target_org, target_user, now)
        _check_guard(case, t, actor, data)
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
        "by": getattr(as_user(actor), "pk", None), "by_name": str(actor), "at": now.isoformat(), "reason": reason,
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
    _check_guard(case, t, actor, data)
    return _apply(case, t, actor=actor, reason=reason or request.get("reason", ""), inputs=inputs, now=now,
                  extra=extra, label=f"{t.label}（批准申请）")


def _refuse_domain_step(case: Case, t: Transition, domain: str) -> None:
    kind = case.kind_def
    if kind.owns(t.name) and domain != kind.app:
        where = kind.domain_step_labels.get(t.name) or t.label
        raise TransitionNotAllowed(
            f"「{t.label}」须在{kind.label}页面通过「{where}」办理（需填写{kind.label}的办理内容），"
            "不能在通用事项页面直接执行"
        )


def _check_guard(case: Case, t: Transition, actor, data: dict) -> None:
    reason = case.kind_def.refusal(case=case, actor=actor, transition=t, data=data)
    if reason:
        raise InvalidTransition(f"不能执行「{t.label}」：{reason}", field="transition")


@action(open_to="the engine's primitive, called inside a domain action that checked the actor")
def record_case_event(*, case: Case | int, actor, action: str, label: str, reason: str = "",
                      data: dict | None = None, now: datetime | None = None) -> CaseEvent:
    """A domain step that does not move the case (a mediation session, a contact attempt, a risk
    flag raised by another registry) written on the case's timeline. Call it inside the domain
    action's transaction; the case row is locked so the timeline's numbering stays gapless. The
    domain action checks who may do it; the case's version does not change (no step of the
    workflow was taken)."""
    now = now or clock.now()
    with transaction.atomic():
        locked = _lock(case)
        event = _append_event(locked, actor=actor, action=action, label=label, from_state=locked.status,
                              to_state=locked.status, at=now, reason=reason, data=data or {})
        locked.updated_at = now
        locked.save(update_fields=["last_seq", "updated_at"])
    if isinstance(case, Case):
        case.last_seq, case.updated_at = locked.last_seq, locked.updated_at
    return event


@action(target="case", model=Case, what="标记重复件")
def link_duplicate(*, case: Case | int, duplicate_of: Case, actor: User, expected_version: int, reason: str = "",
                   now: datetime | None = None) -> Case:
    """Close ``case`` as a duplicate of ``duplicate_of`` (重复件)."""
    return transition_case(case=case, actor=actor, transition="mark_duplicate", expected_version=expected_version,
                           reason=reason, data={"duplicate_of": duplicate_of.number}, now=now)
