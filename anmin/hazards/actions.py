"""Every write of the hazards domain: railway hazards (on the case engine), past railway hazards in
bulk, and the drunk-driving register in bulk. Dangerous waters are a registry on
the kit (``registries.py``: its create/update/status/retire/import actions are bound here); their
inspections and minors' drownings are imported in bulk here.

Steps after the report (下达整改, 整改反馈, 验收销号 …) are the case engine's:
``anmin.workflow.actions.transition_case`` through the case pages and the case API.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from anmin.core import audit, clock
from anmin.core.errors import invalid
from anmin.core.guards import action, in_area
from anmin.core.models import Region, User
from anmin.workflow import actions as case_actions
from anmin.workflow.actions import PastCase

from .models import (
    DrowningIncident,
    DrunkDriving,
    Offence,
    Penalty,
    RailwayHazard,
    RailwayHazardCategory,
    WaterInspection,
)
from .registries import WATERS
from .workflows import RAILWAY_HAZARD

ADD_RAILWAY = "hazards.add_railwayhazard"
ADD_DRUNK = "hazards.add_drunkdriving"


def _text(value, field: str, label: str, limit: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise invalid(field, f"「{label}」为必填项")
    if len(value) > limit:
        raise invalid(field, f"「{label}」不能超过 {limit} 字")
    return value


def _place(region: Region | str | None) -> Region:
    if region in (None, ""):
        raise invalid("region", "「所在地」为必填项")
    if isinstance(region, Region):
        return region
    found = Region.objects.select_related("parent").filter(pk=str(region).strip()).first()
    if found is None:
        raise invalid("region", f"「所在地」{region} 不存在")
    return found


@action(perm=ADD_RAILWAY, region="region", region_label="所在地", what="登记铁路沿线隐患")
def report_railway_hazard(
    *,
    actor: User,
    region: Region | str,
    category: str,
    line: str,
    description: str,
    mileage: str = "",
    requirement: str = "",
    title: str = "",
    priority: str = "normal",
    found_on: date | None = None,
) -> RailwayHazard:
    """登记铁路沿线隐患: a case of kind TL at the township centre (已发现), waiting for 下达整改."""
    now = clock.now()
    place = _place(region)
    if category not in RailwayHazardCategory.values:
        raise invalid("category", "「隐患类别」无效")
    line = _text(line, "line", "铁路线路", 64, required=True)
    description = _text(description, "description", "隐患情况", 5000, required=True)
    mileage = _text(mileage, "mileage", "里程", 32)
    requirement = _text(requirement, "requirement", "整改要求", 500)
    if priority not in dict(RAILWAY_HAZARD.workflow.priorities):
        raise invalid("priority", "「紧急程度」无效")
    found_on = found_on or now.date()
    if found_on > clock.today():
        raise invalid("found_on", "「发现日期」不能晚于今天")
    label = RailwayHazardCategory(category).label
    title = _text(title, "title", "标题", 200) or f"{line}{mileage and ' ' + mileage}{label}"
    with transaction.atomic(), audit.batch():
        case = case_actions.open_case(kind=RAILWAY_HAZARD, title=title, region=place, reporter=actor,
                                      priority=priority, source="护路巡查", description=description, now=now)
        hazard = RailwayHazard.objects.create(case=case, category=category, line=line, mileage=mileage,
                                              found_on=found_on, requirement=requirement)
        audit.record(actor=actor, action="create", obj=hazard, after={**audit.snapshot(hazard), "number": case.number})
    return hazard


@dataclass
class PastRailwayHazard:
    case: PastCase
    category: str
    line: str
    found_on: date
    mileage: str = ""
    requirement: str = ""


@action(perm=ADD_RAILWAY, what="导入铁路沿线隐患")
def import_railway_hazards(items: Sequence[PastRailwayHazard], *, actor, note: str = "") -> int:
    """Past railway hazards in bulk: the cases and their steps through ``import_cases``, then the rows."""
    for item in items:
        if item.case.kind != RAILWAY_HAZARD.code:
            raise invalid("kind", f"「{item.case.title}」不是铁路沿线隐患")
        if item.category not in RailwayHazardCategory.values:
            raise invalid("category", f"「{item.case.title}」的隐患类别无效")
    with transaction.atomic():
        cases = case_actions.import_cases([i.case for i in items], actor=actor, note=note)
        RailwayHazard.objects.bulk_create([
            RailwayHazard(case=c, category=i.category, line=i.line, found_on=i.found_on, mileage=i.mileage,
                          requirement=i.requirement) for c, i in zip(cases, items, strict=True)])
    return len(cases)


# -- Drunk driving ------------------------------------------------------------------------------------
def check_drunk_driving(row: DrunkDriving) -> None:
    if row.offence not in Offence.values:
        raise invalid("offence", "「违法类型」须为 饮酒驾驶 或 醉酒驾驶")
    if row.penalty not in Penalty.values:
        raise invalid("penalty", "「处理结果」须为 行政处罚 或 刑事处罚")
    if row.caught_on > clock.today():
        raise invalid("caught_on", "「查处日期」不能晚于今天")
    if not (row.driver_name or "").strip():
        raise invalid("driver_name", "「驾驶人」为必填项")


@action(perm=ADD_DRUNK, what="导入酒驾醉驾查处记录")
def import_drunk_driving(rows: Sequence[DrunkDriving], *, actor, note: str = "") -> int:
    """Register people dealt with for drink/drunk driving in bulk (ledger import, the demo): every row
    checked, each place inside the actor's jurisdiction, one transaction and one audit entry."""
    return len(_bulk(DrunkDriving, rows, actor=actor, note=note, check=check_drunk_driving))


def _bulk(model, rows: Sequence, *, actor, note: str, check=None) -> list:
    for row in rows:
        if check is not None:
            check(row)
        if not in_area(actor, row.region_id):
            raise invalid("region", f"「所在地」{row.region_id} 不在您的辖区内")
    with transaction.atomic():
        created = model.objects.bulk_create(rows, batch_size=1000)
        audit.record(actor=actor, action="import", object_type=model._meta.label_lower, reason=note,
                     after={"rows": len(rows)})
    return created


# -- Waters (the registry kit) and drownings -----------------------------------------------------------
create_water, update_water, set_water_status, retire_water, import_waters = WATERS.actions()


@action(perm="hazards.add_waterinspection", what="导入水域巡查记录")
def import_inspections(rows: Sequence[WaterInspection], *, actor, note: str = "") -> int:
    for row in rows:
        row.region_id = row.region_id or row.water.region_id
    return len(_bulk(WaterInspection, rows, actor=actor, note=note))


@action(perm="hazards.add_drowningincident", what="导入未成年人溺水事故")
def import_drownings(rows: Sequence[DrowningIncident], *, actor, note: str = "") -> int:
    for row in rows:
        if not 0 <= row.age < 18:
            raise invalid("age", "未成年人溺水事故的「年龄」须在 0 到 17 岁之间")
    return len(_bulk(DrowningIncident, rows, actor=actor, note=note))
