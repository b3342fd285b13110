"""督办: supervision notices issued by hand, served and replied to."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext_noop

from anmin.core import audit as core_audit
from anmin.core import clock
from anmin.core.actors import as_user
from anmin.core.guards import action
from anmin.core.models import OrgUnit, User

from .. import notify
from ..models import Case, Supervision, has_business_role
from ..rules import (
    may_supervise,
    owner_org_id,
)
from .base import (
    InvalidTransition,
    TransitionNotAllowed,
    _append_event,
    _audit,
)
from .steps import _lock, _visible_org


# -- Supervision (督办) -------------------------------------------------------------------------
@action(perm="workflow.add_supervision", target="case", model=Case, what="督办")
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
            case=case, automatic=False, issued_at=now, issued_by=as_user(actor), to_org=target,
            centre_org=actor.org_unit, reason=reason,
            reply_due_at=now + timedelta(days=wf.escalation.reply_days),
        )
        _append_event(case, actor=actor, action="supervise", label=gettext_noop("督办"),
                      from_state=case.status, to_state=case.status, at=now, reason=reason,
                      data={"supervision": supervision.pk, "to_org": target.pk, "to_org_name": target.name})
        case.save(update_fields=["last_seq"])
        notify.on_supervision(supervision, now)
        _audit(action="create", actor=actor, obj=supervision,
               after={"case": case.number, "to_org": target.pk, "centre_org": supervision.centre_org_id},
               reason=reason)
    return supervision


def _lock_supervision(supervision: Supervision | int) -> Supervision:
    return Supervision.objects.select_for_update().get(pk=getattr(supervision, "pk", supervision))


def _may_answer(actor: User, supervision: Supervision) -> bool:
    return bool(actor.org_unit_id) and actor.org_unit_id == supervision.to_org_id and has_business_role(actor)


@action(target="supervision", model=Supervision, what="签收督办")
def serve_supervision(*, supervision: Supervision | int, actor: User, now: datetime | None = None) -> Supervision:
    """签收: a member of the supervised unit acknowledges the notice (once)."""
    now = now or clock.now()
    with transaction.atomic():
        supervision = _lock_supervision(supervision)
        if not _may_answer(actor, supervision):
            raise TransitionNotAllowed("只有被督办单位的人员可以签收")
        if supervision.served_at is None:
            supervision.served_at, supervision.served_by = now, as_user(actor)
            supervision.save(update_fields=["served_at", "served_by"])
            _audit(action="update", actor=actor, obj=supervision, after={"served_at": now.isoformat()})
    return supervision


@action(target="supervision", model=Supervision, what="回复督办")
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
            supervision.served_at, supervision.served_by = now, as_user(actor)
        supervision.reply, supervision.replied_at, supervision.replied_by = reply, now, as_user(actor)
        supervision.save(update_fields=["served_at", "served_by", "reply", "replied_at", "replied_by"])
        case = _lock(supervision.case_id)
        _append_event(case, actor=actor, action="supervision_reply", label=gettext_noop("回复督办"),
                      from_state=case.status, to_state=case.status, at=now, reason=reply,
                      data={"supervision": supervision.pk})
        case.save(update_fields=["last_seq"])
        notify.on_reply(supervision, now)
        _audit(action="update", actor=actor, obj=supervision,
               after={"case": case.number, "replied_at": now.isoformat()})
    return supervision
