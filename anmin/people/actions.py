"""Every write to the people registers: keyword-only arguments, one transaction, a row lock and a
version check where two people may edit the same record, and an audit entry.

``actor=None`` means the system itself (the demo builder, the sweep); any user is checked for the
permission and for the record lying in their jurisdiction. Bad input raises ``ValidationError``
keyed by the field with a Chinese message naming the rule; a stale version raises ``Conflict``; a
missing permission or an out-of-scope record raises ``NotPermitted``. No message carries an ID
number or a phone number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Sum
from django.utils import timezone

from anmin.core import audit, clock
from anmin.core.models import Region, User
from anmin.core.protected import (
    check_id_number_agrees,
    parse_id_number,
    validate_phone_number,
)

from . import rules
from .models import (
    CareConfig,
    CareLogCheck,
    CareTeamMember,
    FollowUpWarning,
    GuardianSubsidy,
    House,
    Incident,
    MentalPatient,
    Person,
    Residence,
    RiskAssessment,
    SpecialRecord,
    SubsidyAward,
    SubsidyPayment,
    Visit,
    name_initials,
)
from .models.choices import (
    AssessmentSource,
    AssessmentStatus,
    AwardStatus,
    Condition,
    IncidentSeverity,
    RecordStatus,
    SubsidyStatus,
    TeamRole,
    VisitKind,
    VisitMethod,
    VisitOutcome,
    WarningKind,
)


class PeopleError(Exception):
    """An action that cannot be done; ``message`` is for the user (Chinese)."""

    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotPermitted(PeopleError):
    code = "forbidden"


class Conflict(PeopleError):
    """The record changed since the user loaded it: nothing was written; ``current`` is the newer row."""

    code = "conflict"

    def __init__(self, current: models.Model, expected: Any):
        self.current = current
        label = current._meta.verbose_name
        super().__init__(
            f"{label}已被他人修改（当前版本 {current.version}，您提交时的版本 {expected}），"
            "未保存您的修改；请查看最新内容后重新提交。"
        )


# --- helpers ------------------------------------------------------------------------------------


def _require(actor, perm: str, what: str) -> None:
    if actor is not None and not actor.has_perm(perm):
        raise NotPermitted(f"您没有{what}的权限")


def _ensure_visible(actor, model: type[models.Model], pk, action: str = "view") -> None:
    if actor is not None and not model.objects.visible_to(actor, action).filter(pk=pk).exists():
        raise NotPermitted(f"该{model._meta.verbose_name}不在您的辖区内或不存在")


def _lock(model: type[models.Model], pk, expected_version=None):
    obj = model.objects.select_for_update().get(pk=pk)
    if expected_version not in (None, "") and int(expected_version) != obj.version:
        raise Conflict(obj, expected_version)
    return obj


def _region(region) -> Region:
    if isinstance(region, Region):
        return region
    try:
        return Region.objects.get(code=str(region))
    except Region.DoesNotExist:
        raise ValidationError({"region": "所属区划：不存在该区划代码"}) from None


def _region_in_scope(actor, region) -> Region:
    region = _region(region)
    if actor is not None and not any(region.code.startswith(p) for p in actor.scope.prefixes):
        raise ValidationError({"region": f"所属区划：“{region.name}”不在您的辖区内"})
    return region


def _changed(before: dict, after: dict) -> tuple[dict, dict]:
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _record(actor, action: str, obj, *, before=None, after=None, reason: str = "", request=None):
    return audit.record(actor=actor, action=action, obj=obj, before=before, after=after, reason=reason, request=request)


def grid_worker_for(region_code: str) -> User | None:
    """The grid worker responsible for a grid (the first active account holding it)."""
    if len(region_code) <= 12:
        return None
    return (
        User.objects.filter(grids__code=region_code, is_active=True, roles__code="grid_worker").order_by("pk").first()
    )


# --- persons ---------------------------------------------------------------------------------------

PERSON_FIELDS = (
    "name",
    "former_name",
    "id_number",
    "phone",
    "sex",
    "birth_date",
    "ethnicity",
    "native_place",
    "marital_status",
    "education",
    "occupation",
    "workplace",
    "hukou_address",
    "current_address",
    "region",
    "grid_worker",
    "status",
    "registered_on",
    "is_migrant",
    "migrant_reason",
    "migrant_since",
    "migrant_residence_kind",
    "is_left_behind",
    "left_behind_type",
    "left_behind_health",
    "left_behind_family",
    "left_behind_needs",
    "is_foreign",
    "foreign_surname",
    "foreign_given_name",
    "nationality",
    "foreign_document_type",
    "foreign_document_no",
    "visit_purpose",
    "arrived_on",
    "expected_departure_on",
    "notes",
)


def clean_identity(data: dict[str, Any], *, today: dt.date | None = None) -> dict[str, Any]:
    """Check and complete the identity fields of ``data`` (a copy is returned).

    The ID number (required unless a foreign resident) must pass GB 11643; sex and birth date are
    taken from it, and entered values that contradict it are errors on their own fields.
    """
    data = dict(data)
    errors: dict[str, list[str]] = {}
    raw_id = data.get("id_number")
    raw_id = raw_id.reveal() if hasattr(raw_id, "reveal") else (raw_id or "")
    if raw_id:
        try:
            info = parse_id_number(raw_id, today=today)
        except ValidationError as exc:
            errors.setdefault("id_number", []).extend(exc.messages)
        else:
            data["id_number"] = info.number
            try:
                check_id_number_agrees(
                    info.number, birth_date=data.get("birth_date") or None, sex=data.get("sex") or None
                )
            except ValidationError as exc:
                for key, msgs in exc.message_dict.items():
                    errors.setdefault(key, []).extend(msgs)
            data["birth_date"], data["sex"] = info.birth_date, str(info.sex)
    elif not data.get("is_foreign"):
        errors.setdefault("id_number", []).append("公民身份号码：必填（境外人员可不填，改填证件信息）")
    else:
        data["id_number"] = None
    phone = data.get("phone")
    phone = phone.reveal() if hasattr(phone, "reveal") else (phone or "")
    if phone:
        try:
            data["phone"] = validate_phone_number(phone, label="联系电话")
        except ValidationError as exc:
            errors.setdefault("phone", []).extend(exc.messages)
    if not (data.get("name") or "").strip():
        errors.setdefault("name", []).append("姓名：必填")
    if errors:
        raise ValidationError(errors)
    data["name"] = data["name"].strip()
    return data


def _id_taken(id_number: str, *, exclude_pk=None) -> bool:
    qs = Person.objects.filter(id_number=id_number)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def create_person(*, actor, request=None, **fields) -> Person:
    """登记实有人口."""
    _require(actor, "people.add_person", "登记实有人口")
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"create_person: unknown fields {sorted(unknown)}")
    data = clean_identity(fields)
    data["region"] = _region_in_scope(actor, data.get("region"))
    data["registered_on"] = data.get("registered_on") or rules.today()
    if data.get("grid_worker") is None:
        data["grid_worker"] = grid_worker_for(data["region"].code)
    with transaction.atomic():
        if data.get("id_number") and _id_taken(data["id_number"]):
            raise ValidationError({"id_number": "公民身份号码：该号码已登记，请查找已有人员，勿重复登记"})
        person = Person(**{k: v for k, v in data.items() if v is not None or k == "id_number"})
        person.full_clean(
            exclude=["id_number", "phone", "region", "grid_worker", "foreign_document_no"],
            validate_unique=False,
            validate_constraints=False,
        )
        try:
            with transaction.atomic():
                person.save()
        except IntegrityError:
            raise ValidationError({"id_number": "公民身份号码：该号码已登记，请查找已有人员，勿重复登记"}) from None
        _record(actor, "create", person, after=audit.snapshot(person), request=request)
    return person


def update_person(*, actor, person: Person, expected_version, changes: dict[str, Any], request=None) -> Person:
    """修改人员信息 (with the version the user loaded: a concurrent edit is a conflict)."""
    _require(actor, "people.change_person", "修改人员信息")
    _ensure_visible(actor, Person, person.pk, "change")
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"update_person: unknown fields {sorted(unknown)}")
    with transaction.atomic():
        current = _lock(Person, person.pk, expected_version)
        before = audit.snapshot(current)
        merged = {f: getattr(current, f) for f in PERSON_FIELDS if f not in ("region", "grid_worker")}
        merged.update(changes)
        if "id_number" not in changes:
            merged["id_number"] = current.id_number
        data = clean_identity(merged)
        if "region" in changes:
            data["region"] = _region_in_scope(actor, changes["region"])
            if "grid_worker" not in changes:
                data["grid_worker"] = grid_worker_for(data["region"].code) or current.grid_worker
        if data.get("id_number") and "id_number" in changes and _id_taken(data["id_number"], exclude_pk=current.pk):
            raise ValidationError({"id_number": "公民身份号码：该号码已被其他人员登记"})
        for key in (*changes, "sex", "birth_date"):
            if key in data:
                setattr(current, key, data[key])
        current.full_clean(
            exclude=["id_number", "phone", "region", "grid_worker", "foreign_document_no"],
            validate_unique=False,
            validate_constraints=False,
        )
        current.version += 1
        current.updated_at = timezone.now()
        current.save()
        b, a = _changed(before, audit.snapshot(current))
        _record(actor, "update", current, before=b, after=a, request=request)
    return current


REVEALABLE = {"id_number": "公民身份号码", "phone": "联系电话"}


def reveal_person(*, actor, person: Person, fields: Iterable[str], reason: str, request=None) -> dict[str, str]:
    """查看完整号码: needs ``people.reveal_person``, the person in scope and a reason; writes an access
    record to the audit log and returns the plaintext values asked for."""
    fields = [f for f in fields if f in REVEALABLE]
    _require(actor, "people.reveal_person", "查看完整身份证号码和电话")
    _ensure_visible(actor, Person, person.pk)
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": "查看事由：必填，请写明为何需要查看完整号码（至少2个字）"})
    if not fields:
        raise ValidationError({"fields": "查看内容：请至少选择一项"})
    values = {}
    for f in fields:
        value = getattr(person, f)
        values[f] = value.reveal() if value else ""
    with transaction.atomic():
        audit.record_reveal(actor=actor, obj=person, fields=fields, reason=reason, request=request)
    return values


def record_export_reveal(*, actor, object_type: str, rows: int, reason: str, filters: dict, request=None) -> None:
    """An export with full ID numbers and phones: the same permission and a reason, audited."""
    _require(actor, "people.reveal_person", "导出完整身份证号码和电话")
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": "导出事由：必填，请写明为何需要完整号码（至少2个字）"})
    with transaction.atomic():
        audit.record_export(
            actor=actor,
            object_type=object_type,
            rows=rows,
            filters={**filters, "revealed": ["id_number", "phone"]},
            reason=reason,
            request=request,
        )


# --- houses and residence -------------------------------------------------------------------------

HOUSE_FIELDS = ("address", "region", "use", "is_rented", "owner", "owner_name", "floor_area", "rental_use", "notes")


def create_house(*, actor, request=None, **fields) -> House:
    _require(actor, "people.add_house", "登记房屋")
    unknown = set(fields) - set(HOUSE_FIELDS)
    if unknown:
        raise TypeError(f"create_house: unknown fields {sorted(unknown)}")
    if not (fields.get("address") or "").strip():
        raise ValidationError({"address": "房屋地址：必填"})
    fields["region"] = _region_in_scope(actor, fields.get("region"))
    with transaction.atomic():
        house = House.objects.create(**fields)
        _record(actor, "create", house, after=audit.snapshot(house), request=request)
    return house


def update_house(*, actor, house: House, expected_version, changes: dict, request=None) -> House:
    _require(actor, "people.change_house", "修改房屋信息")
    _ensure_visible(actor, House, house.pk, "change")
    with transaction.atomic():
        current = _lock(House, house.pk, expected_version)
        before = audit.snapshot(current)
        for key, value in changes.items():
            if key not in HOUSE_FIELDS:
                raise TypeError(f"update_house: unknown field {key}")
            setattr(current, key, _region_in_scope(actor, value) if key == "region" else value)
        current.version += 1
        current.save()
        b, a = _changed(before, audit.snapshot(current))
        _record(actor, "update", current, before=b, after=a, request=request)
    return current


def add_residence(
    *, actor, person: Person, house: House, relation: str, since: dt.date | None = None, request=None
) -> Residence:
    """登记居住: the person lives in the house from ``since``."""
    _require(actor, "people.add_residence", "登记居住关系")
    _ensure_visible(actor, House, house.pk)
    _ensure_visible(actor, Person, person.pk)
    with transaction.atomic():
        if Residence.objects.filter(person=person, house=house, until__isnull=True).exists():
            raise ValidationError({"person": "人员：已登记居住在该房屋"})
        res = Residence.objects.create(person=person, house=house, relation=relation, since=since)
        _record(actor, "create", res, after=audit.snapshot(res), request=request)
    return res


def end_residence(*, actor, residence: Residence, until: dt.date, request=None) -> Residence:
    _require(actor, "people.change_residence", "登记迁出")
    _ensure_visible(actor, House, residence.house_id)
    with transaction.atomic():
        res = Residence.objects.select_for_update().get(pk=residence.pk)
        if res.until is not None:
            raise ValidationError({"until": "迁出日期：该居住关系已结束"})
        if res.since and until < res.since:
            raise ValidationError({"until": "迁出日期：不能早于入住日期"})
        res.until = until
        res.save(update_fields=["until"])
        _record(actor, "update", res, before={"until": None}, after={"until": until}, request=request)
    return res


# --- special populations ----------------------------------------------------------------------------


def _special_perm(model: type[SpecialRecord], action: str) -> str:
    return f"people.{action}_{model._meta.model_name}"


def register_special(
    *, actor, model: type[SpecialRecord], person: Person, fields: dict[str, Any], request=None
) -> SpecialRecord:
    """列管: put a person on a special-population register (mental patients: ``register_patient``)."""
    if model is MentalPatient:
        return register_patient(actor=actor, person=person, request=request, **fields)
    label = model._meta.verbose_name
    _require(actor, _special_perm(model, "add"), f"登记{label}")
    _require(actor, "people.view_special_population", f"登记{label}")
    _ensure_visible(actor, Person, person.pk)
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        if model.objects.filter(person=person, status=RecordStatus.ACTIVE).exists():
            raise ValidationError({"person": f"人员：已在{label}台账中在册"})
        fields = {"registered_on": rules.today(), **fields}
        record = model(person=person, created_by=actor if actor is not None else None, **fields)
        record.full_clean(exclude=["person", "created_by"], validate_constraints=False)
        _check_codes(record)
        record.save()
        _record(actor, "create", record, after=audit.snapshot(record), request=request)
    return record


def _check_codes(record) -> None:
    from anmin.core.codes import code_names

    for fname, table in (("youth_type", "youth_type"), ("concern_level", "youth_concern")):
        if hasattr(record, fname):
            value = getattr(record, fname)
            names = code_names(table)
            if names and value not in names:
                label = record._meta.get_field(fname).verbose_name
                raise ValidationError({fname: f"{label}：“{value}”不在代码表 {table} 中"})


def update_special(
    *, actor, record: SpecialRecord, expected_version, changes: dict[str, Any], request=None
) -> SpecialRecord:
    model = type(record)
    _require(actor, _special_perm(model, "change"), f"修改{model._meta.verbose_name}")
    _ensure_visible(actor, model, record.pk, "change")
    protected_keys = {
        "person",
        "status",
        "version",
        "created_by",
        "risk_level",
        "next_followup_on",
        "last_followup_on",
        "last_condition",
    }
    bad = protected_keys.intersection(changes)
    if bad:
        raise TypeError(f"update_special: {sorted(bad)} change through their own actions")
    with transaction.atomic():
        current = _lock(model, record.pk, expected_version)
        before = audit.snapshot(current)
        for key, value in changes.items():
            setattr(current, key, value)
        current.full_clean(exclude=["person", "created_by"], validate_constraints=False)
        _check_codes(current)
        current.version += 1
        current.save()
        b, a = _changed(before, audit.snapshot(current))
        _record(actor, "update", current, before=b, after=a, request=request)
    return current


def close_special(
    *, actor, record: SpecialRecord, expected_version, closed_on: dt.date, reason: str, request=None
) -> SpecialRecord:
    """解除列管 (end of correction, death, moved away …)."""
    model = type(record)
    _require(actor, _special_perm(model, "change"), f"解除{model._meta.verbose_name}列管")
    _ensure_visible(actor, model, record.pk, "change")
    if not (reason or "").strip():
        raise ValidationError({"reason": "解除原因：必填"})
    with transaction.atomic():
        current = _lock(model, record.pk, expected_version)
        if current.status != RecordStatus.ACTIVE:
            raise ValidationError({"reason": "该记录已解除列管"})
        current.status, current.closed_on, current.closed_reason = RecordStatus.CLOSED, closed_on, reason.strip()
        current.version += 1
        current.save()
        _record(
            actor,
            "update",
            current,
            before={"status": RecordStatus.ACTIVE},
            after={"status": RecordStatus.CLOSED, "closed_on": closed_on},
            reason=reason,
            request=request,
        )
    return current


# --- severe mental disorders: registration, assessments, approvals ------------------------------------


def register_patient(
    *, actor, person: Person, risk_level: int, registered_on: dt.date | None = None, request=None, **fields
) -> MentalPatient:
    """建档: register a patient with the level assessed at registration and the first follow-up date."""
    _require(actor, "people.add_mentalpatient", "登记严重精神障碍患者")
    _require(actor, "people.view_special_population", "登记严重精神障碍患者")
    _ensure_visible(actor, Person, person.pk)
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
            created_by=actor if actor is not None else None,
            **fields,
        )
        RiskAssessment.objects.create(
            patient=patient,
            level=level,
            previous_level=None,
            assessed_on=registered_on,
            source=AssessmentSource.REGISTRATION,
            status=AssessmentStatus.APPROVED,
            assessor=actor,
        )
        _record(actor, "create", patient, after=audit.snapshot(patient), request=request)
    return patient


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
    _require(actor, "people.add_riskassessment", "评估危险性等级")
    _ensure_visible(actor, MentalPatient, patient.pk)
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
            assessor=actor,
        )
        _record(
            actor,
            "create",
            a,
            after={"level": level, "previous_level": current.risk_level, "status": a.status},
            request=request,
        )
    return a


def decide_assessment(
    *, actor, assessment: RiskAssessment, approve: bool, note: str = "", expected_version=None, request=None
) -> RiskAssessment:
    """乡镇审批: approve or reject a pending change of level. Approving sets the patient's level and
    tightens the follow-up schedule if the new level needs it."""
    _require(actor, "people.approve_risk_level", "审批危险性等级变更")
    _ensure_visible(actor, RiskAssessment, assessment.pk)
    if not approve and not (note or "").strip():
        raise ValidationError({"note": "审批意见：驳回时必须填写理由"})
    with transaction.atomic():
        a = _lock(RiskAssessment, assessment.pk, expected_version)
        if a.status != AssessmentStatus.PENDING:
            raise ValidationError({"note": f"该评估已处理（{a.get_status_display()}），无需再审批"})
        a.status = AssessmentStatus.APPROVED if approve else AssessmentStatus.REJECTED
        a.decided_by, a.decided_at, a.decision_note = actor, timezone.now(), (note or "").strip()
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
        _record(
            actor,
            "transition",
            a,
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
    _require(actor, "people.add_visit", "记录走访随访")
    _ensure_visible(actor, Person, person.pk)
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
            recorded_by=actor,
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
        _record(actor, "create", visit, after=after, request=request)
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


def add_team_member(
    *,
    actor,
    patient: MentalPatient,
    role: str,
    name: str,
    phone: str = "",
    org_name: str = "",
    user: User | None = None,
    since: dt.date | None = None,
    request=None,
) -> CareTeamMember:
    """管理小组: add a member ("五位一体")."""
    _require(actor, "people.add_careteammember", "调整管理小组")
    _ensure_visible(actor, MentalPatient, patient.pk)
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
        _record(actor, "create", member, after=audit.snapshot(member), request=request)
    return member


def remove_team_member(*, actor, member: CareTeamMember, until: dt.date | None = None, request=None) -> CareTeamMember:
    _require(actor, "people.change_careteammember", "调整管理小组")
    _ensure_visible(actor, CareTeamMember, member.pk)
    with transaction.atomic():
        m = CareTeamMember.objects.select_for_update().get(pk=member.pk)
        if m.until is not None:
            raise ValidationError({"member": "该成员已退出管理小组"})
        m.until = until or rules.today()
        m.save(update_fields=["until"])
        _record(actor, "update", m, before={"until": None}, after={"until": m.until}, request=request)
    return m


def team_status(patient: MentalPatient) -> tuple[list[CareTeamMember], list[list[str]]]:
    members = list(patient.team.filter(until__isnull=True).order_by("role", "pk"))
    missing = rules.missing_team_roles({m.role for m in members})
    return members, missing


# --- incidents and the guardian subsidy -------------------------------------------------------------------


def record_incident(
    *,
    actor,
    patient: MentalPatient,
    occurred_at: dt.datetime,
    severity: str,
    place: str = "",
    description: str = "",
    casualties: int = 0,
    handling: str = "",
    request=None,
) -> Incident:
    """肇事肇祸登记. Resets the guardian subsidy: the incident-free period starts over at the incident,
    and an approved, unpaid award of that year is voided."""
    _require(actor, "people.add_incident", "登记肇事肇祸")
    _ensure_visible(actor, MentalPatient, patient.pk)
    if severity not in IncidentSeverity.values:
        raise ValidationError({"severity": "性质：请选择肇事或肇祸"})
    if occurred_at is None:
        raise ValidationError({"occurred_at": "发生时间：必填"})
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    if occurred_at > clock.now() + dt.timedelta(minutes=10):
        raise ValidationError({"occurred_at": "发生时间：不能晚于现在"})
    day = timezone.localdate(occurred_at)
    with transaction.atomic():
        p = MentalPatient.objects.select_for_update().get(pk=patient.pk)
        incident = Incident.objects.create(
            patient=p,
            occurred_at=occurred_at,
            severity=severity,
            place=place,
            description=description,
            casualties=casualties or 0,
            handling=handling,
            reported_by=actor,
        )
        _record(actor, "create", incident, after={"severity": severity, "occurred_at": occurred_at}, request=request)
        subsidy = GuardianSubsidy.objects.select_for_update().filter(patient=p).first()
        if subsidy is not None and subsidy.status != SubsidyStatus.ENDED:
            before = {"status": subsidy.status, "period_start": subsidy.period_start}
            if day >= subsidy.period_start:
                subsidy.period_start = day
            subsidy.status = SubsidyStatus.RESET
            subsidy.version += 1
            subsidy.save()
            voided = []
            for award in SubsidyAward.objects.select_for_update().filter(
                subsidy=subsidy, year=day.year, status=AwardStatus.APPROVED
            ):
                if not award.payments.exists():
                    award.status, award.version = AwardStatus.VOID, award.version + 1
                    award.note = (award.note + "；" if award.note else "") + "因肇事肇祸作废"
                    award.save()
                    voided.append(award.year)
            _record(
                actor,
                "update",
                subsidy,
                before=before,
                after={"status": subsidy.status, "period_start": subsidy.period_start, "voided_awards": voided},
                reason="肇事肇祸，以奖代补资格重新计算",
                request=request,
            )
    return incident


def enroll_subsidy(
    *,
    actor,
    patient: MentalPatient,
    guardian_name: str,
    enrolled_on: dt.date,
    guardian_relation: str = "",
    guardian_phone: str = "",
    annual_amount=None,
    request=None,
) -> GuardianSubsidy:
    """纳入以奖代补."""
    _require(actor, "people.add_guardiansubsidy", "纳入以奖代补")
    _ensure_visible(actor, MentalPatient, patient.pk)
    cfg = rules.current_rules()["subsidy"]
    errors: dict[str, str] = {}
    if not (guardian_name or "").strip():
        errors["guardian_name"] = "监护人姓名：必填"
    if patient.risk_level < cfg["min_level"]:
        errors["patient"] = f"患者：危险性评估等级须不低于{cfg['min_level']}级"
    if cfg["require_incident_history"] and not (patient.has_incident_history or patient.incidents.exists()):
        errors.setdefault("patient", "患者：须有肇事肇祸史")
    if guardian_phone:
        try:
            guardian_phone = validate_phone_number(guardian_phone, label="监护人联系电话")
        except ValidationError as exc:
            errors["guardian_phone"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    amount = Decimal(str(annual_amount if annual_amount not in (None, "") else cfg["annual_amount"]))
    with transaction.atomic():
        if GuardianSubsidy.objects.filter(patient=patient).exists():
            raise ValidationError({"patient": "患者：已纳入以奖代补"})
        s = GuardianSubsidy.objects.create(
            patient=patient,
            guardian_name=guardian_name.strip(),
            guardian_relation=guardian_relation,
            guardian_phone=guardian_phone,
            enrolled_on=enrolled_on,
            period_start=enrolled_on,
            annual_amount=amount,
        )
        _record(actor, "create", s, after=audit.snapshot(s), request=request)
    return s


def record_care_log_check(
    *,
    actor,
    subsidy: GuardianSubsidy,
    year: int,
    quarter: int,
    checked_on: dt.date,
    passed: bool,
    note: str = "",
    request=None,
) -> CareLogCheck:
    """村(社区)每季度检查监护人看护记录."""
    _require(actor, "people.add_carelogcheck", "检查看护记录")
    _ensure_visible(actor, GuardianSubsidy, subsidy.pk)
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": "季度：须为1至4"})
    quarter_start = dt.date(year, 3 * quarter - 2, 1)
    if checked_on < quarter_start:
        raise ValidationError({"checked_on": f"检查日期：不能早于该季度开始（{quarter_start:%Y-%m-%d}）"})
    with transaction.atomic():
        if CareLogCheck.objects.filter(subsidy=subsidy, year=year, quarter=quarter).exists():
            raise ValidationError({"quarter": f"季度：{year}年第{quarter}季度已检查过"})
        c = CareLogCheck.objects.create(
            subsidy=subsidy,
            year=year,
            quarter=quarter,
            checked_on=checked_on,
            passed=passed,
            note=note,
            checked_by=actor,
        )
        _record(actor, "create", c, after={"year": year, "quarter": quarter, "passed": passed}, request=request)
    return c


def subsidy_eligibility(subsidy: GuardianSubsidy, year: int) -> rules.Eligibility:
    patient = subsidy.patient
    dates = [timezone.localdate(t) for t in patient.incidents.values_list("occurred_at", flat=True)]
    passed = subsidy.checks.filter(year=year, passed=True).count()
    return rules.subsidy_eligibility(
        patient=patient, year=year, incident_dates=dates, subsidy=subsidy, passed_checks=passed
    )


def decide_subsidy_award(
    *,
    actor,
    subsidy: GuardianSubsidy,
    year: int,
    approve: bool,
    amount=None,
    note: str = "",
    expected_version=None,
    request=None,
) -> SubsidyAward:
    """乡镇年度审批. Approval needs the patient eligible for the whole year (rules) and every
    quarterly check of the year passed."""
    _require(actor, "people.approve_subsidy", "审批以奖代补")
    _ensure_visible(actor, GuardianSubsidy, subsidy.pk)
    if year > rules.today().year:
        raise ValidationError({"year": "年度：不能审批未来年度"})
    with transaction.atomic():
        s = _lock(GuardianSubsidy, subsidy.pk, expected_version)
        if SubsidyAward.objects.filter(subsidy=s, year=year).exclude(status=AwardStatus.VOID).exists():
            raise ValidationError({"year": f"年度：{year}年度已审批"})
        if approve:
            verdict = subsidy_eligibility(s, year)
            if not verdict.eligible:
                raise ValidationError({"year": "不符合发放条件：" + "；".join(verdict.reasons)})
        try:
            value = Decimal(str(amount)) if amount not in (None, "") else s.annual_amount
        except InvalidOperation:
            raise ValidationError({"amount": "核定金额：须为金额"}) from None
        if approve and value <= 0:
            raise ValidationError({"amount": "核定金额：须大于0"})
        if not approve and not (note or "").strip():
            raise ValidationError({"note": "审批意见：不予发放时必须填写理由"})
        award = SubsidyAward.objects.filter(subsidy=s, year=year, status=AwardStatus.VOID).first()
        if award is not None:  # decided again after an incident voided it
            award.delete()
        award = SubsidyAward.objects.create(
            subsidy=s,
            year=year,
            amount=value if approve else Decimal("0"),
            status=AwardStatus.APPROVED if approve else AwardStatus.REJECTED,
            note=note,
            decided_by=actor,
        )
        if approve and s.status == SubsidyStatus.RESET:
            s.status, s.version = SubsidyStatus.ACTIVE, s.version + 1
            s.save()
        _record(
            actor,
            "create",
            award,
            after={"year": year, "status": award.status, "amount": award.amount},
            reason=note,
            request=request,
        )
    return award


def record_subsidy_payment(
    *, actor, award: SubsidyAward, amount, paid_on: dt.date, voucher_no: str = "", request=None
) -> SubsidyPayment:
    """发放登记."""
    _require(actor, "people.add_subsidypayment", "登记以奖代补发放")
    _ensure_visible(actor, GuardianSubsidy, award.subsidy_id)
    try:
        amount = Decimal(str(amount))
    except InvalidOperation:
        raise ValidationError({"amount": "发放金额：须为金额"}) from None
    if amount <= 0:
        raise ValidationError({"amount": "发放金额：须大于0"})
    with transaction.atomic():
        a = SubsidyAward.objects.select_for_update().get(pk=award.pk)
        if a.status != AwardStatus.APPROVED:
            raise ValidationError({"award": f"年度审批：{a.year}年度为“{a.get_status_display()}”，不能发放"})
        paid = a.payments.aggregate(s=Sum("amount"))["s"] or Decimal("0")
        if paid + amount > a.amount:
            raise ValidationError({"amount": f"发放金额：累计发放不能超过核定金额{a.amount}元（已发放{paid}元）"})
        p = SubsidyPayment.objects.create(award=a, amount=amount, paid_on=paid_on, voucher_no=voucher_no, paid_by=actor)
        _record(actor, "create", p, after={"year": a.year, "amount": amount, "paid_on": paid_on}, request=request)
    return p


# --- the follow-up sweep --------------------------------------------------------------------------------


@dataclass
class SweepResult:
    due_soon: list[int] = field(default_factory=list)  # patient ids warned as due soon
    overdue: list[int] = field(default_factory=list)  # patient ids warned as overdue
    resolved: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"due_soon": len(self.due_soon), "overdue": len(self.overdue), "resolved": self.resolved}

    def __str__(self) -> str:
        return f"随访巡检：即将到期预警 {len(self.due_soon)}，逾期预警 {len(self.overdue)}，解除 {self.resolved}"


def sweep(*, today: dt.date | None = None) -> SweepResult:
    """Raise a warning once per patient and due date when a follow-up is due within the configured
    days (即将到期) and again when it is overdue (已逾期); resolve warnings whose due date a follow-up
    has moved. Running it twice changes nothing the second time."""
    today = today or rules.today()
    soon = today + dt.timedelta(days=rules.current_rules()["due_soon_days"])
    result = SweepResult()
    now = clock.now()
    with transaction.atomic():
        due = list(MentalPatient.objects.due_by(soon).values_list("pk", "next_followup_on"))
        existing = set(
            FollowUpWarning.objects.filter(patient_id__in=[p for p, _ in due]).values_list(
                "patient_id", "due_on", "kind"
            )
        )
        new = []
        for pk, due_on in due:
            kind = WarningKind.OVERDUE if due_on < today else WarningKind.DUE_SOON
            if (pk, due_on, kind) in existing:
                continue
            new.append(FollowUpWarning(patient_id=pk, due_on=due_on, kind=kind, raised_at=now))
            (result.overdue if kind == WarningKind.OVERDUE else result.due_soon).append(pk)
        FollowUpWarning.objects.bulk_create(new, batch_size=2000)
        # A warning whose due date is no longer the patient's (a follow-up moved it) is resolved.
        stale = FollowUpWarning.objects.filter(resolved_at__isnull=True).exclude(
            patient__next_followup_on=models.F("due_on"), patient__status=RecordStatus.ACTIVE
        )
        result.resolved = stale.update(resolved_at=now)
        if new or result.resolved:
            audit.record(
                actor=None,
                action="people_sweep",
                object_type="people.followupwarning",
                after={**result.as_dict(), "today": today},
                actor_username="system",
            )
    return result


# --- configuration -----------------------------------------------------------------------------------------


def update_care_rules(*, actor, rules_data: dict, request=None) -> CareConfig:
    _require(actor, "people.change_careconfig", "修改管理规则")
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


# --- bulk import (called by the ledger importers, inside their transaction) ---------------------------------


def grid_workers_for(region_codes) -> dict[str, int]:
    """The responsible grid worker (user id) of each grid among ``region_codes``, in one query."""
    grids = [c for c in set(region_codes) if len(c) > 12]
    out: dict[str, int] = {}
    rows = (
        User.grids.through.objects.filter(region_id__in=grids, user__is_active=True, user__roles__code="grid_worker")
        .order_by("user_id")
        .values_list("region_id", "user_id")
    )
    for grid, user_id in rows:
        out.setdefault(grid, user_id)
    return out


def _code(region) -> str:
    return region.code if isinstance(region, Region) else str(region)


def _bulk_persons(rows: Sequence[dict[str, Any]]) -> list[Person]:
    """Build Person objects from cleaned ledger rows (identity already checked against the ID)."""
    workers = grid_workers_for(_code(r["region"]) for r in rows)
    today = rules.today()
    out = []
    for r in rows:
        region_code = _code(r["region"])
        p = Person(
            **{"registered_on": today, **{k: v for k, v in r.items() if k in PERSON_FIELDS and k != "region"}},
            region_id=region_code,
            grid_worker_id=workers.get(region_code),
        )
        p.name_initials = name_initials(p.name)
        out.append(p)
    return out


def import_persons(*, actor, rows: Sequence[dict[str, Any]], source: str, request=None) -> list[Person]:
    """Create the persons of an imported ledger in bulk (the dry run checked every row)."""
    _require(actor, "people.add_person", "导入实有人口")
    _require(actor, "people.import_ledger", "导入台账")
    if actor is not None:
        prefixes = actor.scope.prefixes
        outside = {c for c in (_code(r["region"]) for r in rows) if not any(c.startswith(p) for p in prefixes)}
        if outside:
            raise ValidationError({"region": f"所属区划：{len(outside)}个区划不在您的辖区内"})
    people = Person.objects.bulk_create(_bulk_persons(rows), batch_size=1000)
    if connection_lacks_returning(people):
        people = _refetch(people)
    audit.record(
        actor=actor,
        action="import",
        object_type="people.person",
        region_code="",
        after={
            "ledger": source,
            "created": len(people),
            "first_id": people[0].pk if people else None,
            "last_id": people[-1].pk if people else None,
        },
        request=request,
    )
    return people


def connection_lacks_returning(objs: Sequence[models.Model]) -> bool:
    return bool(objs) and objs[0].pk is None


def _refetch(people: Sequence[Person]) -> list[Person]:
    by_index = {
        p.id_number_index: p
        for p in Person.objects.filter(id_number_index__in=[x.id_number_index for x in people if x.id_number_index])
    }
    return [by_index[x.id_number_index] for x in people]


def import_patients(*, actor, rows: Sequence[dict[str, Any]], request=None) -> int:
    """严重精神障碍患者台账: new persons are registered first; each row becomes a patient with its
    registration assessment and first follow-up date."""
    _require(actor, "people.add_mentalpatient", "导入严重精神障碍患者台账")
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
                created_by=actor,
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
                assessor=actor,
            )
            for p, (lv, on) in zip(patients, levels, strict=True)
        ],
        batch_size=1000,
    )
    audit.record(
        actor=actor,
        action="import",
        object_type="people.mentalpatient",
        after={"ledger": "mental", "created": len(patients)},
        request=request,
    )
    return len(patients)


def import_special(
    *, actor, model: type[SpecialRecord], rows: Sequence[dict[str, Any]], source: str, request=None
) -> int:
    """A special-population ledger (e.g. 社区矫正人员台账): persons first, then the records."""
    _require(actor, _special_perm(model, "add"), f"导入{model._meta.verbose_name}台账")
    new_rows = [r for r in rows if r.get("_person") is None]
    created = (
        iter(import_persons(actor=actor, rows=[r["person"] for r in new_rows], source=source, request=request))
        if new_rows
        else iter(())
    )
    records = [model(person=r.get("_person") or next(created), created_by=actor, **r["record"]) for r in rows]
    model.objects.bulk_create(records, batch_size=1000)
    audit.record(
        actor=actor,
        action="import",
        object_type=model._meta.label_lower,
        after={"ledger": source, "created": len(records)},
        request=request,
    )
    return len(records)


__all__ = [
    "Conflict",
    "NotPermitted",
    "PeopleError",
    "SweepResult",
    "add_residence",
    "add_team_member",
    "assess_risk",
    "clean_identity",
    "close_special",
    "create_house",
    "create_person",
    "decide_assessment",
    "decide_subsidy_award",
    "end_residence",
    "enroll_subsidy",
    "import_patients",
    "import_persons",
    "import_special",
    "plan_visit",
    "record_care_log_check",
    "record_incident",
    "record_subsidy_payment",
    "record_visit",
    "register_patient",
    "register_special",
    "remove_team_member",
    "reveal_person",
    "sweep",
    "update_care_rules",
    "update_house",
    "update_person",
    "update_special",
]
