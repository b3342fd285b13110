"""A dispute's life: reporting it (with its parties linked to the person register), its risk, the
mediation sessions, the outcome (which hands the case back for checking), the 回访 and 民转刑."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from anmin.core import audit, clock
from anmin.core.actors import as_user
from anmin.core.codes import code_names
from anmin.core.errors import Conflict, Invalid, changed_meanwhile, invalid
from anmin.core.guards import action
from anmin.core.i18n import in_source_language
from anmin.core.models import Region
from anmin.core.protected import parse_id_number, validate_phone_number
from anmin.people.identity import link_person
from anmin.people.risk import signals_changed
from anmin.workflow import actions as case_actions
from anmin.workflow.definitions import CENTRE_ROLES, HANDLER, SATISFACTION
from anmin.workflow.models import Case
from anmin.workflow.rules import may_take

from ..models import (
    Dispute,
    DisputeParty,
    DisputeSource,
    MediationMethod,
    MediationSession,
    Mediator,
    Outcome,
    PartyRole,
    RiskColour,
)
from ..workflows import DISPUTE
from .risk import (
    apply_signals,
    check_flags,
    colour_level,
    effective_colour,
    flag_reasons,
    raising_flags,
    record_colour_change,
)

ADD_PERM = "disputes.add_dispute"
MAX_PARTIES = 50


def check_category(category: str) -> str:
    names = code_names("dispute_category")
    if category not in names or len(category) != 4:
        raise invalid("category", f"「纠纷类别」{category or '（空）'} 不是 GB/T 31000 的二级类别代码")
    return category


def check_scale(scale: str) -> str:
    """A GB/T 31000 事件规模 code (01 个体性事件 …), as the code table ``event_scale`` holds it."""
    names = code_names("event_scale")
    if scale not in names:
        choices = "、".join(f"{code} {name}" for code, name in names.items())
        raise invalid("scale", f"「事件规模」{scale or '（空）'} 不是 GB/T 31000 的事件规模代码（可选：{choices}）")
    return scale


def clean_party(party: dict[str, Any], index: int) -> dict[str, Any]:
    """Validate one party; errors name the party and the field."""
    prefix = f"parties[{index}]"
    who = f"第{index + 1}位当事人"
    name = (party.get("name") or "").strip()
    if not name:
        raise invalid(f"{prefix}.name", f"{who}的「姓名」为必填项")
    if len(name) > 64:
        raise invalid(f"{prefix}.name", f"{who}的「姓名」不能超过 64 字")
    role = party.get("role") or PartyRole.APPLICANT
    if role not in PartyRole.values:
        raise invalid(f"{prefix}.role", f"{who}的「当事人类型」无效")
    id_number = (party.get("id_number") or "").strip()
    if id_number:
        try:
            id_number = parse_id_number(id_number, label=f"{who}的身份证号码").number
        except ValidationError as exc:
            raise invalid(f"{prefix}.id_number", exc.messages[0]) from exc
    phone = (party.get("phone") or "").strip()
    if phone:
        try:
            validate_phone_number(phone, label=f"{who}的联系电话")
        except ValidationError as exc:
            raise invalid(f"{prefix}.phone", exc.messages[0]) from exc
    address = (party.get("address") or "").strip()
    if len(address) > 200:
        raise invalid(f"{prefix}.address", f"{who}的「住址」不能超过 200 字")
    return {"role": role, "name": name, "id_number": id_number, "phone": phone, "address": address}


def require_handler(actor, case: Case) -> None:
    if not may_take(actor, case, (HANDLER, *CENTRE_ROLES)):
        raise case_actions.TransitionNotAllowed("只有承办人（调解员）或综治中心可以办理此纠纷")


def _lock(dispute: Dispute | int) -> Dispute:
    return Dispute.objects.select_for_update().select_related("case").get(pk=getattr(dispute, "pk", dispute))


def _check_version(d: Dispute, expected_version) -> None:
    """Steps of a dispute carry the case's version the user saw (as every step of a case)."""
    if expected_version is not None and d.case.version != expected_version:
        raise case_actions.CaseConflict(d.case, expected_version)


@action(perm=ADD_PERM, region="region", region_label="发生地(网格/村)", what="上报矛盾纠纷")
def report_dispute(
    *,
    actor,
    title: str,
    region: Region,
    category: str,
    found_on: date,
    parties: list[dict[str, Any]],
    scale: str = "01",
    source: str = DisputeSource.SWEEP,
    occurred_on: date | None = None,
    address: str = "",
    people_involved: int | None = None,
    amount: Decimal | None = None,
    assessed_colour: str = RiskColour.BLUE,
    risk_flags: list[str] | None = None,
    description: str = "",
    priority: str = "normal",
    now=None,
    reporter_name: str = "",
) -> Dispute:
    """Register a dispute (排查/上报): a case of kind MD in 待受理, its detail row and its parties. A
    party with an ID number is linked to the person register (registered there when absent), and
    the risk signals the parties carry there raise the dispute's colour at once."""
    now = now or clock.now()
    check_category(category)
    check_scale(scale)
    if source not in DisputeSource.values:
        raise invalid("source", "「来源」无效")
    if assessed_colour not in RiskColour.values:
        raise invalid("assessed_colour", "「研判风险等级」须为 红/橙/黄/蓝 之一")
    if found_on > timezone.localdate(now):
        raise invalid("found_on", "「排查/登记日期」不能晚于今天")
    if occurred_on and occurred_on > found_on:
        raise invalid("occurred_on", "「发生日期」不能晚于「排查/登记日期」")
    if not parties:
        raise invalid("parties", "至少填写一位当事人")
    if len(parties) > MAX_PARTIES:
        raise invalid("parties", f"当事人不能超过 {MAX_PARTIES} 位（人数众多的纠纷请填写主要当事人和「涉及人数」）")
    cleaned = [clean_party(p, i) for i, p in enumerate(parties)]
    flags = check_flags(risk_flags or [])
    if people_involved is not None and people_involved < len(cleaned):
        raise invalid("people_involved", "「涉及人数」不能少于当事人人数")
    if amount is not None and amount < 0:
        raise invalid("amount", "「涉及金额」不能为负数")
    with transaction.atomic(), audit.batch():
        case = case_actions.open_case(kind=DISPUTE, title=title, region=region, reporter=actor, priority=priority,
                                      source=source, description=description, now=now, reporter_name=reporter_name)
        dispute = Dispute.objects.create(
            case=case, category=category, scale=scale, source=source, found_on=found_on, occurred_on=occurred_on,
            address=address, people_involved=people_involved or len(cleaned), amount=amount,
            assessed_colour=assessed_colour, risk_flags=flags, colour=effective_colour(assessed_colour, flags),
        )
        region_code = getattr(region, "pk", region)
        for p in cleaned:
            person = link_person(actor=actor, name=p["name"], id_number=p["id_number"], region=region_code,
                                 phone=p["phone"], address=p["address"], source=f"矛盾纠纷{case.number}当事人")
            DisputeParty.objects.create(dispute=dispute, person=person, **p)
        audit.record(actor=actor, action="create", obj=dispute,
                     after={**audit.snapshot(dispute), "parties": [p["name"] for p in cleaned]})
        raisers = raising_flags(assessed_colour, flags)
        if raisers:  # the chosen risk factors raise the colour the reporter assessed: say so
            record_colour_change(dispute, by=actor, before=assessed_colour, after=dispute.colour, automatic=True,
                                 reasons=flag_reasons(raisers), now=now)
        apply_signals(dispute, by=actor, now=now)
        linked = [p.person_id for p in dispute.parties.all() if p.person_id]
        # One more dispute may make a party a "repeat" one: their other open disputes follow.
        signals_changed(person_ids=linked, signal="repeat_disputes", actor=actor)
    return dispute


@action(target="dispute", model=Dispute, what="研判纠纷风险")
def update_risk(*, actor, dispute: Dispute, expected_version: int, assessed_colour: str, risk_flags: list[str],
                reason: str = "") -> Dispute:
    with transaction.atomic():
        d = _lock(dispute)
        if d.version != expected_version:
            raise _dispute_conflict(d)
        require_handler(actor, d.case)
        if assessed_colour not in RiskColour.values:
            raise invalid("assessed_colour", "「研判风险等级」须为 红/橙/黄/蓝 之一")
        before = {"assessed_colour": d.assessed_colour, "risk_flags": d.risk_flags, "colour": d.colour}
        d.risk_flags = check_flags(risk_flags)
        d.assessed_colour = assessed_colour
        d.colour = effective_colour(assessed_colour, [*d.risk_flags, *(d.auto_flags or {})])
        d.version += 1
        d.save(update_fields=["risk_flags", "assessed_colour", "colour", "version"])
        audit.record(actor=actor, action="update", obj=d, before=before, reason=reason,
                     after={"assessed_colour": d.assessed_colour, "risk_flags": d.risk_flags, "colour": d.colour})
        if before != {"assessed_colour": d.assessed_colour, "risk_flags": d.risk_flags, "colour": d.colour}:
            reasons = [f"研判为「{colour_level(d.assessed_colour).label}」"]
            if d.colour != d.assessed_colour:
                reasons += flag_reasons(raising_flags(d.assessed_colour, [*d.risk_flags, *(d.auto_flags or {})]))
            record_colour_change(d, by=actor, before=before["colour"], after=d.colour, reasons=reasons,
                                 automatic=False, label="风险研判", note=f"研判说明：{reason}" if reason else "")
    return d


def _dispute_conflict(d: Dispute) -> Conflict:
    return changed_meanwhile("该纠纷", current={"id": d.pk, "version": d.version, "colour": d.colour})


@action(target="dispute", model=Dispute, what="添加调解记录")
def record_session(*, actor, dispute: Dispute, held_on: date, record: str, method: str = MediationMethod.IN_PERSON,
                   mediators: list[Mediator] | None = None, now=None) -> MediationSession:
    """A mediation session (date, mediators, method, record) by the handler or the centre; also a
    「调解」 entry on the case's timeline."""
    now = now or clock.now()
    record = (record or "").strip()
    with transaction.atomic():
        d = _lock(dispute)
        require_handler(actor, d.case)
        if not d.case.is_open:
            raise invalid("held_on", "纠纷已办结，不能再添加调解记录")
        if held_on < d.found_on:
            raise invalid("held_on", "「调解日期」不能早于「排查/登记日期」")
        if held_on > timezone.localdate(now):
            raise invalid("held_on", "「调解日期」不能晚于今天")
        if not record:
            raise invalid("record", "「调解记录」为必填项")
        if len(record) > 10000:
            raise invalid("record", "「调解记录」不能超过 10000 字")
        if method not in MediationMethod.values:
            raise invalid("method", "「调解方式」无效")
        session = MediationSession.objects.create(dispute=d, held_on=held_on, method=method, record=record,
                                                  recorded_by=as_user(actor))
        if mediators:
            session.mediators.set(mediators)
        if d.mediation_org_id is None and mediators:
            d.mediation_org_id = mediators[0].org_id
            d.save(update_fields=["mediation_org"])
        names = "、".join(m.name for m in mediators or [])
        record_case_event_for(d, actor, "mediation_session", "调解",
                              f"{held_on:%Y-%m-%d} {MediationMethod(method).label}" + (f"（{names}）" if names else ""),
                              {"session": session.pk, "held_on": held_on.isoformat(), "method": method}, now)
        audit.record(actor=actor, action="create", obj=session, region_code=d.case.region_id,
                     after={"dispute": d.pk, "held_on": held_on, "method": method,
                            "mediators": [m.pk for m in mediators or []]})
    return session


def record_case_event_for(d: Dispute, actor, action_name: str, label: str, reason: str, data: dict, now) -> None:
    with in_source_language():  # the timeline stores Chinese, whoever's page asked
        case_actions.record_case_event(case=d.case, actor=actor, action=action_name, label=label, reason=str(reason),
                                       data=data, now=now)


@action(target="dispute", model=Dispute, what="登记调解结果")
def record_outcome(
    *,
    actor,
    dispute: Dispute,
    expected_version: int,
    outcome: str,
    concluded_on: date,
    agreement: str = "",
    agreement_amount: Decimal | None = None,
    judicial_confirmation: bool = False,
    confirmed_on: date | None = None,
    failed_path: str = "",
    withdrawn_reason: str = "",
    now=None,
) -> Dispute:
    """The mediation's outcome; also hands the case back to the centre for checking (反馈, a step only
    this action takes). ``expected_version`` is the case's version, as on every step of the case."""
    now = now or clock.now()
    agreement, withdrawn_reason = (agreement or "").strip(), (withdrawn_reason or "").strip()
    with transaction.atomic():
        d = _lock(dispute)
        case = d.case
        _check_version(d, expected_version)
        require_handler(actor, case)
        if case.status != "in_progress":
            raise invalid("outcome", f"纠纷当前状态为「{case.status_label}」，只有处置中的纠纷可以登记调解结果")
        if outcome not in (Outcome.SUCCESS, Outcome.FAILED, Outcome.WITHDRAWN):
            raise invalid("outcome", "「调解结果」须为 调解成功、调解不成 或 撤回")
        errors = {}
        if concluded_on < d.found_on:
            errors["concluded_on"] = "「调结日期」不能早于「排查/登记日期」"
        elif concluded_on > timezone.localdate(now):
            errors["concluded_on"] = "「调结日期」不能晚于今天"
        errors.update(outcome_content_errors(
            outcome=outcome, concluded_on=concluded_on, agreement=agreement,
            judicial_confirmation=judicial_confirmation, confirmed_on=confirmed_on, failed_path=failed_path,
            withdrawn_reason=withdrawn_reason))
        if errors:  # every rule broken is told at once, each at its field
            raise Invalid(next(iter(errors.values())), errors={k: [v] for k, v in errors.items()})
        before = audit.snapshot(d, ["outcome", "concluded_on"])
        d.outcome, d.concluded_on, d.agreement, d.agreement_amount = outcome, concluded_on, agreement, agreement_amount
        d.judicial_confirmation = judicial_confirmation
        d.confirmed_on = confirmed_on if judicial_confirmation else None
        d.failed_path = failed_path if outcome == Outcome.FAILED else ""
        d.withdrawn_reason = withdrawn_reason if outcome == Outcome.WITHDRAWN else ""
        d.version += 1
        d.save()
        audit.record(actor=actor, action="update", obj=d, before=before,
                     after=audit.snapshot(d, ["outcome", "concluded_on", "judicial_confirmation", "failed_path"]))
        with in_source_language():  # the timeline stores the result in Chinese, whoever's page asked
            said, path = d.get_outcome_display(), d.get_failed_path_display()
        d.case = case_actions.transition_case(
            case=case, actor=actor, transition="feedback", expected_version=case.version, now=now, domain="disputes",
            reason=f"{said}：{d.agreement or d.withdrawn_reason or path}", data={"result": said})
    return d


def outcome_content_errors(*, outcome: str, concluded_on: date | None, agreement: str = "",
                           judicial_confirmation: bool = False, confirmed_on: date | None = None,
                           failed_path: str = "", withdrawn_reason: str = "") -> dict[str, str]:
    """What an outcome of this kind must carry, by field: {} when complete. The action refuses on these;
    the outcome form asks the same before it is sent, so that a missing 调结日期 and a missing 调解协议内容
    are told together rather than one submit after the other."""
    errors = {}
    if outcome == Outcome.SUCCESS and not (agreement or "").strip():
        errors["agreement"] = "调解成功须填写「调解协议内容」"
    if judicial_confirmation and (confirmed_on is None or (concluded_on and confirmed_on < concluded_on)):
        errors["confirmed_on"] = "已司法确认须填写「司法确认日期」，且不早于调结日期"
    if outcome == Outcome.FAILED and not failed_path:
        errors["failed_path"] = "调解不成须选择去向（引导诉讼、仲裁或其他途径）"
    if outcome == Outcome.WITHDRAWN and not (withdrawn_reason or "").strip():
        errors["withdrawn_reason"] = "撤回须填写「撤回原因」"
    return errors


@action(target="dispute", model=Dispute, what="回访")
def record_followup(*, actor, dispute: Dispute, expected_version: int, satisfaction: str, note: str = "",
                    now=None) -> Dispute:
    """回访: the parties' satisfaction after the dispute was closed, kept on the dispute and taken as
    the case's 回访评价 step (only this action takes it, so the two never disagree)."""
    now = now or clock.now()
    note = (note or "").strip()
    if satisfaction not in dict(SATISFACTION):
        raise invalid("satisfaction", f"「满意度」须为 {'、'.join(label for _c, label in SATISFACTION)} 之一")
    if len(note) > 2000:
        raise invalid("note", "「回访情况」不能超过 2000 字")
    with transaction.atomic():
        d = _lock(dispute)
        _check_version(d, expected_version)
        before = audit.snapshot(d, ["satisfaction", "followup_on", "followup_note"])
        d.case = case_actions.transition_case(case=d.case, actor=actor, transition="visit",
                                              expected_version=d.case.version,
                                     reason=note or "回访", data={"satisfaction": satisfaction}, now=now,
                                     domain="disputes")
        d.satisfaction, d.followup_on, d.followup_note = satisfaction, timezone.localdate(now), note
        d.version += 1
        d.save(update_fields=["satisfaction", "followup_on", "followup_note", "version"])
        audit.record(actor=actor, action="update", obj=d, before=before,
                     after=audit.snapshot(d, ["satisfaction", "followup_on", "followup_note"]))
    return d


@action(target="dispute", model=Dispute, what="登记民转刑")
def link_criminal_case(*, actor, dispute: Dispute, number: str, on: date, reason: str) -> Dispute:
    """Record that the dispute turned into a criminal case (民转刑)."""
    number, reason = (number or "").strip(), (reason or "").strip()
    with transaction.atomic():
        d = _lock(dispute)
        if not number:
            raise invalid("criminal_case_number", "「民转刑案件编号」为必填项")
        if len(number) > 64:
            raise invalid("criminal_case_number", "「民转刑案件编号」不能超过 64 字")
        if on < d.found_on:
            raise invalid("criminal_on", "「民转刑日期」不能早于「排查/登记日期」")
        if not reason:
            raise invalid("reason", "请说明民转刑情况")
        d.criminal_case_number, d.criminal_on = number, on
        d.version += 1
        d.save(update_fields=["criminal_case_number", "criminal_on", "version"])
        audit.record(actor=actor, action="update", obj=d, reason=reason,
                     after={"criminal_case_number": d.criminal_case_number, "criminal_on": on})
    return d
