"""Writes of the crackdown registers: organisations broken up, their suspects and assets, officials
handled, and the candidates' joint qualification review; one bulk import for past records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from anmin.core import audit, clock
from anmin.core.checks import choice, day, id_number, place, text
from anmin.core.errors import changed_meanwhile, invalid
from anmin.core.guards import action
from anmin.core.models import Region
from anmin.people.identity import link_people, link_person
from anmin.workflow.kit.record_edit import record_update
from anmin.workflow.kit.record_ledgers import bulk_records

from ..models import (
    REVIEW_DEPARTMENTS,
    Asset,
    AssetMeasure,
    Candidate,
    CrimeOrg,
    Official,
    OfficialKind,
    OfficialMeasure,
    OrgStage,
    OrgType,
    Suspect,
    SuspectStatus,
)


def _today(now) -> date:
    return timezone.localdate(now or clock.now())


@action(perm="crackdown.add_crimeorg", region="region", region_label="主要活动区域", what="登记涉黑涉恶组织")
def register_org(*, actor, name: str, org_type: str, region: Region | str, broken_on,
                 stage: str = OrgStage.INVESTIGATION, summary: str = "", now=None) -> CrimeOrg:
    org = CrimeOrg(name=text(name, "name", "名称", 100, required=True),
                   org_type=choice(org_type, "org_type", "组织类型", OrgType),
                   stage=choice(stage, "stage", "诉讼阶段", OrgStage), region=place(region, label="主要活动区域"),
                   broken_on=day(broken_on, "broken_on", "打掉日期", _today(now)),
                   summary=text(summary, "summary", "主要违法犯罪事实", 5000))
    with transaction.atomic():
        org.save()
        audit.record(actor=actor, action="create", obj=org, after=audit.snapshot(org, ["name", "org_type", "stage"]))
    return org


@action(target="org", model=CrimeOrg, perm="crackdown.change_crimeorg", what="变更诉讼阶段")
def set_org_stage(*, actor, org: CrimeOrg, stage: str, expected_version: int) -> CrimeOrg:
    choice(stage, "stage", "诉讼阶段", OrgStage)
    with transaction.atomic():
        o = CrimeOrg.objects.select_for_update().get(pk=getattr(org, "pk", org))
        if o.version != expected_version:
            raise changed_meanwhile("该组织", current={"id": o.pk, "version": o.version, "stage": o.stage})
        before = o.stage
        o.stage, o.version = stage, o.version + 1
        o.save(update_fields=["stage", "version"])
        audit.record(actor=actor, action="update", obj=o, before={"stage": before}, after={"stage": stage})
    return o


@action(perm="crackdown.add_suspect", target="org", model=CrimeOrg, what="登记犯罪嫌疑人")
def add_suspect(*, actor, org: CrimeOrg, name: str, id_number_value: str = "", role_in_org: str = "",
                status: str = SuspectStatus.CAUGHT, caught_on=None, now=None) -> Suspect:
    """A member with procedural status; with an ID number, linked to the person register."""
    org = CrimeOrg.objects.get(pk=getattr(org, "pk", org))
    s = Suspect(org=org, region_id=org.region_id, name=name, id_number=id_number_value, role_in_org=role_in_org,
                status=status, caught_on=caught_on)
    check_suspect(s, id_field="id_number_value", now=now)
    with transaction.atomic():
        s.person = link_person(actor=actor, name=s.name, id_number=_plain(s.id_number), region=org.region_id,
                               source="扫黑除恶")
        s.save()
        audit.record(actor=actor, action="create", obj=s, after={"org": org.pk, "status": status,
                                                                   "person": s.person_id})
    return s


def _plain(value) -> str:
    """The number a record holds (assigned plaintext, or a ``Protected`` read back), as text."""
    reveal = getattr(value, "reveal", None)
    return (reveal() if callable(reveal) else str(value or "")) if value else ""


def check_suspect(s: Suspect, *, id_field: str = "id_number", now=None) -> None:
    """One member or suspect, as ``add_suspect`` (and an imported 成员/犯罪嫌疑人台账's row) is checked:
    the name, the ID number's check digit (stored encrypted), the role, the status, and the day caught
    (none for one at large)."""
    s.name = text(s.name, "name", "姓名", 64, required=True)
    s.id_number = id_number(_plain(s.id_number), id_field)
    s.role_in_org = text(s.role_in_org or "", "role_in_org", "组织地位", 32)
    s.status = s.status or SuspectStatus.CAUGHT
    choice(s.status, "status", "诉讼状态", SuspectStatus)
    s.caught_on = day(s.caught_on, "caught_on", "抓获日期", _today(now), required=s.status != SuspectStatus.AT_LARGE)


#: A suspect's case going on: 在逃 → 已抓获 (the day caught) → 已起诉 → 已判决, on the suspect's page.
update_suspect = record_update(Suspect, fields=("status", "caught_on"), what="犯罪嫌疑人", check=check_suspect)


def _money(value, field: str = "value") -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise invalid(field, "「价值(元)」须为金额") from exc
    if amount <= 0 or amount >= Decimal("1e12"):
        raise invalid(field, "「价值(元)」须大于0且小于1万亿")
    return amount.quantize(Decimal("0.01"))


@action(perm="crackdown.add_asset", target="org", model=CrimeOrg, what="登记涉案资产")
def add_asset(*, actor, org: CrimeOrg, description: str, measure: str, value, on, now=None) -> Asset:
    org = CrimeOrg.objects.get(pk=getattr(org, "pk", org))
    a = Asset(org=org, region_id=org.region_id, description=description, measure=measure, value=value, on=on)
    check_asset(a, now=now)
    with transaction.atomic():
        a.save()
        audit.record(actor=actor, action="create", obj=a, after={"org": org.pk, "measure": measure,
                                                                   "value": str(a.value)})
    return a


def check_asset(a: Asset, *, now=None) -> None:
    """One asset, as ``add_asset`` (and an imported 涉案资产台账's row) is checked."""
    a.description = text(a.description, "description", "资产", 200, required=True)
    choice(a.measure, "measure", "措施", AssetMeasure)
    a.value = _money(a.value)
    a.on = day(a.on, "on", "日期", _today(now))


#: What became of an asset: 冻结 → 查封扣押 → 没收, its value as appraised, the day of the measure.
update_asset = record_update(Asset, fields=("measure", "value", "on"), what="涉案资产", check=check_asset)


@action(perm="crackdown.add_official", region="region", region_label="所属区域", what="登记处理公职人员")
def record_official(*, actor, name: str, unit: str, region: Region | str, kind: str, measure: str, handled_on,
                    org: CrimeOrg | None = None, now=None) -> Official:
    o = Official(name=text(name, "name", "姓名", 64, required=True),
                 unit=text(unit, "unit", "工作单位及职务", 100, required=True), region=place(region, label="所属区域"),
                 kind=choice(kind, "kind", "问题类型", OfficialKind),
                 measure=choice(measure, "measure", "处理方式", OfficialMeasure),
                 handled_on=day(handled_on, "handled_on", "处理日期", _today(now)), org=org)
    with transaction.atomic():
        o.save()
        audit.record(actor=actor, action="create", obj=o, after={"kind": kind, "measure": measure})
    return o


DEPARTMENT_CODES = tuple(code for code, _label in REVIEW_DEPARTMENTS)


def _checks(checks: dict) -> tuple[dict, str]:
    """Each department's answer {"ok": bool, "reason": str}; a "no" needs a reason. Returns the checks
    and the first refusal's reason ("" when every department passed)."""
    cleaned, refusal = {}, ""
    for dept, answer in (checks or {}).items():
        if dept not in DEPARTMENT_CODES:
            raise invalid("checks", f"「审查部门」{dept} 无效")
        ok = bool(answer.get("ok", True))
        reason = text(answer.get("reason", ""), "checks", "审查意见", 200)
        if not ok and not reason:
            raise invalid("checks", "不通过的审查须写明原因")
        cleaned[dept] = {"ok": ok, "reason": reason}
        if not ok and not refusal:
            refusal = reason
    return cleaned, refusal


@action(perm="crackdown.add_candidate", region="region", region_label="村(社区)", what="登记候选人联审")
def review_candidate(*, actor, region: Region | str, name: str, election_year: int, checks: dict,
                     id_number_value: str = "", reviewed_on=None, now=None) -> Candidate:
    """One candidate's joint review: disqualified when any department says no (the reason kept)."""
    c = Candidate(region=place(region, label="村(社区)"), election_year=election_year, name=name,
                  id_number=id_number_value, checks=checks, reviewed_on=reviewed_on)
    check_candidate(c, id_field="id_number_value", now=now)
    with transaction.atomic():
        c.person = link_person(actor=actor, name=c.name, id_number=_plain(c.id_number), region=c.region_id,
                               source="换届联审")
        c.save()
        audit.record(actor=actor, action="create", obj=c, after={"disqualified": c.disqualified})
    return c


def check_candidate(c: Candidate, *, id_field: str = "id_number", now=None) -> None:
    """One candidate, as ``review_candidate`` (and an imported 联审汇总表's row) is checked: each
    department's answer (a "no" needs its reason), disqualified when any says no, the first refusal's
    reason kept; 联审日期 today when not given."""
    c.checks, refusal = _checks(c.checks)
    c.disqualified, c.reason = bool(refusal), refusal
    try:
        year = int(c.election_year)
    except (TypeError, ValueError):
        raise invalid("election_year", "「换届年份」须为年份，如 2021") from None
    if not 2000 <= year <= 2100:
        raise invalid("election_year", "「换届年份」须在2000至2100之间")
    c.election_year = year
    c.id_number = id_number(_plain(c.id_number), id_field)
    c.name = text(c.name, "name", "姓名", 64, required=True)
    c.reviewed_on = day(c.reviewed_on, "reviewed_on", "联审日期", _today(now), required=False) or _today(now)


@dataclass
class PastRecords:
    """Past crackdown records in bulk (the demo world, a ledger). Suspects, assets and officials name
    their organisation by its index in ``orgs`` (or None)."""

    orgs: list[CrimeOrg] = field(default_factory=list)
    suspects: list[tuple[int | None, Suspect]] = field(default_factory=list)
    assets: list[tuple[int, Asset]] = field(default_factory=list)
    officials: list[tuple[int | None, Official]] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)


@action(perm="crackdown.add_crimeorg", what="导入扫黑除恶台账")
def import_records(records: PastRecords, *, actor, note: str = "") -> dict[str, int]:
    with transaction.atomic():
        orgs = CrimeOrg.objects.bulk_create(records.orgs)
        for idx, s in records.suspects:
            s.org = orgs[idx] if idx is not None else None
        Suspect.objects.bulk_create([s for _i, s in records.suspects], batch_size=1000)
        for idx, a in records.assets:
            a.org = orgs[idx]
        Asset.objects.bulk_create([a for _i, a in records.assets], batch_size=1000)
        for idx, o in records.officials:
            o.org = orgs[idx] if idx is not None else None
        Official.objects.bulk_create([o for _i, o in records.officials], batch_size=1000)
        Candidate.objects.bulk_create(records.candidates, batch_size=1000)
        counts = {"orgs": len(orgs), "suspects": len(records.suspects), "assets": len(records.assets),
                  "officials": len(records.officials), "candidates": len(records.candidates)}
        audit.record(actor=actor, action="import", obj=orgs[0] if orgs else None, after={**counts, "note": note})
    return counts


def _reveal(actor, record, reason: str, request) -> str:
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise invalid("reason", "「查看事由」必填，请写明为何需要查看完整身份证号码（至少2个字）")
    with transaction.atomic():
        audit.record_reveal(actor=actor, obj=record, fields=["id_number"], reason=reason, request=request)
    return record.id_number.reveal() if record.id_number else ""


@action(target="suspect", model=Suspect, perm="crackdown.change_suspect", what="查看完整身份证号码")
def reveal_suspect(*, actor, suspect: Suspect, reason: str, request=None) -> str:
    """查看完整身份证号码 of a suspect: the office's permission, a reason, an access record in the audit log."""
    return _reveal(actor, suspect, reason, request)


@action(target="candidate", model=Candidate, perm="crackdown.change_candidate", what="查看完整身份证号码")
def reveal_candidate(*, actor, candidate: Candidate, reason: str, request=None) -> str:
    """查看完整身份证号码 of a candidate in the joint review: as for a suspect."""
    return _reveal(actor, candidate, reason, request)


def check_org(o: CrimeOrg) -> None:
    """One organisation of an imported 涉黑涉恶组织台账, checked as ``register_org`` checks it."""
    o.name = text(o.name, "name", "名称", 100, required=True)
    choice(o.org_type, "org_type", "组织类型", OrgType)
    choice(o.stage or OrgStage.INVESTIGATION, "stage", "诉讼阶段", OrgStage)
    o.stage = o.stage or OrgStage.INVESTIGATION
    day(o.broken_on, "broken_on", "打掉日期", _today(None))
    o.summary = text(o.summary or "", "summary", "主要违法犯罪事实", 5000)


def check_official(o: Official) -> None:
    o.name = text(o.name, "name", "姓名", 64, required=True)
    o.unit = text(o.unit, "unit", "工作单位及职务", 100, required=True)
    choice(o.kind, "kind", "问题类型", OfficialKind)
    choice(o.measure, "measure", "处理方式", OfficialMeasure)
    day(o.handled_on, "handled_on", "处理日期", _today(None))



@action(perm="crackdown.add_crimeorg", what="导入涉黑涉恶组织台账")
def import_orgs(rows: list[CrimeOrg], *, actor, note: str = "") -> int:
    return len(bulk_records(CrimeOrg, rows, actor=actor, note=note, check=check_org, place_label="所属区域"))


@action(perm="crackdown.add_official", what="导入处理公职人员台账")
def import_officials(rows: list[Official], *, actor, note: str = "") -> int:
    for row in rows:
        row.region_id = row.region_id or getattr(row.org, "region_id", None)
    return len(bulk_records(Official, rows, actor=actor, note=note, check=check_official, place_label="所属区域"))


def _with_people(model, rows: list, *, actor, note: str, source: str, check, place_label: str) -> int:
    """``bulk_records`` for records naming people: each row checked first (the ID number's check digit),
    then, in one transaction, the people linked to the person register (one blind-index query, those
    it lacks registered) and the rows written with one audit entry."""
    for row in rows:
        check(row)
    with transaction.atomic():
        wanted = [{"id_number": _plain(r.id_number), "name": r.name, "region": r.region_id}
                  for r in rows if r.id_number]
        people = link_people(actor=actor, wanted=wanted, source=source) if wanted else {}
        for r in rows:
            r.person_id = people.get(_plain(r.id_number)) if r.id_number else None
        return len(bulk_records(model, rows, actor=actor, note=note, place_label=place_label))


@action(perm="crackdown.add_suspect", what="导入涉黑涉恶成员/犯罪嫌疑人台账")
def import_suspects(rows: list[Suspect], *, actor, note: str = "") -> int:
    """Members and suspects of an imported ledger: each checked as ``add_suspect`` checks one, placed
    at their organisation's area unless the row gives one, inside the actor's jurisdiction; their ID
    numbers encrypted and linked to the person register."""
    for row in rows:
        row.region_id = row.region_id or getattr(row.org, "region_id", None)
    return _with_people(Suspect, rows, actor=actor, note=note, source="扫黑除恶", check=check_suspect,
                        place_label="办案区域")


@action(perm="crackdown.add_asset", what="导入涉案资产台账")
def import_assets(rows: list[Asset], *, actor, note: str = "") -> int:
    """Assets of an imported ledger, each at its organisation's area and checked as ``add_asset`` checks one."""
    for row in rows:
        org = getattr(row, "org", None)
        if org is None:
            raise invalid("org", "「所属组织」为必填项")
        row.region_id = org.region_id
    return len(bulk_records(Asset, rows, actor=actor, note=note, check=check_asset, place_label="办案区域"))


@action(perm="crackdown.add_candidate", what="导入换届候选人联审汇总表")
def import_candidates(rows: list[Candidate], *, actor, note: str = "") -> int:
    """Candidates of an imported 联审汇总表 (each department's answer per candidate), each checked as
    ``review_candidate`` checks one, in villages inside the actor's jurisdiction."""
    return _with_people(Candidate, rows, actor=actor, note=note, source="换届联审", check=check_candidate,
                        place_label="村(社区)")

