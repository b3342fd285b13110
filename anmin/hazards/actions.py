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

from anmin.core import audit, checks, clock
from anmin.core.errors import invalid
from anmin.core.guards import action
from anmin.core.models import Region, User
from anmin.workflow import actions as case_actions
from anmin.workflow.actions import PastCase
from anmin.workflow.kit.record_ledgers import bulk_records

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
    place = checks.place(region, label="所在地")
    if category not in RailwayHazardCategory.values:
        raise invalid("category", "「隐患类别」无效")
    line = checks.text(line, "line", "铁路线路", 64, required=True)
    description = checks.text(description, "description", "隐患情况", 5000, required=True)
    mileage = checks.text(mileage, "mileage", "里程", 32)
    requirement = checks.text(requirement, "requirement", "整改要求", 500)
    checks.priority(priority, RAILWAY_HAZARD)
    found_on = found_on or now.date()
    if found_on > clock.today():
        raise invalid("found_on", "「发现日期」不能晚于今天")
    label = RailwayHazardCategory(category).label
    title = checks.text(title, "title", "标题", 200) or f"{line}{mileage and ' ' + mileage}{label}"
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
    """Past railway hazards in bulk (the kit's ``import_details``): the cases and their steps through
    ``import_cases``, then the rows."""
    return len(case_actions.import_details(items, kind=RAILWAY_HAZARD, model=RailwayHazard, actor=actor, note=note,
                                           check=_check_past))


def _check_past(item: PastRailwayHazard) -> None:
    if item.category not in RailwayHazardCategory.values:
        raise invalid("category", f"「{item.case.title}」的隐患类别无效")


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
    return len(bulk_records(DrunkDriving, rows, actor=actor, note=note, check=check_drunk_driving,
                            place_label="所在地"))



# -- Waters (the registry kit) and drownings -----------------------------------------------------------
create_water, update_water, set_water_status, retire_water, import_waters = WATERS.actions()


@action(perm="hazards.add_waterinspection", what="导入水域巡查记录")
def import_inspections(rows: Sequence[WaterInspection], *, actor, note: str = "") -> int:
    for row in rows:
        row.region_id = row.region_id or row.water.region_id
    return len(bulk_records(WaterInspection, rows, actor=actor, note=note, place_label="所在地"))


@action(perm="hazards.add_drowningincident", what="导入未成年人溺水事故")
def import_drownings(rows: Sequence[DrowningIncident], *, actor, note: str = "") -> int:
    for row in rows:
        if not 0 <= row.age < 18:
            raise invalid("age", "未成年人溺水事故的「年龄」须在 0 到 17 岁之间")
    return len(bulk_records(DrowningIncident, rows, actor=actor, note=note, place_label="所在地"))
