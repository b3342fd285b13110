"""A warning lead's life: intake (one, a batch, idempotent by the upstream id), routing at once, the
contact attempts on the timeline, the grade override, the outcome (已被骗 opens a fraud case) and the
回访 after 7 days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from anmin.core import audit, checks, clock
from anmin.core.actors import as_user, is_system
from anmin.core.errors import ActionError, Conflict, Forbidden, invalid
from anmin.core.guards import action, require_area
from anmin.core.i18n import source_text
from anmin.core.models import Region
from anmin.core.protected import parse_id_number
from anmin.people.identity import link_person
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
    LeadSource,
)
from ..rules import Grader, Router
from ..workflows import LEAD, REVISIT_DAYS
from . import common

ADD_PERM = "antifraud.add_lead"
CHANGE_PERM = "antifraud.change_lead"
MAX_BATCH = 5000


def _age(id_number: str, today: dt.date) -> int | None:
    if not id_number:
        return None
    born = parse_id_number(id_number).birth_date
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@dataclass
class LeadInput:
    """One lead as checked (every value valid, the grade decided)."""

    region: Region
    victim_name: str
    fraud_type: str
    source: str
    upstream_id: str | None
    victim_id_number: str
    victim_phone: str
    victim_age: int | None
    suspect_number: str
    suspect_account: str
    suspect_url: str
    amount_at_risk: Decimal | None
    grade: str
    computed_grade: str
    grade_reason: str
    overridden: bool
    received_at: dt.datetime
    description: str


def clean_lead(data: dict[str, Any], *, grader: Grader, now: dt.datetime,
               places: dict[str, Region] | None = None) -> LeadInput:
    """Check one lead's values (errors name the field, in Chinese) and grade it. ``places`` caches the
    regions a batch names (one query per place, not per lead)."""
    code = str(data.get("region") or "").strip()
    if places is not None and code in places:
        region = places[code]
    else:
        region = common.place(data.get("region"), label="受害人所在区划")
        if places is not None:
            places[code] = region
    name = checks.text(data.get("victim_name"), "victim_name", "潜在受害人姓名", 64, required=True)
    ftype = common.fraud_type(data.get("fraud_type"))
    source = data.get("source") or LeadSource.PUSHED
    if source not in LeadSource.values:
        choices = "、".join(f"{c} {lbl}" for c, lbl in LeadSource.choices)
        raise invalid("source", f"「线索来源」须为 {choices} 之一")
    upstream = checks.text(data.get("upstream_id"), "upstream_id", "上游线索编号", 64) or None
    idn = checks.id_number(data.get("victim_id_number"), "victim_id_number", "潜在受害人身份证号码")
    phone = checks.phone(data.get("victim_phone"), "victim_phone", "潜在受害人联系电话")
    if not (idn or phone):
        raise invalid("victim_phone", "「潜在受害人联系电话」和「身份证号码」至少填写一项，否则无法联系劝阻")
    amount = common.amount(data.get("amount_at_risk"), "amount_at_risk", "涉及金额")
    received = data.get("received_at") or now
    if isinstance(received, str):
        received = _parse_time(received, "received_at", "线索下发时间")
    received = checks.moment(received, "received_at", "线索下发时间", now=now)
    age = _age(idn, timezone.localdate(now)) if idn else data.get("victim_age")
    graded = grader.grade(fraud_type=ftype, amount=amount, age=age)
    grade = (data.get("grade") or "").strip()
    reason = checks.text(data.get("grade_reason"), "grade_reason", "调整等级理由", 200)
    if grade and grade not in Grade.values:
        raise invalid("grade", "「预警等级」须为 critical 特高、high 高、medium 中、low 低 之一")
    overridden = bool(grade) and grade != graded.grade
    if overridden and not reason:
        raise invalid("grade_reason",
                      f"规则研判为「{Grade(graded.grade).label}」，人工定为「{Grade(grade).label}」须说明理由")
    return LeadInput(
        region=region, victim_name=name, fraud_type=ftype, source=source, upstream_id=upstream,
        victim_id_number=idn, victim_phone=phone, victim_age=age,
        suspect_number=common.normalized("phone", data.get("suspect_number"), "suspect_number"),
        suspect_account=common.normalized("account", data.get("suspect_account"), "suspect_account"),
        suspect_url=common.normalized("url", data.get("suspect_url"), "suspect_url"),
        amount_at_risk=amount, grade=grade or graded.grade, computed_grade=graded.grade,
        grade_reason=f"人工调整：{reason}（规则：{graded.reason}）"[:200] if overridden else graded.reason,
        overridden=overridden, received_at=received,
        description=checks.text(data.get("description"), "description", "线索内容", 2000),
    )


def _parse_time(value: str, field: str, label: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise invalid(field, f"「{label}」须为 ISO 8601 时间，如 2020-12-10T09:30:00+08:00") from None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _open(actor, item: LeadInput, *, router: Router, now: dt.datetime) -> Lead:
    """Open the case, route it at once, create the lead; inside the caller's transaction."""
    title = f"{item.victim_name}（{_type_name(item.fraud_type)}）预警"
    case = case_actions.open_case(
        kind=LEAD, title=title, region=item.region, reporter=None if is_system(actor) else actor,
        priority=item.grade, source=LeadSource(item.source).label, description=item.description, now=now,
    )
    station, why = router.route(item.region.code)
    person = link_person(actor=actor, name=item.victim_name, id_number=item.victim_id_number, region=item.region,
                         phone=item.victim_phone, source=f"预警线索{case.number}") if item.victim_id_number else None
    lead = Lead.objects.create(
        case=case, upstream_id=item.upstream_id, source=item.source, fraud_type=item.fraud_type,
        victim_name=item.victim_name, victim_id_number=item.victim_id_number, victim_phone=item.victim_phone,
        victim_age=item.victim_age, person=person, suspect_number=item.suspect_number,
        suspect_account=item.suspect_account, suspect_url=item.suspect_url, amount_at_risk=item.amount_at_risk,
        computed_grade=item.computed_grade, grade_reason=item.grade_reason, grade_overridden=item.overridden,
        received_at=item.received_at, routed_by=why,
    )
    if station is not None:
        # The platform routes by rule, at the same minute (the timeline shows who decided: 系统).
        from anmin.core.actors import SYSTEM

        lead.case = case_actions.transition_case(case=case, actor=SYSTEM, transition="dispatch",
                                                 expected_version=case.version, target_org=station,
                                                 reason=why, now=now)
    audit.record(actor=actor, action="create", obj=lead,
                 after={"number": case.number, "grade": item.grade, "upstream_id": item.upstream_id,
                        "routed_to": station.name if station else "", "person": getattr(person, "pk", None)})
    return lead


def _type_name(code: str) -> str:
    from anmin.core.codes import code_name

    return code_name("fraud_type", code)


def _existing(actor, upstream_id: str | None) -> Lead | None:
    if not upstream_id:
        return None
    found = Lead.objects.select_related("case").filter(upstream_id=upstream_id).first()
    if found is None:
        return None
    if not is_system(actor) and not Lead.objects.visible_to(actor).filter(pk=found.pk).exists():
        raise Conflict(f"上游线索编号 {upstream_id} 已由其他单位登记", field="upstream_id")
    return found


@action(perm=ADD_PERM, region="region", region_label="受害人所在区划", what="登记预警线索")
def report_lead(*, actor, region: Region | str, victim_name: str, fraud_type: str, now: dt.datetime | None = None,
                **fields: Any) -> Lead:
    """登记预警线索 (typed in or pushed one at a time): graded by the rules (or overridden with a reason),
    routed at once to the police station of the victim's place, the victim linked to the person
    register. A lead whose ``upstream_id`` is already registered is returned as it is (nothing new)."""
    now = now or clock.now()
    item = clean_lead({**fields, "region": region, "victim_name": victim_name, "fraud_type": fraud_type},
                      grader=Grader(), now=now)
    found = _existing(actor, item.upstream_id)
    if found is not None:
        return found
    try:
        with transaction.atomic(), audit.batch():
            return _open(actor, item, router=Router(), now=now)
    except IntegrityError:  # the same upstream id registered meanwhile: that one
        found = _existing(actor, item.upstream_id)
        if found is None:
            raise
        return found


@dataclass
class BatchResult:
    created: list[Lead] = field(default_factory=list)
    existing: list[Lead] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)  # {"index", "upstream_id", "field", "message"}

    def as_dict(self) -> dict[str, Any]:
        def row(lead: Lead, i: int) -> dict[str, Any]:
            return {"index": i, "upstream_id": lead.upstream_id, "id": lead.pk, "number": lead.case.number,
                    "grade": lead.case.priority, "routed_to": lead.case.handling_org.name
                    if lead.case.handling_org_id else ""}

        return {"created": len(self.created), "existing": len(self.existing), "failed": len(self.errors),
                "items": [row(lead, i) for i, lead in self._indexed], "errors": self.errors}

    _indexed: list[tuple[int, Lead]] = field(default_factory=list)


@action(perm=ADD_PERM, what="批量接收预警线索")
def intake_leads(*, actor, items: list[dict[str, Any]], now: dt.datetime | None = None) -> BatchResult:
    """Take in a batch (the upstream push): each item checked on its own — a bad one is reported with
    its index and field, the rest are registered; an item whose ``upstream_id`` is known (earlier, or
    earlier in this batch) is the same lead, not a new one."""
    now = now or clock.now()
    if len(items) > MAX_BATCH:
        raise invalid("items", f"一批最多 {MAX_BATCH} 条线索")
    result = BatchResult()
    grader, router = Grader(), Router()
    seen: dict[str, Lead | None] = {}
    fresh: list[tuple[int, LeadInput]] = []
    places: dict[str, Region] = {}
    repeats: list[tuple[int, str]] = []
    known = {lead.upstream_id: lead for lead in Lead.objects.select_related("case", "case__handling_org").filter(
        upstream_id__in=[str(i.get("upstream_id") or "").strip() for i in items if isinstance(i, dict)])}
    for index, data in enumerate(items):
        try:
            if not isinstance(data, dict):
                raise invalid("items", "每条线索须为一个对象")
            item = clean_lead(data, grader=grader, now=now, places=places)
            if not is_system(actor):
                require_area(actor, item.region, field="region", label="受害人所在区划")
            up = item.upstream_id
            if up and up in known:
                lead = known[up]
                if not is_system(actor) and not Lead.objects.visible_to(actor).filter(pk=lead.pk).exists():
                    raise Conflict(f"上游线索编号 {up} 已由其他单位登记", field="upstream_id")
                result.existing.append(lead)
                result._indexed.append((index, lead))
                continue
            if up and up in seen:  # earlier in this batch: the same lead
                repeats.append((index, up))
                continue
            fresh.append((index, item))
            if up:
                seen[up] = None  # taken in below
        except ActionError as exc:
            result.errors.append({"index": index, "upstream_id": (data or {}).get("upstream_id")
                                  if isinstance(data, dict) else None,
                                  "field": exc.field, "message": exc.message})
    pending_repeats = [(i, up) for i, up in repeats]
    try:
        opened = _open_many(actor, [item for _i, item in fresh], router=router, now=now)
    except IntegrityError:  # an upstream id registered meanwhile: one at a time, each finding its own
        opened = []
        for _i, item in fresh:
            found = _existing(actor, item.upstream_id)
            if found is None:
                with transaction.atomic(), audit.batch():
                    found = _open(actor, item, router=router, now=now)
            opened.append(found)
    for (index, item), lead in zip(fresh, opened, strict=True):
        if item.upstream_id:
            seen[item.upstream_id] = lead
        result.created.append(lead)
        result._indexed.append((index, lead))
    for index, up in pending_repeats:
        lead = seen[up]
        result.existing.append(lead)
        result._indexed.append((index, lead))
    result._indexed.sort(key=lambda pair: pair[0])
    return result


def _open_many(actor, items: list[LeadInput], *, router: Router, now: dt.datetime) -> list[Lead]:
    """The batch path of ``_open``: the cases with their 分派 step through the engine's bulk
    ``import_cases`` (numbers, timelines, one audit entry), the leads in one ``bulk_create``, the
    stations told (站内消息) as a live 分派 tells them."""
    from types import SimpleNamespace

    from django.urls import reverse

    from anmin.core import notices as core_notices
    from anmin.core.models.notices import NoticeKind
    from anmin.workflow import notify

    if not items:
        return []
    dispatch = LEAD.workflow.transition("dispatch")
    with transaction.atomic(), audit.batch():
        people = {}
        for item in items:
            if item.victim_id_number and item.victim_id_number not in people:
                people[item.victim_id_number] = link_person(
                    actor=actor, name=item.victim_name, id_number=item.victim_id_number, region=item.region,
                    phone=item.victim_phone, source="预警线索")
        routes = [router.route(item.region.code) for item in items]
        reporter = None if is_system(actor) else as_user(actor)
        cases = case_actions.import_cases([
            case_actions.PastCase(
                kind=LEAD.code, title=f"{item.victim_name}（{_type_name(item.fraud_type)}）预警",
                region_id=item.region.code, opened_at=now, reporter=reporter, priority=item.grade,
                source=str(LeadSource(item.source).label), description=item.description,
                steps=[case_actions.PastStep("dispatch", now, None, reason=why, target_org=station)]
                if station is not None else [])
            for item, (station, why) in zip(items, routes, strict=True)], actor=actor, note="接收预警线索")
        leads = [Lead(
            case=case, upstream_id=item.upstream_id, source=item.source, fraud_type=item.fraud_type,
            victim_name=item.victim_name, victim_id_number=item.victim_id_number, victim_phone=item.victim_phone,
            victim_age=item.victim_age, person=people.get(item.victim_id_number),
            suspect_number=item.suspect_number, suspect_account=item.suspect_account, suspect_url=item.suspect_url,
            amount_at_risk=item.amount_at_risk, computed_grade=item.computed_grade, grade_reason=item.grade_reason,
            grade_overridden=item.overridden, received_at=item.received_at, routed_by=why)
            for case, item, (_station, why) in zip(cases, items, routes, strict=True)]
        Lead.objects.bulk_create(leads, batch_size=1000)
        by_station: dict[int, list] = {}
        for case, (station, _why) in zip(cases, routes, strict=True):
            if station is not None:
                case.handling_org = station
                by_station.setdefault(station.pk, []).append(case)
        for station_id, routed in by_station.items():
            if len(routed) == 1:  # as a live 分派 says it, linking the lead
                notify.on_step(routed[0], dispatch, SimpleNamespace(seq=2, at=now), {"target_org": station_id})
            else:  # one message per station and batch, linking the board sorted by minutes left
                top = sorted(routed, key=lambda c: c.due_at)[0]
                core_notices.notify(
                    kind=NoticeKind.ASSIGNED, title=f"分派给您{len(routed)}条预警线索（最急：{top.number}）",
                    key=f"leads:{routed[0].number}:{station_id}", url=reverse("antifraud:board"),
                    orgs=[station_id], now=now)
        audit.record(actor=actor, action="import", object_type="antifraud.lead", reason="接收预警线索",
                     after={"count": len(leads), "first": cases[0].number, "last": cases[-1].number,
                            "upstream_ids": [lead.upstream_id for lead in leads if lead.upstream_id][:50]})
    return leads


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
        case_actions.record_case_event(case=case, actor=actor, action="contact_attempt", label=label, reason=reason,
                                       data={"method": method, "result": result}, now=at)
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
