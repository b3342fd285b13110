"""Every write to the people registers — each an ``@action`` (``anmin.core.guards``): the permission,
the record in the actor's jurisdiction and the place inside it are checked before the body runs;
then one transaction, a row lock and a version check where two people may edit the same record, and
an audit entry.

The platform acting on its own (the demo builder, a bulk load) says ``actor=SYSTEM``. Bad input raises
``ValidationError`` keyed by the field with a Chinese message naming the rule (an ``Invalid`` to the
pages and the API); a stale version raises ``Conflict``; a missing permission ``Forbidden``; an
out-of-scope record ``NotFound``. No message carries an ID number or a phone number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from anmin.core import audit, clock
from anmin.core.actors import as_user
from anmin.core.errors import CHANGED_MEANWHILE, ActionError, Forbidden
from anmin.core.errors import Conflict as ConflictError
from anmin.core.guards import action, in_area, require_area, require_perm, require_visible
from anmin.core.models import Region, User
from anmin.core.protected import (
    check_id_number_agrees,
    parse_id_number,
    validate_phone_number,
)

from .calendar import today
from .models import SPECIAL_PERM, House, Person, Residence, SpecialRecord, name_initials
from .models.choices import RecordStatus
from .registers import register_of
from .risk import signals_changed

# The one error vocabulary (``anmin.core.errors``) under the names this module always used.
PeopleError = ActionError
NotPermitted = Forbidden


class Conflict(ConflictError):
    """The record changed since the user loaded it: nothing was written; ``record`` is the newer row."""

    def __init__(self, current: models.Model, expected: Any):
        self.record = current
        label = current._meta.verbose_name
        super().__init__(
            CHANGED_MEANWHILE.format(what=f"该{label}"),
            current={"version": current.version, "expected_version": expected},
        )


# --- helpers ------------------------------------------------------------------------------------


def lock_version(model: type[models.Model], pk, expected_version=None):
    """The row, locked for update; ``Conflict`` when the caller loaded an older version — or sent a
    version that is no number at all (a page's hidden field, tampered: not a 500)."""
    obj = model.objects.select_for_update().get(pk=pk)
    if expected_version in (None, ""):
        return obj
    try:
        stale = int(expected_version) != obj.version
    except (TypeError, ValueError):
        stale = True
    if stale:
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
    require_area(actor, region, field="region", label="所属区划")
    return region


def _changed(before: dict, after: dict) -> tuple[dict, dict]:
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


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


@action(perm="people.add_person", region="region", region_label="所属区划", what="登记实有人口")
def create_person(*, actor, region, request=None, **fields) -> Person:
    """登记实有人口."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"create_person: unknown fields {sorted(unknown)}")
    data = clean_identity(fields)
    data["region"] = _region_in_scope(actor, region)
    data["registered_on"] = data.get("registered_on") or today()
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
        audit.record(actor=actor, action="create", obj=person, after=audit.snapshot(person), request=request)
    return person


@action(perm="people.change_person", target="person", model=Person, target_action="change", what="修改人员信息")
def update_person(*, actor, person: Person, expected_version, changes: dict[str, Any], request=None) -> Person:
    """修改人员信息 (with the version the user loaded: a concurrent edit is a conflict)."""
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"update_person: unknown fields {sorted(unknown)}")
    with transaction.atomic():
        current = lock_version(Person, person.pk, expected_version)
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
        current.updated_at = clock.now()
        current.save()
        b, a = _changed(before, audit.snapshot(current))
        audit.record(actor=actor, action="update", obj=current, before=b, after=a, request=request)
    return current


REVEALABLE = {"id_number": "公民身份号码", "phone": "联系电话"}


@action(perm="people.reveal_person", target="person", model=Person, what="查看完整身份证号码和电话")
def reveal_person(*, actor, person: Person, fields: Iterable[str], reason: str, request=None) -> dict[str, str]:
    """查看完整号码: needs ``people.reveal_person``, the person in scope and a reason; writes an access
    record to the audit log and returns the plaintext values asked for."""
    fields = [f for f in fields if f in REVEALABLE]
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


@action(perm="people.reveal_person", what="导出完整身份证号码和电话")
def record_export_reveal(*, actor, object_type: str, rows: int, reason: str, filters: dict, request=None) -> None:
    """An export with full ID numbers and phones: the same permission and a reason, audited."""
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


@action(perm="people.add_house", region="region", region_label="所属区划", what="登记房屋")
def create_house(*, actor, region, request=None, **fields) -> House:
    unknown = set(fields) - set(HOUSE_FIELDS)
    if unknown:
        raise TypeError(f"create_house: unknown fields {sorted(unknown)}")
    if not (fields.get("address") or "").strip():
        raise ValidationError({"address": "房屋地址：必填"})
    fields["region"] = _region_in_scope(actor, region)
    with transaction.atomic():
        house = House.objects.create(**fields)
        audit.record(actor=actor, action="create", obj=house, after=audit.snapshot(house), request=request)
    return house


@action(perm="people.change_house", target="house", model=House, target_action="change", what="修改房屋信息")
def update_house(*, actor, house: House, expected_version, changes: dict, request=None) -> House:
    with transaction.atomic():
        current = lock_version(House, house.pk, expected_version)
        before = audit.snapshot(current)
        for key, value in changes.items():
            if key not in HOUSE_FIELDS:
                raise TypeError(f"update_house: unknown field {key}")
            setattr(current, key, _region_in_scope(actor, value) if key == "region" else value)
        current.version += 1
        current.save()
        b, a = _changed(before, audit.snapshot(current))
        audit.record(actor=actor, action="update", obj=current, before=b, after=a, request=request)
    return current


@action(perm="people.add_residence", target="house", model=House, what="登记居住关系")
def add_residence(
    *, actor, person: Person, house: House, relation: str, since: dt.date | None = None, request=None
) -> Residence:
    """登记居住: the person lives in the house from ``since``."""
    require_visible(actor, Person, person)
    with transaction.atomic():
        if Residence.objects.filter(person=person, house=house, until__isnull=True).exists():
            raise ValidationError({"person": "人员：已登记居住在该房屋"})
        res = Residence.objects.create(person=person, house=house, relation=relation, since=since)
        audit.record(actor=actor, action="create", obj=res, after=audit.snapshot(res), request=request)
    return res


@action(perm="people.change_residence", target="residence", model=Residence, what="登记迁出")
def end_residence(*, actor, residence: Residence, until: dt.date, request=None) -> Residence:
    with transaction.atomic():
        res = Residence.objects.select_for_update().get(pk=residence.pk)
        if res.until is not None:
            raise ValidationError({"until": "迁出日期：该居住关系已结束"})
        if res.since and until < res.since:
            raise ValidationError({"until": "迁出日期：不能早于入住日期"})
        res.until = until
        res.save(update_fields=["until"])
        audit.record(
            actor=actor, action="update", obj=res, before={"until": None}, after={"until": until}, request=request
        )
    return res


# --- special populations ----------------------------------------------------------------------------


def _special_perm(model: type[SpecialRecord], verb: str) -> str:
    return f"{model._meta.app_label}.{verb}_{model._meta.model_name}"


def _signal_changed(actor, record) -> None:
    """A register that feeds a risk signal (``SpecialRecord.risk_signal``) tells its subscribers."""
    if record.risk_signal:
        signals_changed(person_ids=[record.person_id], signal=record.risk_signal, actor=actor)


@action(perm=SPECIAL_PERM, target="person", model=Person, what="登记重点人群")
def register_special(
    *, actor, model: type[SpecialRecord], person: Person, fields: dict[str, Any], request=None
) -> SpecialRecord:
    """列管: put a person on a special-population register (a register another app keeps, e.g. care's
    patients, registers through its own action: ``people.registers.special_registers``)."""
    if register_of(model) is not None:
        raise TypeError(f"register_special: {model.__name__} registers through its own app's action")
    label = model._meta.verbose_name
    require_perm(actor, _special_perm(model, "add"), f"登记{label}")
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        if model.objects.filter(person=person, status=RecordStatus.ACTIVE).exists():
            raise ValidationError({"person": f"人员：已在{label}台账中在册"})
        fields = {"registered_on": today(), **fields}
        record = model(person=person, created_by=as_user(actor), **fields)
        record.full_clean(exclude=["person", "created_by"], validate_constraints=False)
        _check_codes(record)
        record.save()
        audit.record(actor=actor, action="create", obj=record, after=audit.snapshot(record), request=request)
        _signal_changed(actor, record)
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


@action(perm=SPECIAL_PERM, what="修改重点人群信息")
def update_special(
    *, actor, record: SpecialRecord, expected_version, changes: dict[str, Any], request=None
) -> SpecialRecord:
    model = type(record)
    require_perm(actor, _special_perm(model, "change"), f"修改{model._meta.verbose_name}")
    require_visible(actor, model, record, "change")
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
        current = lock_version(model, record.pk, expected_version)
        before = audit.snapshot(current)
        for key, value in changes.items():
            setattr(current, key, value)
        current.full_clean(exclude=["person", "created_by"], validate_constraints=False)
        _check_codes(current)
        current.version += 1
        current.save()
        b, a = _changed(before, audit.snapshot(current))
        audit.record(actor=actor, action="update", obj=current, before=b, after=a, request=request)
    return current


@action(perm=SPECIAL_PERM, what="解除重点人群列管")
def close_special(
    *, actor, record: SpecialRecord, expected_version, closed_on: dt.date, reason: str, request=None
) -> SpecialRecord:
    """解除列管 (end of correction, death, moved away …)."""
    model = type(record)
    require_perm(actor, _special_perm(model, "change"), f"解除{model._meta.verbose_name}列管")
    require_visible(actor, model, record, "change")
    if not (reason or "").strip():
        raise ValidationError({"reason": "解除原因：必填"})
    with transaction.atomic():
        current = lock_version(model, record.pk, expected_version)
        if current.status != RecordStatus.ACTIVE:
            raise ValidationError({"reason": "该记录已解除列管"})
        current.status, current.closed_on, current.closed_reason = RecordStatus.CLOSED, closed_on, reason.strip()
        current.version += 1
        current.save()
        audit.record(
            actor=actor,
            action="update",
            obj=current,
            before={"status": RecordStatus.ACTIVE},
            after={"status": RecordStatus.CLOSED, "closed_on": closed_on},
            reason=reason,
            request=request,
        )
        _signal_changed(actor, current)
    return current


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
    day = today()
    out = []
    for r in rows:
        region_code = _code(r["region"])
        p = Person(
            **{"registered_on": day, **{k: v for k, v in r.items() if k in PERSON_FIELDS and k != "region"}},
            region_id=region_code,
            grid_worker_id=workers.get(region_code),
        )
        p.name_initials = name_initials(p.name)
        out.append(p)
    return out


@action(perm="people.import_ledger", what="导入台账")
def import_persons(*, actor, rows: Sequence[dict[str, Any]], source: str, request=None) -> list[Person]:
    """Create the persons of an imported ledger in bulk (the dry run checked every row)."""
    require_perm(actor, "people.add_person", "导入实有人口")
    outside = {c for c in (_code(r["region"]) for r in rows) if not in_area(actor, c)}
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


@action(perm="people.import_ledger", what="导入台账")
def import_special(
    *, actor, model: type[SpecialRecord], rows: Sequence[dict[str, Any]], source: str, request=None
) -> int:
    """A special-population ledger (e.g. 社区矫正人员台账): persons first, then the records."""
    require_perm(actor, _special_perm(model, "add"), f"导入{model._meta.verbose_name}台账")
    new_rows = [r for r in rows if r.get("_person") is None]
    created = (
        iter(import_persons(actor=actor, rows=[r["person"] for r in new_rows], source=source, request=request))
        if new_rows
        else iter(())
    )
    records = [model(person=r.get("_person") or next(created), created_by=as_user(actor), **r["record"]) for r in rows]
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
    "add_residence",
    "clean_identity",
    "close_special",
    "create_house",
    "create_person",
    "end_residence",
    "import_persons",
    "import_special",
    "lock_version",
    "register_special",
    "reveal_person",
    "update_house",
    "update_person",
    "update_special",
]
