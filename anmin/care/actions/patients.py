"""Care writes: registering a patient, risk assessments and their approval, follow-ups, the care team,
the rules, the patients' ledger. Each an ``@action`` (permission and jurisdiction checked before the
body), one transaction, a row lock and a version check where two people may edit the same record,
and an audit entry. Bad input raises ``ValidationError`` keyed by the field (an ``Invalid`` to the
pages and the API); no message carries an ID number or a phone number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from anmin.core import audit, clock
from anmin.core.actors import as_user
from anmin.core.guards import action, require_perm
from anmin.core.models import User
from anmin.core.protected import validate_phone_number
from anmin.people.actions import connection_lacks_returning, import_persons, lock_version
from anmin.people.models import SPECIAL_PERM, Person
from anmin.people.models.choices import (
    AssessmentSource,
    AssessmentStatus,
    Condition,
    RecordStatus,
    TeamRole,
    VisitKind,
    VisitMethod,
    VisitOutcome,
)
from anmin.people.risk import signals_changed

from .. import rules
from ..models import CareConfig, CareTeamMember, FollowUpWarning, MentalPatient, RiskAssessment, Visit


@action(perm="care.add_mentalpatient", target="person", model=Person, what="登记严重精神障碍患者")
def register_patient(
    *, actor, person: Person, risk_level: int, registered_on: dt.date | None = None, request=None, **fields
) -> MentalPatient:
    """建档: register a patient with the level assessed at registration and the first follow-up date."""
    require_perm(actor, SPECIAL_PERM, "登记严重精神障碍患者")
    if risk_level is None or not 0 <= int(risk_level) <= 5:
        raise ValidationError({"risk_level": "危险性评估等级：须为0至5级"})
    registered_on = registered_on or rules.today()
    allowed = {
        "diagnosis",
        "guardian_name",
        "guardian_relation",
        "guardian_phone",
        "has_incident_history",
        "treatment",
        "hospital",
        "rehab_org",
        "economic_status",
        "helper_name",
        "help_status",
        "notes",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"register_patient: unknown fields {sorted(unknown)}")
    if fields.get("guardian_phone"):
        try:
            fields["guardian_phone"] = validate_phone_number(fields["guardian_phone"], label="监护人联系电话")
        except ValidationError as exc:
            raise ValidationError({"guardian_phone": exc.messages}) from None
    level = int(risk_level)
    due = rules.next_followup(level=level, on=registered_on)
    with transaction.atomic():
        if MentalPatient.objects.filter(person=person, status=RecordStatus.ACTIVE).exists():
            raise ValidationError({"person": "人员：已在严重精神障碍患者台账中在册"})
        patient = MentalPatient.objects.create(
            person=person,
            risk_level=level,
            risk_level_since=registered_on,
            registered_on=registered_on,
            condition=rules.condition_for_level(level),
            next_followup_on=due.on,
            created_by=as_user(actor),
            **fields,
        )
        RiskAssessment.objects.create(
            patient=patient,
            level=level,
            previous_level=None,
            assessed_on=registered_on,
            source=AssessmentSource.REGISTRATION,
            status=AssessmentStatus.APPROVED,
            assessor=as_user(actor),
        )
        audit.record(actor=actor, action="create", obj=patient, after=audit.snapshot(patient), request=request)
        signals_changed(person_ids=[person.pk], signal=MentalPatient.risk_signal, actor=actor)
    return patient


@action(perm="care.add_riskassessment", target="patient", model=MentalPatient, what="评估危险性等级")
def assess_risk(
    *,
    actor,
    patient: MentalPatient,
    level: int,
    assessed_on: dt.date | None = None,
    note: str = "",
    source: str = AssessmentSource.REVIEW,
    visit: Visit | None = None,
    request=None,
) -> RiskAssessment:
    """危险性评估. The same level as approved is simply recorded; a different one waits for the
    township centre. Either way an older pending assessment of the patient is superseded."""
    if level is None or not 0 <= int(level) <= 5:
        raise ValidationError({"level": "危险性评估等级：须为0至5级"})
    assessed_on = assessed_on or rules.today()
    if assessed_on > rules.today():
        raise ValidationError({"assessed_on": "评估日期：不能晚于今天"})
    with transaction.atomic():
        current = MentalPatient.objects.select_for_update().get(pk=patient.pk)
        level = int(level)
        changed = level != current.risk_level
        # The latest assessment is what counts: an older change still waiting is superseded.
        RiskAssessment.objects.filter(patient=current, status=AssessmentStatus.PENDING).update(
            status=AssessmentStatus.SUPERSEDED
        )
        a = RiskAssessment.objects.create(
            patient=current,
            level=level,
            previous_level=current.risk_level,
            assessed_on=assessed_on,
            source=source,
            visit=visit,
            note=note,
            status=AssessmentStatus.PENDING if changed else AssessmentStatus.RECORDED,
            assessor=as_user(actor),
        )
        audit.record(
            actor=actor,
            action="create",
            obj=a,
            after={"level": level, "previous_level": current.risk_level, "status": a.status},
            request=request,
        )
    return a


@action(perm="care.approve_risk_level", target="assessment", model=RiskAssessment, what="审批危险性等级变更")
def decide_assessment(
    *, actor, assessment: RiskAssessment, approve: bool, note: str = "", expected_version=None, request=None
) -> RiskAssessment:
    """乡镇审批: approve or reject a pending change of level. Approving sets the patient's level and
    tightens the follow-up schedule if the new level needs it."""
    if not approve and not (note or "").strip():
        raise ValidationError({"note": "审批意见：驳回时必须填写理由"})
    with transaction.atomic():
        a = lock_version(RiskAssessment, assessment.pk, expected_version)
        if a.status != AssessmentStatus.PENDING:
            raise ValidationError({"note": f"该评估已处理（{a.get_status_display()}），无需再审批"})
        a.status = AssessmentStatus.APPROVED if approve else AssessmentStatus.REJECTED
        a.decided_by, a.decided_at, a.decision_note = as_user(actor), clock.now(), (note or "").strip()
        a.version += 1
        a.save()
        after: dict[str, Any] = {"status": a.status, "level": a.level}
        if approve:
            patient = MentalPatient.objects.select_for_update().get(pk=a.patient_id)
            before_level = patient.risk_level
            patient.risk_level, patient.risk_level_since = a.level, a.assessed_on
            patient.condition = rules.condition_for_level(a.level)
            due = rules.next_followup(level=a.level, on=rules.today(), previous=patient.last_condition)
            if patient.next_followup_on is None or due.on < patient.next_followup_on:
                patient.next_followup_on = due.on
            patient.version += 1
            patient.save()
            after.update(patient_level_before=before_level, next_followup_on=patient.next_followup_on)
            signals_changed(person_ids=[patient.person_id], signal=MentalPatient.risk_signal, actor=actor)
        audit.record(
            actor=actor,
            action="transition",
            obj=a,
            before={"status": AssessmentStatus.PENDING},
            after=after,
            reason=a.decision_note,
            request=request,
        )
    return a


# --- visits and follow-ups -----------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitPlan:
    """What the form shows before a follow-up: the latest date the rules allow and why."""

    patient: MentalPatient | None
    due: rules.Due | None


def plan_visit(
    *,
    person: Person,
    on: dt.date | None = None,
    risk_level: int | None = None,
    condition: str | None = None,
    improved: bool = False,
) -> VisitPlan:
    patient = MentalPatient.objects.filter(person=person, status=RecordStatus.ACTIVE).first()
    if patient is None:
        return VisitPlan(None, None)
    level = max(patient.risk_level, risk_level if risk_level is not None else 0)
    due = rules.next_followup(
        level=level,
        on=on or rules.today(),
        observed=condition or None,
        previous=patient.last_condition or None,
        improved=improved,
    )
    return VisitPlan(patient, due)


@action(perm="care.add_visit", target="person", model=Person, what="记录走访随访")
def record_visit(
    *,
    actor,
    person: Person,
    visited_at: dt.datetime,
    method: str,
    outcome: str,
    risk_level: int | None = None,
    condition: str = "",
    improved: bool = False,
    medication: str = "",
    observations: str = "",
    next_on: dt.date | None = None,
    request=None,
) -> Visit:
    """走访/随访. For a patient on the register this is a follow-up: it moves the next follow-up date
    (to ``next_on``, which may not be later than the rules allow; by default exactly that), records
    the observed level as an assessment (a different level waits for approval) and resolves the
    patient's follow-up warnings. A visit that did not reach the patient or family keeps the date."""
    now = clock.now()
    if visited_at is None:
        raise ValidationError({"visited_at": "走访时间：必填"})
    if timezone.is_naive(visited_at):
        visited_at = timezone.make_aware(visited_at)
    if visited_at > now + dt.timedelta(minutes=10):
        raise ValidationError({"visited_at": "走访时间：不能晚于现在"})
    day = timezone.localdate(visited_at)
    if next_on is not None and next_on <= day:
        raise ValidationError({"next_on": "下次走访/随访日期：须晚于本次走访日期"})
    if risk_level not in (None, "") and not 0 <= int(risk_level) <= 5:
        raise ValidationError({"risk_level": "观察到的危险性等级：须为0至5级"})
    for key, value, allowed, label in (
        ("method", method, VisitMethod.values, "方式"),
        ("outcome", outcome, VisitOutcome.values, "走访结果"),
        ("condition", condition or "", ["", *Condition.values], "病情"),
    ):
        if value not in allowed:
            raise ValidationError({key: f"{label}：请从列表中选择"})
    risk_level = None if risk_level in (None, "") else int(risk_level)
    with transaction.atomic():
        patient = MentalPatient.objects.select_for_update().filter(person=person, status=RecordStatus.ACTIVE).first()
        reached = outcome in (VisitOutcome.SEEN, VisitOutcome.FAMILY)
        due = None
        if patient is not None:
            level = max(patient.risk_level, risk_level or 0)
            due = rules.next_followup(
                level=level,
                on=day,
                observed=condition or None,
                previous=patient.last_condition or None,
                improved=improved,
            )
            if next_on is None:
                next_on = due.on
            elif next_on > due.on and reached:
                raise ValidationError({"next_on": f"下次随访日期：按随访规则最迟应为{due.on:%Y-%m-%d}（{due.reason}）"})
        visit = Visit.objects.create(
            person=person,
            patient=patient,
            kind=VisitKind.FOLLOW_UP if patient else VisitKind.VISIT,
            visited_at=visited_at,
            method=method,
            outcome=outcome,
            risk_level=risk_level,
            condition=condition or "",
            improved=bool(improved),
            medication=medication or "",
            observations=observations or "",
            next_on=next_on,
            recorded_by=as_user(actor),
        )
        after: dict[str, Any] = {"kind": visit.kind, "visited_at": visited_at, "outcome": outcome, "next_on": next_on}
        if patient is not None and reached and (patient.last_followup_on is None or day >= patient.last_followup_on):
            before_next = patient.next_followup_on
            patient.last_followup_on = day
            patient.last_condition = rules.effective_condition(
                max(patient.risk_level, risk_level or 0), condition or None
            )
            patient.next_followup_on = next_on
            patient.version += 1
            patient.save(update_fields=["last_followup_on", "last_condition", "next_followup_on", "version"])
            FollowUpWarning.objects.filter(patient=patient, resolved_at__isnull=True).update(resolved_at=now)
            after.update(next_followup_before=before_next, next_followup_on=next_on)
        audit.record(actor=actor, action="create", obj=visit, after=after, request=request)
        if patient is not None and risk_level is not None:
            assess_risk(
                actor=actor,
                patient=patient,
                level=risk_level,
                assessed_on=min(day, rules.today()),
                source=AssessmentSource.FOLLOW_UP,
                visit=visit,
                note="随访时评估",
                request=request,
            )
    return visit


# --- care team ----------------------------------------------------------------------------------------


@action(perm="care.add_careteammember", target="patient", model=MentalPatient, what="调整管理小组")
def add_team_member(
    *,
    actor,
    patient: MentalPatient,
    role: str,
    name: str,
    phone: str = "",
    org_name: str = "",
    user: User | None = None,
    account: str = "",
    since: dt.date | None = None,
    request=None,
) -> CareTeamMember:
    """管理小组: add a member ("五位一体"). ``account`` (a username) links the member's platform
    account, which lets them read the patient's diagnosis and follow-up notes (``actions.notes``)."""
    if (account or "").strip() and user is None:
        user = _team_account(patient, account.strip())
    if role not in TeamRole.values:
        raise ValidationError({"role": "成员类型：请从列表中选择"})
    if not (name or "").strip():
        raise ValidationError({"name": "姓名：必填"})
    if phone:
        try:
            phone = validate_phone_number(phone, label="联系电话")
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from None
    with transaction.atomic():
        member = CareTeamMember.objects.create(
            patient=patient,
            role=role,
            name=name.strip(),
            phone=phone,
            org_name=org_name,
            user=user,
            since=since or rules.today(),
        )
        audit.record(actor=actor, action="create", obj=member, after=audit.snapshot(member), request=request)
    return member


def _team_account(patient: MentalPatient, username: str) -> User:
    """An active account of a unit of the patient's township (or above it): a care team member's."""
    found = User.objects.filter(username=username, is_active=True).select_related("org_unit__region").first()
    where = patient.person.region_id
    org_region = found.org_unit.region if found is not None and found.org_unit_id else None
    if org_region is None or not (where.startswith(org_region.prefix) or org_region.code[:9] == where[:9]):
        raise ValidationError({"account": "平台账号：没有这个在用的账号，或其单位不在患者所在乡镇"})
    return found


@action(perm="care.change_careteammember", target="member", model=CareTeamMember, what="调整管理小组")
def remove_team_member(*, actor, member: CareTeamMember, until: dt.date | None = None, request=None) -> CareTeamMember:
    with transaction.atomic():
        m = CareTeamMember.objects.select_for_update().get(pk=member.pk)
        if m.until is not None:
            raise ValidationError({"member": "该成员已退出管理小组"})
        m.until = until or rules.today()
        m.save(update_fields=["until"])
        audit.record(
            actor=actor, action="update", obj=m, before={"until": None}, after={"until": m.until}, request=request
        )
    return m


def team_status(patient: MentalPatient) -> tuple[list[CareTeamMember], list[list[str]]]:
    members = list(patient.team.filter(until__isnull=True).order_by("role", "pk"))
    missing = rules.missing_team_roles({m.role for m in members})
    return members, missing


# --- configuration -----------------------------------------------------------------------------------------


@action(perm="care.change_careconfig", what="修改管理规则")
def update_care_rules(*, actor, rules_data: dict, request=None) -> CareConfig:
    rules.validate_rules(rules_data)
    with transaction.atomic():
        cfg, _created = CareConfig.objects.select_for_update().get_or_create(key="default")
        before = dict(cfg.rules)
        cfg.rules = rules_data
        cfg.save()
        audit.record(
            actor=actor,
            action="update",
            obj=cfg,
            before={"rules": before},
            after={"rules": rules_data},
            request=request,
        )
    rules.clear_cache()
    return cfg


@action(perm="care.add_mentalpatient", what="导入严重精神障碍患者台账")
def import_patients(*, actor, rows: Sequence[dict[str, Any]], request=None) -> int:
    """严重精神障碍患者台账: new persons are registered first; each row becomes a patient with its
    registration assessment and first follow-up date."""
    new_rows = [r for r in rows if r.get("_person") is None]
    created = (
        iter(import_persons(actor=actor, rows=[r["person"] for r in new_rows], source="mental", request=request))
        if new_rows
        else iter(())
    )
    patients, levels = [], []
    for r in rows:
        person = r.get("_person") or next(created)
        level = r["risk_level"]
        on = r.get("registered_on") or rules.today()
        patients.append(
            MentalPatient(
                person=person,
                risk_level=level,
                risk_level_since=on,
                registered_on=on,
                condition=rules.condition_for_level(level),
                next_followup_on=rules.next_followup(level=level, on=on).on,
                created_by=as_user(actor),
                **r["patient"],
            )
        )
        levels.append((level, on))
    MentalPatient.objects.bulk_create(patients, batch_size=1000)
    if connection_lacks_returning(patients):
        by_person = dict(
            MentalPatient.objects.filter(
                person__in=[p.person for p in patients], status=RecordStatus.ACTIVE
            ).values_list("person_id", "pk")
        )
        for p in patients:
            p.pk = by_person[p.person_id]
    RiskAssessment.objects.bulk_create(
        [
            RiskAssessment(
                patient=p,
                level=lv,
                assessed_on=on,
                source=AssessmentSource.IMPORT,
                status=AssessmentStatus.APPROVED,
                assessor=as_user(actor),
            )
            for p, (lv, on) in zip(patients, levels, strict=True)
        ],
        batch_size=1000,
    )
    audit.record(
        actor=actor,
        action="import",
        object_type="care.mentalpatient",
        after={"ledger": "mental", "created": len(patients)},
        request=request,
    )
    signals_changed(person_ids=[p.person_id for p in patients], signal=MentalPatient.risk_signal, actor=actor)
    return len(patients)
