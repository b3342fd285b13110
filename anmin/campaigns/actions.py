"""Every write of campaigns and designations.

A designation moves applied → assessed → designated (or refused) → revoked, each step version-checked
and audited. Designations, insured households, counsellors and practice reports are registries on the kit
(``registries.py``), whose actions are bound here; bulk writes (a ledger import, the demo world) go
through the ``import_*`` actions: every row inside the actor's jurisdiction, one audit entry per call.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.db import transaction

from anmin.core import audit, clock
from anmin.core.errors import changed_meanwhile, invalid
from anmin.core.guards import action
from anmin.workflow.kit.record_ledgers import bulk_records

from .models import (
    CounsellingSession,
    Criterion,
    Designation,
    DesignationKind,
    DesignationStatus,
    PublicityCampaign,
    PublicityMaterial,
)
from .registries import COUNSELLORS, DESIGNATIONS, HOUSEHOLDS, REPORTS

# The registries' own actions (the kit): create, update (version check), status, retire, bulk import.
# A designation's steps (assess, decide, revoke) are the domain's own below.
create_designation, update_designation, set_designation_status, retire_designation, import_designations = (
    DESIGNATIONS.actions())
create_household, update_household, set_household_status, retire_household, import_households = (
    HOUSEHOLDS.actions())
create_counsellor, update_counsellor, set_counsellor_status, retire_counsellor, import_counsellors = (
    COUNSELLORS.actions())
create_report, update_report, set_report_status, retire_report, import_reports = REPORTS.actions()

S = DesignationStatus



def _check_designation(d: Designation) -> None:
    if d.kind not in DesignationKind.values:
        raise invalid("kind", "「创建类型」无效")
    if d.status not in S.values:
        raise invalid("status", "「状态」无效")
    if not (2000 <= d.year <= clock.today().year + 1):
        raise invalid("year", "「年度」无效")


@action(perm="campaigns.add_designation", region="region", what="申报平安创建")
def apply_designation(*, actor, kind: str, year: int, region, subject: str, applied_on: date | None = None,
                      ) -> Designation:
    subject = (subject or "").strip()
    if not subject or len(subject) > 128:
        raise invalid("subject", "「创建对象」为必填项，且不超过 128 字")
    row = Designation(kind=kind, year=year, region=region, subject=subject, applied_on=applied_on or clock.today())
    _check_designation(row)
    with transaction.atomic():
        if Designation.objects.filter(kind=kind, year=year, region=region, subject=subject).exists():
            raise invalid("subject", f"{subject} 已申报{year}年度{row.get_kind_display()}")
        row.save()
        audit.record(actor=actor, action="create", obj=row, after=audit.snapshot(row))
    return row


def _step(d: Designation, expected_version: int, sources: tuple[str, ...], target: str, what: str) -> Designation:
    locked = Designation.objects.select_for_update().get(pk=d.pk)
    if locked.version != expected_version:
        raise changed_meanwhile("该记录", current={"id": locked.pk, "version": locked.version, "status": locked.status})
    if locked.status not in sources:
        raise invalid("status", f"当前状态为「{locked.get_status_display()}」，不能{what}")
    locked.status, locked.status_since = target, clock.now()
    locked.version += 1
    return locked


@action(perm="campaigns.change_designation", target="designation", model=Designation, what="考核平安创建")
def assess_designation(*, actor, designation: Designation, expected_version: int, score) -> Designation:
    try:
        score = Decimal(str(score))
    except Exception as exc:
        raise invalid("score", "「考核得分」须为数字") from exc
    if not 0 <= score <= 100:
        raise invalid("score", "「考核得分」须在 0 到 100 之间")
    with transaction.atomic():
        d = _step(designation, expected_version, (S.APPLIED,), S.ASSESSED, "考核")
        d.score, d.assessed_on = score, clock.today()
        d.save()
        audit.record(actor=actor, action="assess", obj=d, after={"score": str(score)})
    return d


@action(perm="campaigns.change_designation", target="designation", model=Designation, what="命名平安创建")
def decide_designation(*, actor, designation: Designation, expected_version: int, designate: bool) -> Designation:
    with transaction.atomic():
        d = _step(designation, expected_version, (S.ASSESSED,), S.DESIGNATED if designate else S.REFUSED,
                  "命名" if designate else "不予命名")
        d.decided_on = clock.today()
        d.save()
        audit.record(actor=actor, action="designate" if designate else "refuse", obj=d, after={"status": d.status})
    return d


@action(perm="campaigns.change_designation", target="designation", model=Designation, what="撤销平安创建命名")
def revoke_designation(*, actor, designation: Designation, expected_version: int, reason: str) -> Designation:
    reason = (reason or "").strip()
    if not reason:
        raise invalid("reason", "「撤销原因」为必填项")
    with transaction.atomic():
        d = _step(designation, expected_version, (S.DESIGNATED,), S.REVOKED, "撤销命名")
        d.revoked_on, d.revoke_reason = clock.today(), reason[:500]
        d.save()
        audit.record(actor=actor, action="revoke", obj=d, reason=reason, after={"status": d.status})
    return d


@action(perm="campaigns.add_publicitycampaign", region="region", what="登记宣传活动")
def record_campaign(*, actor, title: str, kind: str, region, held_on: date, place: str = "", organiser: str = "",
                    summary: str = "", materials: Sequence[tuple[str, str, int]] = ()) -> PublicityCampaign:
    """A campaign with its materials: (kind, title, quantity) each."""
    title = (title or "").strip()
    if not title or len(title) > 128:
        raise invalid("title", "「活动名称」为必填项，且不超过 128 字")
    if held_on > clock.today():
        raise invalid("held_on", "「活动日期」不能晚于今天")
    with transaction.atomic():
        campaign = PublicityCampaign.objects.create(title=title, kind=kind, region=region, held_on=held_on,
                                                    place=place, organiser=organiser, summary=summary)
        rows = []
        for mkind, mtitle, qty in materials:
            if int(qty) <= 0:
                raise invalid("materials", f"「{mtitle}」的数量须大于 0")
            rows.append(PublicityMaterial(campaign=campaign, region=region, kind=mkind, title=mtitle,
                                          quantity=int(qty)))
        PublicityMaterial.objects.bulk_create(rows)
        audit.record(actor=actor, action="create", obj=campaign,
                     after={**audit.snapshot(campaign), "materials": len(rows)})
    return campaign


def check_campaign(c: PublicityCampaign) -> None:
    c.title = (c.title or "").strip()
    if not c.title or len(c.title) > 128:
        raise invalid("title", "「活动名称」为必填项，且不超过 128 字")
    if c.held_on > clock.today():
        raise invalid("held_on", "「活动日期」不能晚于今天")


@action(perm="campaigns.add_publicitycampaign", what="导入宣传活动")
def import_campaigns(rows: Sequence[PublicityCampaign], *, actor, note: str = "") -> int:
    """Publicity campaigns from the Excel ledger (without their materials: those are added on the
    campaign's page); each checked, inside the actor's jurisdiction, one audit entry."""
    return len(bulk_records(PublicityCampaign, rows, actor=actor, note=note, check=check_campaign))


@action(perm="campaigns.change_publicitycampaign", target="material", model=PublicityMaterial,
        what="修改宣传材料数量")
def set_material_quantity(*, actor, material: PublicityMaterial, quantity: int) -> PublicityMaterial:
    if int(quantity) <= 0:
        raise invalid("quantity", "「数量」须大于 0")
    with transaction.atomic():
        m = PublicityMaterial.objects.select_for_update().get(pk=material.pk)
        before = m.quantity
        m.quantity = int(quantity)
        m.save(update_fields=["quantity"])
        audit.record(actor=actor, action="update", obj=m, before={"quantity": before}, after={"quantity": m.quantity})
    return m


@action(perm="campaigns.add_counsellingsession", what="导入心理服务记录")
def import_sessions(rows: Sequence[CounsellingSession], *, actor, note: str = "") -> int:
    return len(bulk_records(CounsellingSession, rows, actor=actor, note=note))


def ensure_criteria() -> int:
    """Reference data: the default criteria of each designation (kept when an administrator edits them)."""
    import json
    from pathlib import Path

    data = json.loads((Path(__file__).parent / "data" / "criteria.json").read_text(encoding="utf-8"))
    n = 0
    for kind, items in data.items():
        for i, (code, text, points) in enumerate(items):
            _obj, created = Criterion.objects.get_or_create(kind=kind, code=code,
                                                            defaults={"text": text, "points": points, "order": i})
            n += created
    return n
