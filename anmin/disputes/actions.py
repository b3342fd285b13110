"""Every write of the disputes domain: registries, reporting a dispute, mediation, outcome, 民转刑.

Keyword-only arguments; one transaction each; the dispute's case row is locked and its version
checked where two people may act at once; every write leaves an audit record.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from anmin.core import audit, clock
from anmin.core.attachments import actions as attachments
from anmin.core.codes import code_names
from anmin.core.i18n import in_source_language
from anmin.core.models import Region, User
from anmin.core.protected import parse_id_number, validate_phone_number
from anmin.workflow import actions as case_actions
from anmin.workflow.definitions import CENTRE_ROLES, HANDLER
from anmin.workflow.models import Case
from anmin.workflow.rules import may_take

from .defaults import DEFAULT_RISK_FLAGS
from .models import (
    COLOUR_RANK,
    Dispute,
    DisputeParty,
    DisputeSource,
    MediationOrg,
    MediationSession,
    Mediator,
    Outcome,
    PartyRole,
    RiskColour,
    RiskFlag,
)
from .workflows import DISPUTE


class DisputeConflict(Exception):
    """Someone else changed the dispute first; carries the newer version."""

    def __init__(self, dispute: Dispute):
        self.dispute = dispute
        super().__init__(f"该纠纷已被他人修改（当前版本 {dispute.version}），请刷新后再操作")


def _err(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


# -- Risk colour ---------------------------------------------------------------------------------
def ensure_default_risk_flags() -> int:
    """Create the default risk flags that are missing (the migration does this on a new database)."""
    created = 0
    for code, name, colour, order in DEFAULT_RISK_FLAGS:
        created += RiskFlag.objects.get_or_create(code=code, defaults={"name": name, "raises_to": colour,
                                                                       "order": order})[1]
    return created


def effective_colour(assessed: str, flags: list[str]) -> str:
    """The higher of the assessed colour and the colours the risk flags raise the dispute to."""
    colour = assessed or RiskColour.BLUE
    for flag in RiskFlag.objects.filter(code__in=flags or [], is_active=True):
        if COLOUR_RANK[flag.raises_to] > COLOUR_RANK[colour]:
            colour = flag.raises_to
    return colour


def _check_flags(flags: list[str]) -> list[str]:
    flags = sorted(set(flags or []))
    known = set(RiskFlag.objects.filter(code__in=flags, is_active=True).values_list("code", flat=True))
    unknown = [f for f in flags if f not in known]
    if unknown:
        raise _err("risk_flags", f"「风险因素」{'、'.join(unknown)} 不在风险因素表中")
    return flags


def check_category(category: str) -> str:
    names = code_names("dispute_category")
    if category not in names or len(category) != 4:
        raise _err("category", f"「纠纷类别」{category or '（空）'} 不是 GB/T 31000 的二级类别代码")
    return category


def check_scale(scale: str) -> str:
    """A GB/T 31000 事件规模 code (01 个体性事件 …), as the code table ``event_scale`` holds it."""
    names = code_names("event_scale")
    if scale not in names:
        choices = "、".join(f"{code} {name}" for code, name in names.items())
        raise _err("scale", f"「事件规模」{scale or '（空）'} 不是 GB/T 31000 的事件规模代码（可选：{choices}）")
    return scale


def clean_party(party: dict[str, Any], index: int) -> dict[str, Any]:
    """Validate one party; errors name the party and the field."""
    prefix = f"parties[{index}]"
    name = (party.get("name") or "").strip()
    if not name:
        raise _err(f"{prefix}.name", f"第{index + 1}位当事人的「姓名」为必填项")
    role = party.get("role") or PartyRole.APPLICANT
    if role not in PartyRole.values:
        raise _err(f"{prefix}.role", f"第{index + 1}位当事人的「当事人类型」无效")
    id_number = (party.get("id_number") or "").strip()
    if id_number:
        try:
            id_number = parse_id_number(id_number, label=f"第{index + 1}位当事人的身份证号码").number
        except ValidationError as exc:
            raise _err(f"{prefix}.id_number", exc.messages[0]) from exc
    phone = (party.get("phone") or "").strip()
    if phone:
        try:
            validate_phone_number(phone, label=f"第{index + 1}位当事人的联系电话")
        except ValidationError as exc:
            raise _err(f"{prefix}.phone", exc.messages[0]) from exc
    return {
        "role": role,
        "name": name,
        "id_number": id_number,
        "phone": phone,
        "address": (party.get("address") or "").strip(),
    }


# -- Registries ----------------------------------------------------------------------------------
@transaction.atomic
def create_mediation_org(
    *,
    actor: User | None,
    name: str,
    kind: str,
    region: Region,
    brand_name: str = "",
    sector: str = "",
    address: str = "",
    established_on: date | None = None,
    org_unit=None,
) -> MediationOrg:
    if MediationOrg.objects.filter(region=region, name=name).exists():
        raise _err("name", f"「名称」{name} 在 {region.name} 已存在")
    org = MediationOrg.objects.create(
        name=name,
        kind=kind,
        region=region,
        brand_name=brand_name,
        sector=sector,
        address=address,
        established_on=established_on,
        org_unit=org_unit,
    )
    audit.record(actor=actor, action="create", obj=org, after=audit.snapshot(org))
    return org


@transaction.atomic
def update_mediation_org(*, actor: User, org: MediationOrg, expected_version: int, **changes) -> MediationOrg:
    locked = MediationOrg.objects.select_for_update().get(pk=org.pk)
    if locked.version != expected_version:
        raise DisputeConflict(locked)  # type: ignore[arg-type]
    before = audit.snapshot(locked)
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.version += 1
    locked.full_clean(exclude=["region", "org_unit"])
    locked.save()
    audit.record(actor=actor, action="update", obj=locked, before=before, after=audit.snapshot(locked))
    return locked


@transaction.atomic
def create_mediator(
    *,
    actor: User | None,
    name: str,
    org: MediationOrg,
    sex: str = "",
    employment: str = "part",
    specialities: str = "",
    user: User | None = None,
) -> Mediator:
    mediator = Mediator.objects.create(
        name=name,
        org=org,
        region_id=org.region_id,
        sex=sex,
        employment=employment,
        specialities=specialities,
        user=user,
    )
    audit.record(actor=actor, action="create", obj=mediator, after=audit.snapshot(mediator))
    return mediator


# -- Disputes ------------------------------------------------------------------------------------
def report_dispute(
    *,
    actor: User | None,
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
    """Register a dispute (排查/上报): a case of kind MD in 待受理, its detail row and its parties."""
    now = now or clock.now()
    check_category(category)
    check_scale(scale)
    if source not in DisputeSource.values:
        raise _err("source", "「来源」无效")
    if assessed_colour not in RiskColour.values:
        raise _err("assessed_colour", "「研判风险等级」须为 红/橙/黄/蓝 之一")
    if found_on > timezone.localdate(now):
        raise _err("found_on", "「排查/登记日期」不能晚于今天")
    if occurred_on and occurred_on > found_on:
        raise _err("occurred_on", "「发生日期」不能晚于「排查/登记日期」")
    if not parties:
        raise _err("parties", "至少填写一位当事人")
    cleaned = [clean_party(p, i) for i, p in enumerate(parties)]
    flags = _check_flags(risk_flags or [])
    if people_involved is not None and people_involved < len(cleaned):
        raise _err("people_involved", "「涉及人数」不能少于当事人人数")
    if amount is not None and amount < 0:
        raise _err("amount", "「涉及金额」不能为负数")
    with transaction.atomic(), audit.batch():
        case = case_actions.open_case(
            kind=DISPUTE,
            title=title,
            region=region,
            reporter=actor,
            priority=priority,
            source=source,
            description=description,
            now=now,
            reporter_name=reporter_name,
        )
        dispute = Dispute.objects.create(
            case=case,
            category=category,
            scale=scale,
            source=source,
            found_on=found_on,
            occurred_on=occurred_on,
            address=address,
            people_involved=people_involved or len(cleaned),
            amount=amount,
            assessed_colour=assessed_colour,
            risk_flags=flags,
            colour=effective_colour(assessed_colour, flags),
        )
        for p in cleaned:
            DisputeParty.objects.create(dispute=dispute, **p)
        audit.record(
            actor=actor,
            action="create",
            obj=dispute,
            after={**audit.snapshot(dispute), "parties": [p["name"] for p in cleaned]},
        )
    return dispute


def _lock_dispute(dispute: Dispute | int) -> Dispute:
    return Dispute.objects.select_for_update().select_related("case").get(pk=getattr(dispute, "pk", dispute))


def _require_handler(actor: User, case: Case) -> None:
    if not may_take(actor, case, (HANDLER, *CENTRE_ROLES)):
        raise case_actions.TransitionNotAllowed("只有承办人（调解员）或综治中心可以办理此纠纷")


@transaction.atomic
def update_risk(
    *,
    actor: User,
    dispute: Dispute,
    expected_version: int,
    assessed_colour: str,
    risk_flags: list[str],
    reason: str = "",
) -> Dispute:
    d = _lock_dispute(dispute)
    if d.version != expected_version:
        raise DisputeConflict(d)
    _require_handler(actor, d.case)
    if assessed_colour not in RiskColour.values:
        raise _err("assessed_colour", "「研判风险等级」须为 红/橙/黄/蓝 之一")
    before = {"assessed_colour": d.assessed_colour, "risk_flags": d.risk_flags, "colour": d.colour}
    d.risk_flags = _check_flags(risk_flags)
    d.assessed_colour = assessed_colour
    d.colour = effective_colour(assessed_colour, d.risk_flags)
    d.version += 1
    d.save(update_fields=["risk_flags", "assessed_colour", "colour", "version"])
    audit.record(
        actor=actor,
        action="update",
        obj=d,
        before=before,
        after={"assessed_colour": d.assessed_colour, "risk_flags": d.risk_flags, "colour": d.colour},
        reason=reason,
    )
    return d


@transaction.atomic
def record_session(
    *,
    actor: User,
    dispute: Dispute,
    held_on: date,
    record: str,
    method: str = "in_person",
    mediators: list[Mediator] | None = None,
    now=None,
) -> MediationSession:
    """A mediation session (date, mediators, method, record) by the handler or the centre."""
    now = now or clock.now()
    d = _lock_dispute(dispute)
    _require_handler(actor, d.case)
    if not d.case.is_open:
        raise _err("held_on", "纠纷已办结，不能再添加调解记录")
    if held_on < d.found_on:
        raise _err("held_on", "「调解日期」不能早于「排查/登记日期」")
    if held_on > timezone.localdate(now):
        raise _err("held_on", "「调解日期」不能晚于今天")
    if not (record or "").strip():
        raise _err("record", "「调解记录」为必填项")
    session = MediationSession.objects.create(
        dispute=d, held_on=held_on, method=method, record=record.strip(), recorded_by=actor
    )
    if mediators:
        session.mediators.set(mediators)
    if d.mediation_org_id is None and mediators:
        d.mediation_org_id = mediators[0].org_id
        d.save(update_fields=["mediation_org"])
    audit.record(
        actor=actor,
        action="create",
        obj=session,
        region_code=d.case.region_id,
        after={"dispute": d.pk, "held_on": held_on, "method": method, "mediators": [m.pk for m in mediators or []]},
    )
    return session


@transaction.atomic
def record_outcome(
    *,
    actor: User,
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
    """The mediation's outcome; also hands the case back to the centre for checking (反馈).

    ``expected_version`` is the case's version, as on every step of the case.
    """
    now = now or clock.now()
    d = _lock_dispute(dispute)
    case = d.case
    if case.version != expected_version:
        raise case_actions.CaseConflict(case, expected_version)
    _require_handler(actor, case)
    if outcome not in (Outcome.SUCCESS, Outcome.FAILED, Outcome.WITHDRAWN):
        raise _err("outcome", "「调解结果」须为 调解成功、调解不成 或 撤回")
    if concluded_on < d.found_on:
        raise _err("concluded_on", "「调结日期」不能早于「排查/登记日期」")
    if concluded_on > timezone.localdate(now):
        raise _err("concluded_on", "「调结日期」不能晚于今天")
    if outcome == Outcome.SUCCESS and not agreement.strip():
        raise _err("agreement", "调解成功须填写「调解协议内容」")
    if judicial_confirmation and (confirmed_on is None or confirmed_on < concluded_on):
        raise _err("confirmed_on", "已司法确认须填写「司法确认日期」，且不早于调结日期")
    if outcome == Outcome.FAILED and not failed_path:
        raise _err("failed_path", "调解不成须选择去向（引导诉讼、仲裁或其他途径）")
    if outcome == Outcome.WITHDRAWN and not withdrawn_reason.strip():
        raise _err("withdrawn_reason", "撤回须填写「撤回原因」")
    before = audit.snapshot(d, ["outcome", "concluded_on"])
    d.outcome = outcome
    d.concluded_on = concluded_on
    d.agreement = agreement.strip()
    d.agreement_amount = agreement_amount
    d.judicial_confirmation = judicial_confirmation
    d.confirmed_on = confirmed_on if judicial_confirmation else None
    d.failed_path = failed_path if outcome == Outcome.FAILED else ""
    d.withdrawn_reason = withdrawn_reason.strip() if outcome == Outcome.WITHDRAWN else ""
    d.version += 1
    d.save()
    audit.record(
        actor=actor,
        action="update",
        obj=d,
        before=before,
        after=audit.snapshot(d, ["outcome", "concluded_on", "judicial_confirmation", "failed_path"]),
    )
    if case.status == "in_progress":
        with in_source_language():  # the timeline stores the result in Chinese, whoever's page asked
            outcome, path = d.get_outcome_display(), d.get_failed_path_display()
        case_actions.transition_case(
            case=case,
            actor=actor,
            transition="feedback",
            expected_version=case.version,
            reason=f"{outcome}：{d.agreement or d.withdrawn_reason or path}",
            data={"result": outcome},
            now=now,
        )
    return d


@transaction.atomic
def link_criminal_case(*, actor: User, dispute: Dispute, number: str, on: date, reason: str) -> Dispute:
    """Record that the dispute turned into a criminal case (民转刑)."""
    d = _lock_dispute(dispute)
    if not Dispute.objects.visible_to(actor).filter(pk=d.pk).exists():
        raise case_actions.TransitionNotAllowed("您无权办理此纠纷")
    if not number.strip():
        raise _err("criminal_case_number", "「民转刑案件编号」为必填项")
    if on < d.found_on:
        raise _err("criminal_on", "「民转刑日期」不能早于「排查/登记日期」")
    if not reason.strip():
        raise _err("reason", "请说明民转刑情况")
    d.criminal_case_number, d.criminal_on = number.strip(), on
    d.version += 1
    d.save(update_fields=["criminal_case_number", "criminal_on", "version"])
    audit.record(
        actor=actor,
        action="update",
        obj=d,
        after={"criminal_case_number": d.criminal_case_number, "criminal_on": on},
        reason=reason,
    )
    return d


def sync_followup(*, case: Case, at, satisfaction: str, note: str) -> None:
    """Called from the case's 回访 step (inside its transaction): copy the result to the dispute."""
    Dispute.objects.filter(case=case).update(
        satisfaction=satisfaction or "", followup_on=timezone.localdate(at), followup_note=note or ""
    )


# -- Documents (core attachments) --------------------------------------------------------------------
def may_attach_document(user, dispute: Dispute) -> bool:
    """Who may add a document to a dispute: its handler (调解员, the handling unit) or a 综治中心 role
    in whose jurisdiction it lies — the people who may record its mediation."""
    return may_take(user, dispute.case, (HANDLER, *CENTRE_ROLES))


def attach_document(*, actor: User, dispute: Dispute, upload, category: str, note: str = "", request=None):
    """Add a document (调解协议书、调解笔录、证据材料 …) to a dispute. The file is checked and cleaned
    by the core attachment service (size and type limits; EXIF/GPS and author metadata removed) and
    the upload is audited there. Raises ``TransitionNotAllowed`` for someone who may not add one,
    ``ValidationError`` naming the field otherwise."""
    if not Dispute.objects.visible_to(actor).filter(pk=dispute.pk).exists():
        raise case_actions.TransitionNotAllowed("您无权办理此纠纷")
    _require_handler(actor, dispute.case)
    try:
        return attachments.attach(actor=actor, owner=dispute, upload=upload, category=category, note=note,
                                  request=request)
    except PermissionDenied as exc:
        raise case_actions.TransitionNotAllowed(str(exc)) from exc
