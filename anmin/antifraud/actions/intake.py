"""Taking in warning leads — one (typed in, pushed alone) or a batch (the upstream push, the Excel
import) — idempotent by the upstream id, graded by rule and routed at once to the police station of
the victim's place.

Both paths write the same way, set-based: the cases with their 上报 and 分派 steps through the
engine's bulk ``import_cases`` (numbers from one sequence call, the timelines in one insert), the
leads in one ``bulk_create``, the people linked with one look-up, each station told once, the audit
entries appended under one lock. What routing reads (rules, stations, centres, places) comes from
``rules.intake_rules``, kept per process until reference data changes. A lead pushed alone is
audited as a live action is (the case opened, the 分派, the lead); a batch with one entry each for
its cases and its leads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from anmin.core import audit, checks, clock
from anmin.core import notices as core_notices
from anmin.core.actors import SYSTEM, as_user, is_system
from anmin.core.bulkcopy import build, copy_create
from anmin.core.errors import ActionError, Conflict, invalid
from anmin.core.guards import action, require_area
from anmin.core.models import Region
from anmin.core.models.notices import NoticeKind
from anmin.core.protected import parse_id_number
from anmin.people.identity import link_person
from anmin.people.models import Person
from anmin.workflow import actions as case_actions
from anmin.workflow import notify

from ..models import Grade, Lead, LeadSource
from ..rules import IntakeRules, intake_rules
from ..workflows import LEAD
from . import common

ADD_PERM = "antifraud.add_lead"
MAX_BATCH = 5000


def _region(value: Any, rules: IntakeRules) -> Region:
    if isinstance(value, Region):
        return value
    code = str(value or "").strip()
    if not code:
        raise invalid("region", "「受害人所在区划」为必填项")
    found = rules.place(code)
    if found is None:
        raise invalid("region", f"「受害人所在区划」{code} 不存在，请填写禹州市的区划代码")
    return found


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


def clean_lead(data: dict[str, Any], *, rules: IntakeRules, now: dt.datetime,
               fraud_types: dict[str, str] | None = None) -> LeadInput:
    """Check one lead's values (errors name the field, in Chinese) and grade it. ``rules`` holds the
    grading rules and the places already named (``rules.intake_rules``), ``fraud_types`` the code
    table as the batch read it: no query per lead."""
    region = _region(data.get("region"), rules)
    name = checks.text(data.get("victim_name"), "victim_name", "潜在受害人姓名", 64, required=True)
    ftype = common.fraud_type(data.get("fraud_type"), names=fraud_types)
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
    graded = rules.grader.grade(fraud_type=ftype, amount=amount, age=age)
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



def _fraud_types() -> dict[str, str]:
    from anmin.core.codes import code_names

    return code_names("fraud_type")


def _existing(actor, upstream_id: str | None) -> Lead | None:
    """The lead already registered under this upstream id (None: a new one); one outside the actor's
    scope is a conflict, not a leak. A new id — the usual case — costs one light look-up."""
    if not upstream_id:
        return None
    pk = next(iter(Lead.objects.filter(upstream_id=upstream_id).order_by().values_list("pk", flat=True)[:1]), None)
    if pk is None:
        return None
    if not is_system(actor) and not Lead.objects.visible_to(actor).filter(pk=pk).exists():
        raise Conflict(f"上游线索编号 {upstream_id} 已由其他单位登记", field="upstream_id")
    return Lead.objects.select_related("case", "case__handling_org").get(pk=pk)


@action(perm=ADD_PERM, region="region", region_label="受害人所在区划", what="登记预警线索")
def report_lead(*, actor, region: Region | str, victim_name: str, fraud_type: str, now: dt.datetime | None = None,
                **fields: Any) -> Lead:
    """登记预警线索 (typed in or pushed one at a time): graded by the rules (or overridden with a reason),
    routed at once to the police station of the victim's place, the victim linked to the person
    register. A lead whose ``upstream_id`` is already registered is returned as it is (nothing new)."""
    now = now or clock.now()
    rules, types = intake_rules(), _fraud_types()
    item = clean_lead({**fields, "region": region, "victim_name": victim_name, "fraud_type": fraud_type},
                      rules=rules, now=now, fraud_types=types)
    found = _existing(actor, item.upstream_id)
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return _open_many(actor, [item], rules=rules, now=now, audit_each=True, fraud_types=types)[0]
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
    earlier in this batch) is the same lead, not a new one. Each item's place is checked against the
    actor's area; a known lead outside the actor's scope is refused (one query for the batch)."""
    now = now or clock.now()
    if len(items) > MAX_BATCH:
        raise invalid("items", f"一批最多 {MAX_BATCH} 条线索")
    result = BatchResult()
    rules, types = intake_rules(), _fraud_types()
    seen: dict[str, Lead | None] = {}
    fresh: list[tuple[int, LeadInput]] = []
    repeats: list[tuple[int, str]] = []
    known = {lead.upstream_id: lead for lead in Lead.objects.select_related("case", "case__handling_org").filter(
        upstream_id__in=[str(i.get("upstream_id") or "").strip() for i in items if isinstance(i, dict)])}
    visible = set(known) if is_system(actor) or not known else set(
        Lead.objects.visible_to(actor).filter(pk__in=[lead.pk for lead in known.values()])
        .values_list("upstream_id", flat=True))
    for index, data in enumerate(items):
        try:
            if not isinstance(data, dict):
                raise invalid("items", "每条线索须为一个对象")
            item = clean_lead(data, rules=rules, now=now, fraud_types=types)
            if not is_system(actor):
                require_area(actor, item.region, field="region", label="受害人所在区划")
            up = item.upstream_id
            if up and up in known:
                if up not in visible:
                    raise Conflict(f"上游线索编号 {up} 已由其他单位登记", field="upstream_id")
                result.existing.append(known[up])
                result._indexed.append((index, known[up]))
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
    try:
        with transaction.atomic():
            opened = _open_many(actor, [item for _i, item in fresh], rules=rules, now=now, fraud_types=types)
    except IntegrityError:  # an upstream id registered meanwhile: one at a time, each finding its own
        opened = []
        for _i, item in fresh:
            found = _existing(actor, item.upstream_id)
            if found is None:
                with transaction.atomic():
                    found = _open_many(actor, [item], rules=rules, now=now, audit_each=True, fraud_types=types)[0]
            opened.append(found)
    for (index, item), lead in zip(fresh, opened, strict=True):
        if item.upstream_id:
            seen[item.upstream_id] = lead
        result.created.append(lead)
        result._indexed.append((index, lead))
    for index, up in repeats:
        lead = seen[up]
        result.existing.append(lead)
        result._indexed.append((index, lead))
    result._indexed.sort(key=lambda pair: pair[0])
    return result


def _people(actor, items: list[LeadInput], numbers: list[str]) -> dict[str, Person]:
    """The victims with an ID number, linked to the person register: the known ones in one query, the
    others registered (``link_person``, its own audit entry each)."""
    wanted = {item.victim_id_number for item in items if item.victim_id_number}
    if not wanted:
        return {}
    people = {p.id_number: p for p in Person.objects.filter(id_number__in=sorted(wanted))}
    for item, number in zip(items, numbers, strict=True):
        idn = item.victim_id_number
        if idn and idn not in people:
            people[idn] = link_person(actor=actor, name=item.victim_name, id_number=idn, region=item.region,
                                      phone=item.victim_phone, source=f"预警线索{number}")
    return people


def _open_many(actor, items: list[LeadInput], *, rules: IntakeRules, now: dt.datetime,
               audit_each: bool = False, fraud_types: dict[str, str] | None = None) -> list[Lead]:
    """Open, route and register the leads, set-based (see the module's note); inside the caller's
    transaction. ``audit_each``: the entries of the live actions (a lead pushed alone) instead of one
    entry for the batch's cases and one for its leads."""
    if not items:
        return []
    dispatch = LEAD.workflow.transition("dispatch")
    types = _fraud_types() if fraud_types is None else fraud_types
    with audit.batch():
        routes = [rules.router.route(item.region.code) for item in items]
        reporter = None if is_system(actor) else as_user(actor)
        cases = case_actions.import_cases([
            case_actions.PastCase(
                kind=LEAD.code, title=f"{item.victim_name}（{types.get(item.fraud_type, item.fraud_type)}）预警",
                region_id=item.region.code, opened_at=now, reporter=reporter, priority=item.grade,
                source=str(LeadSource(item.source).label), description=item.description,
                steps=[case_actions.PastStep("dispatch", now, SYSTEM, reason=why, target_org=station)]
                if station is not None else [])  # routed by the platform, by rule (系统 on the timeline)
            for item, (station, why) in zip(items, routes, strict=True)],
            actor=actor, note="接收预警线索", live=True, audit_each=audit_each, finder=rules.centres)
        for case, item in zip(cases, items, strict=True):
            case.region = item.region  # loaded already (the answer names the place)
        people = _people(actor, items, [case.number for case in cases])
        leads = [build(
            Lead, case=case, upstream_id=item.upstream_id, source=item.source, fraud_type=item.fraud_type,
            victim_name=item.victim_name, victim_id_number=item.victim_id_number, victim_phone=item.victim_phone,
            victim_age=item.victim_age, person=people.get(item.victim_id_number),
            suspect_number=item.suspect_number, suspect_account=item.suspect_account, suspect_url=item.suspect_url,
            amount_at_risk=item.amount_at_risk, computed_grade=item.computed_grade, grade_reason=item.grade_reason,
            grade_overridden=item.overridden, received_at=item.received_at, routed_by=why)
            for case, item, (_station, why) in zip(cases, items, routes, strict=True)]
        copy_create(leads)
        _tell_stations(cases, routes, dispatch, now)
        if audit_each:
            for lead, item, (station, _why) in zip(leads, items, routes, strict=True):
                audit.record(actor=actor, action="create", obj=lead,
                             after={"number": lead.case.number, "grade": item.grade, "upstream_id": item.upstream_id,
                                    "routed_to": station.name if station else "",
                                    "person": getattr(lead.person, "pk", None)})
        else:
            audit.record(actor=actor, action="import", object_type="antifraud.lead", reason="接收预警线索",
                         after={"count": len(leads), "first": cases[0].number, "last": cases[-1].number,
                                "upstream_ids": [lead.upstream_id for lead in leads if lead.upstream_id][:50]})
    return leads


def _tell_stations(cases, routes, dispatch, now: dt.datetime) -> None:
    """站内消息: a lone lead as a live 分派 says it (linking the lead); several for one station in one
    message per station and batch, linking the board sorted by minutes left."""
    by_station: dict[int, list] = {}
    for case, (station, _why) in zip(cases, routes, strict=True):
        if station is not None:
            by_station.setdefault(station.pk, []).append(case)
    for station_id, routed in by_station.items():
        if len(routed) == 1:
            notify.on_step(routed[0], dispatch, SimpleNamespace(seq=2, at=now), {"target_org": station_id})
        else:
            top = sorted(routed, key=lambda c: c.due_at)[0]
            core_notices.notify(
                kind=NoticeKind.ASSIGNED, title=f"分派给您{len(routed)}条预警线索（最急：{top.number}）",
                key=f"leads:{routed[0].number}:{station_id}", url=reverse("antifraud:board"),
                orgs=[station_id], now=now)
