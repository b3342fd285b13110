"""A warning lead's life after intake (``intake``: one, a batch, routed at once): the contact attempts
on the timeline, the grade override, the outcome (已被骗 opens a fraud case) and the 回访 after 7
days."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from anmin.core import audit, checks, clock
from anmin.core.actors import as_user, is_system
from anmin.core.errors import Forbidden, invalid
from anmin.core.guards import action
from anmin.core.i18n import source_text
from anmin.workflow import actions as case_actions
from anmin.workflow.models import Case

from ..models import (
    ContactAttempt,
    ContactMethod,
    ContactResult,
    FraudCase,
    FraudVictim,
    Grade,
    Lead,
    LeadOutcome,
)
from ..workflows import REVISIT_DAYS
from . import common

CHANGE_PERM = "antifraud.change_lead"


# -- Working a lead ------------------------------------------------------------------------------
def _lock(lead: Lead | int) -> Lead:
    return Lead.objects.select_for_update().select_related("case").get(pk=getattr(lead, "pk", lead))


def _may_work(actor, lead: Lead) -> None:
    from anmin.workflow.rules import may_take

    from ..workflows import WORKERS

    if not is_system(actor) and not may_take(actor, lead.case, WORKERS):
        raise Forbidden("只有承办派出所民警、辖区综治中心或网格员可以处置此预警线索")


def _check_version(lead: Lead, expected_version) -> None:
    if expected_version is not None and lead.case.version != int(expected_version):
        raise case_actions.CaseConflict(lead.case, expected_version)


@action(perm=CHANGE_PERM, target="lead", model=Lead, what="登记联系劝阻")
def record_contact(*, actor, lead: Lead | int, method: str, result: str, note: str = "",
                   at: dt.datetime | None = None, expected_version: int | None = None,
                   now: dt.datetime | None = None) -> Lead:
    """One contact attempt (电话、短信、上门、联系亲属), on the lead's timeline. The first that reaches
    the person moves the lead to 劝阻中 and stops the contact clock; an unanswered call says a visit
    is needed (网格员 or 劝阻员 上门)."""
    now = now or clock.now()
    at = at or now
    if method not in ContactMethod.values:
        raise invalid("method", "「联系方式」须为 电话、短信、上门、联系亲属 之一")
    if result not in ContactResult.values:
        raise invalid("result", "「联系结果」须为 已联系上、无人接听、拒不配合、号码错误/停机 之一")
    note = checks.text(note, "note", "情况", 500)
    at = checks.moment(at, "at", "时间", now=now)
    with transaction.atomic(), audit.batch():
        lead_ = _lock(lead)
        _check_version(lead_, expected_version)
        _may_work(actor, lead_)
        case = lead_.case
        if not case.is_open:
            raise invalid("lead", "此预警线索已处置完毕，不能再登记联系")
        ContactAttempt.objects.create(lead=lead_, at=at, method=method, result=result, by=as_user(actor),
                                      by_name=str(actor)[:64], note=note)
        lead_.attempts += 1
        label = f"联系：{ContactMethod(method).label}·{ContactResult(result).label}"
        reason = note
        if result != ContactResult.REACHED and method in (ContactMethod.CALL, ContactMethod.SMS):
            reason = "；".join(filter(None, [note, "电话未能联系上，请网格员或劝阻员立即上门劝阻"]))
        # ``result`` on a case event is the 办理结果 text the timeline shows: the attempt's code goes apart
        # (the label already reads 联系：电话·已联系上; the timeline read 办理结果：reached).
        case_actions.record_case_event(case=case, actor=actor, action="contact_attempt", label=label, reason=reason,
                                       data={"method": method, "contact_result": result}, now=at)
        fields = ["attempts"]
        if result == ContactResult.REACHED and lead_.first_contact_at is None:
            lead_.first_contact_at = at
            lead_.contact_minutes = max(0, int((at - lead_.received_at).total_seconds() // 60))
            lead_.contacted_in_time = case.due_at is None or at <= case.due_at
            fields += ["first_contact_at", "contact_minutes", "contacted_in_time"]
            if case.status in ("new", "dispatched"):
                case.refresh_from_db()
                lead_.case = case_actions.transition_case(case=case, actor=actor, transition="contact",
                                                          expected_version=case.version, domain="antifraud",
                                                          now=now)
        lead_.version += 1
        lead_.save(update_fields=[*fields, "version"])
        audit.record(actor=actor, action="update", obj=lead_,
                     after={"contact": {"method": method, "result": result, "at": at.isoformat()}})
    return lead_


#: A grade as a badge on the timeline, most urgent first.
GRADE_BADGES = {Grade.CRITICAL: "colour-red", Grade.HIGH: "colour-orange", Grade.MEDIUM: "colour-yellow",
                Grade.LOW: "colour-blue"}


def _grade_level(grade: str) -> case_actions.Level:
    return case_actions.Level(grade, source_text(Grade(grade).label), GRADE_BADGES.get(grade, ""))


@action(perm=CHANGE_PERM, target="lead", model=Lead, what="调整预警等级")
def override_grade(*, actor, lead: Lead | int, grade: str, reason: str, expected_version: int,
                   now: dt.datetime | None = None) -> Lead:
    """Change the grade with a reason: the running limit is recounted from the stage's start."""
    now = now or clock.now()
    if grade not in Grade.values:
        raise invalid("grade", "「预警等级」须为 特高、高、中、低 之一")
    reason = checks.text(reason, "reason", "调整理由", 200, required=True)
    with transaction.atomic(), audit.batch():
        lead_ = _lock(lead)
        _check_version(lead_, expected_version)
        _may_work(actor, lead_)
        case = Case.objects.select_for_update().get(pk=lead_.case_id)
        if not case.is_open:
            raise invalid("grade", "此预警线索已处置完毕，不能再调整等级")
        before = case.priority
        if before == grade:
            raise invalid("grade", "新等级与当前等级相同")
        case.priority = grade
        limit = case.workflow.limit_for(case.status)
        minutes = limit.minutes_for(grade) if limit else None
        if minutes is not None and case.stage_started_at is not None:
            case.due_at = case.stage_started_at + dt.timedelta(minutes=minutes + case.paused_seconds / 60)
            span = (case.due_at - case.stage_started_at).total_seconds() * case.workflow.warning_ratio
            case.warn_at = case.stage_started_at + dt.timedelta(seconds=span)
            if case.due_at > now:
                case.overdue_at = None
            if case.warn_at > now:
                case.warned_at = None
        case.version += 1
        case.updated_at = now
        case.save()
        lead_.case = case
        lead_.grade_overridden = grade != lead_.computed_grade
        lead_.grade_reason = f"人工调整：{reason}"[:200]
        lead_.version += 1
        lead_.save(update_fields=["grade_overridden", "grade_reason", "version"])
        order = list(GRADE_BADGES)
        case_actions.record_level_change(case=case, actor=actor, what="预警等级", before=_grade_level(before),
                                         after=_grade_level(grade), automatic=False, note=reason,
                                         raised=order.index(grade) < order.index(before), action="grade",
                                         label="调整预警等级", data={"from": before, "to": grade}, now=now)
        audit.record(actor=actor, action="update", obj=lead_, before={"grade": before}, after={"grade": grade},
                     reason=reason)
    return lead_


@action(perm=CHANGE_PERM, target="lead", model=Lead, what="登记处置结果")
def conclude_lead(*, actor, lead: Lead | int, outcome: str, expected_version: int, note: str = "",
                  amount_protected: Any = None, amount_lost: Any = None, police_case_number: str = "",
                  now: dt.datetime | None = None) -> Lead:
    """登记处置结果: 劝阻成功 (with the sum protected), 已被骗 (opens a fraud case with the victim,
    linked), 无法联系, 误报. The 回访 falls due 7 days later."""
    now = now or clock.now()
    if outcome not in LeadOutcome.values or not outcome:
        raise invalid("outcome", "「处置结果」须为 劝阻成功、已被骗、无法联系、误报 之一")
    note = checks.text(note, "note", "处置情况", 500)
    protected = common.amount(amount_protected, "amount_protected", "避免损失")
    lost = common.amount(amount_lost, "amount_lost", "被骗金额")
    if outcome == LeadOutcome.DEFRAUDED and lost is None:
        raise invalid("amount_lost", "已被骗须填写「被骗金额」")
    number = checks.text(police_case_number, "police_case_number", "警情/案件编号", 40)
    with transaction.atomic(), audit.batch():
        lead_ = _lock(lead)
        _check_version(lead_, expected_version)
        _may_work(actor, lead_)
        case = lead_.case
        if outcome == LeadOutcome.DEFRAUDED:
            number = number or f"待立案-{case.number}"
            if FraudCase.objects.filter(police_case_number=number).exists():
                raise invalid("police_case_number", f"警情/案件编号 {number} 已登记")
            fc = FraudCase.objects.create(
                police_case_number=number, region=case.region, fraud_type=lead_.fraud_type,
                title=f"{lead_.victim_name}被骗（{lead_.fraud_type_label}）", filed_on=timezone.localdate(now),
                amount_involved=lost, handling_org=case.handling_org)
            FraudVictim.objects.create(fraud_case=fc, name=lead_.victim_name, id_number=lead_.victim_id_number,
                                       phone=lead_.victim_phone, person=lead_.person, loss=lost)
            lead_.fraud_case = fc
            audit.record(actor=actor, action="create", obj=fc, after={"number": number, "from_lead": case.number})
        result = f"{LeadOutcome(outcome).label}" + (f"：{note}" if note else "")
        lead_.case = case_actions.transition_case(case=case, actor=actor, transition="conclude",
                                                  expected_version=case.version, domain="antifraud",
                                                  reason=result, now=now)
        lead_.outcome, lead_.amount_protected, lead_.concluded_at = outcome, protected, now
        lead_.revisit_due_on = timezone.localdate(now) + dt.timedelta(days=REVISIT_DAYS)
        lead_.version += 1
        lead_.save(update_fields=["outcome", "amount_protected", "concluded_at", "revisit_due_on", "fraud_case",
                                  "version"])
        audit.record(actor=actor, action="update", obj=lead_, after={"outcome": outcome})
    return lead_


@action(perm=CHANGE_PERM, target="lead", model=Lead, what="回访")
def revisit_lead(*, actor, lead: Lead | int, note: str, expected_version: int,
                 now: dt.datetime | None = None) -> Lead:
    now = now or clock.now()
    note = checks.text(note, "note", "回访情况", 500, required=True)
    with transaction.atomic(), audit.batch():
        lead_ = _lock(lead)
        _check_version(lead_, expected_version)
        _may_work(actor, lead_)
        if lead_.revisit_due_on and timezone.localdate(now) < lead_.revisit_due_on:
            raise invalid("note", f"回访应在处置7天后（{lead_.revisit_due_on:%Y-%m-%d} 起）进行")
        lead_.case = case_actions.transition_case(case=lead_.case, actor=actor, transition="revisit",
                                                  expected_version=lead_.case.version, domain="antifraud",
                                                  reason=note, now=now)
        lead_.revisited_at, lead_.revisit_note = now, note
        lead_.version += 1
        lead_.save(update_fields=["revisited_at", "revisit_note", "version"])
    return lead_
