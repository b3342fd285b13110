"""The hazards part of the Yuzhou demo world (2020, with 2019 for the year-on-year change).

- Drunk driving: 1,402 people dealt with in 2019 (231 criminal penalties, 46 accidents) and 1,561 in
  2020 (253, 29): accidents down 37% year on year — all computed from the register.
- Dangerous waters in about a third of the villages, each with a point near its village, a few
  without signs, equipment or a responsible person; monthly inspections June to September; minors'
  drownings (5 in 2019, 2 in 2020).
- Railway hazards along 郑万高铁 and 禹亳铁路 in the townships on the line: most found, ordered,
  rectified and verified; some still being rectified (two past their deadline, swept into 督办), some
  waiting for the check, two found this week.

Deterministic and idempotent (nothing is added when 2020's register exists).
"""

from __future__ import annotations

import datetime as dt
import random

from anmin.core.actors import SYSTEM
from anmin.core.models import Region, Role
from anmin.core.models.orgs import OrgKind
from anmin.people.names import person_name
from anmin.workflow import actions as case_actions
from anmin.workflow.actions import PastCase, PastStep
from anmin.workflow.calendar import Calendar
from anmin.workflow.definitions import NATURAL
from anmin.workflow.kit import demo as kit

from . import actions
from .models import (
    DrowningIncident,
    DrunkDriving,
    Offence,
    Penalty,
    RailwayHazardCategory,
    Water,
    WaterInspection,
    WaterKind,
)
from .registries import WATERS
from .workflows import RAILWAY_HAZARD

YEAR = 2020
TODAY = dt.date(2020, 12, 10)


def as_records(objs, registry) -> list[dict]:
    """Unsaved rows as the records the registry kit's bulk import takes."""
    return [{"region": o.region_id, "status": o.status, **{f: getattr(o, f) for f in registry.fields}} for o in objs]
DEMO_NOW = dt.datetime(2020, 12, 10, 9, 0, tzinfo=kit.SHANGHAI)
# (year, people dealt with, criminal penalties, accidents caused)
DRUNK = ((2019, 1_402, 231, 46), (YEAR, 1_561, 253, 29))
LINES = {"郑万高铁": ("火龙镇", "顺店镇", "韩城街道", "褚河街道", "梁北镇"),
         "禹亳铁路": ("钧台街道", "古城镇", "郭连镇")}
N_RAILWAY = 64
OPEN_FATES = ["rectifying"] * 4 + ["overdue"] * 2 + ["rectified"] * 4 + ["reported"] * 2 + ["rejected"] * 2
DESCRIPTIONS = {
    "house": "线路保护区内民房年久失修，墙体开裂，存在倒塌侵限风险",
    "tree": "线路旁杨树倾斜严重，树高超过与线路距离，大风天气易倒伏侵限",
    "fence": "护网立柱松动、网片破损，有行人和牲畜进入线路的隐患",
    "crossing": "人行便道道口警示标志缺失，群众横穿线路",
    "object": "线路两侧大棚塑料薄膜、彩钢瓦未加固，大风天气易被吹上接触网",
    "other": "线路保护区内违规堆放杂物",
}
MEASURES = {
    "house": "已督促房主拆除危房并清运", "tree": "已联系林业部门办理采伐手续并伐除", "fence": "已协调铁路部门修复护网",
    "crossing": "已设置警示标志并封闭便道", "object": "已加固大棚薄膜、拆除彩钢瓦", "other": "已清理杂物",
}


def _townships() -> dict[str, Region]:
    return {t.name: t for t in Region.objects.townships()}


def _drunk(rng: random.Random, townships: list[Region]) -> list[DrunkDriving]:
    rows = []
    for year, total, criminal, accidents in DRUNK:
        last = TODAY if year == YEAR else dt.date(year, 12, 31)
        for i in range(total):
            day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, (last - dt.date(year, 1, 1)).days - 1))
            t = rng.choice(townships)
            rows.append(DrunkDriving(
                region=t, caught_on=day, driver_name=person_name(rng, male=rng.random() < 0.93),
                offence=Offence.DRUNK if i < criminal + 40 else Offence.DRINK,
                penalty=Penalty.CRIMINAL if i < criminal else Penalty.ADMIN,
                caused_accident=i < accidents, unit="禹州市公安局交通警察大队"))
    return rows


def _waters(rng: random.Random) -> tuple[list[Water], list[DrowningIncident]]:
    kinds = list(WaterKind.values)
    waters = []
    villages = list(Region.objects.villages().order_by("code"))
    places = kit.Scatter()
    for v in villages:
        if rng.random() >= 0.33:
            continue
        kind = rng.choices(kinds, weights=[50, 15, 15, 5, 15])[0]
        gap = rng.random() < 0.04
        name = f"{v.name}{rng.choice(['东', '西', '南', '北'])}{WaterKind(kind).label.split('/')[0]}"
        latitude, longitude = places.near(v.code, name, km=2.0)
        waters.append(Water(
            name=name, kind=kind, latitude=latitude, longitude=longitude, region=v,
            address=f"{v.name}{rng.randint(1, 9)}组附近", warning_signs=0 if gap else rng.randint(1, 4),
            rescue_equipment="" if gap else f"救生圈{rng.randint(1, 3)}个、救生杆1根、救生绳1条",
            responsible_name=person_name(rng, male=True),
            responsible_phone=f"13{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}"))
    drownings = []
    for year, n in ((2019, 5), (YEAR, 2)):
        for _i in range(n):
            v = rng.choice(villages)
            drownings.append(DrowningIncident(
                region=v, occurred_on=dt.date(year, rng.randint(6, 8), rng.randint(1, 28)), age=rng.randint(7, 16),
                sex="M" if rng.random() < 0.8 else "F", died=rng.random() < 0.5,
                circumstances="放学后结伴到坑塘边玩耍，不慎落水"))
    return waters, drownings


def _inspections(rng: random.Random) -> list[WaterInspection]:
    rows = []
    for w in Water.objects.order_by("pk"):
        for month in (6, 7, 8, 9):
            rows.append(WaterInspection(
                water=w, region_id=w.region_id, inspected_on=dt.date(YEAR, month, rng.randint(1, 28)),
                inspector=person_name(rng, male=rng.random() < 0.7), signs_ok=bool(w.warning_signs),
                equipment_ok=bool(w.rescue_equipment),
                findings="" if w.protected else "警示牌、救生器材缺失，已报村委会补齐"))
    return rows


def _railway(rng: random.Random, names: dict[str, Region]) -> list[actions.PastRailwayHazard]:
    centres = kit.first_by_region(Role.TOWNSHIP_CENTER)
    village_staff = kit.first_by_region(Role.VILLAGE_CENTER)
    village_centres = kit.units_by_region(OrgKind.CENTER, region__level=3)
    cal = Calendar(NATURAL)
    places = []
    for line, townships in LINES.items():
        for name in townships:
            if name in names:
                villages = list(Region.objects.villages().filter(parent=names[name]).order_by("code")[:4])
                places += [(line, v) for v in villages if v.code in village_centres]
    if not places:
        return []
    fates = OPEN_FATES + ["verified"] * (N_RAILWAY - len(OPEN_FATES))
    rng.shuffle(fates)
    items = []
    for fate in fates:
        line, village = rng.choice(places)
        category = rng.choices(list(RailwayHazardCategory.values), weights=[10, 30, 20, 10, 25, 5])[0]
        priority = "hard" if category in ("house", "tree") else rng.choice(["normal", "normal", "urgent"])
        days = RAILWAY_HAZARD.workflow.limit_for("rectifying").days_for(priority)
        if fate == "reported":
            found = kit.at(TODAY - dt.timedelta(days=rng.randint(0, 1)), rng, 8, 9)
        elif fate == "overdue":
            found = kit.at(TODAY - dt.timedelta(days=days + rng.randint(3, 8)), rng)
        elif fate in ("rectifying", "rectified"):
            found = kit.at(TODAY - dt.timedelta(days=rng.randint(2, min(days, 4) + 1)), rng)
        else:
            weights = [3, 3, 8, 9, 9, 8, 9, 9, 9, 8, 0, 0]  # up to October: all of it done by December
            found = kit.at(kit.day_in_year(rng, YEAR, TODAY - dt.timedelta(days=40), weights), rng)
        centre = centres.get(village.parent_id)
        target_org, target_user = village_centres[village.code], village_staff.get(village.code)
        steps: list[PastStep] = []
        supervised = None
        if fate == "rejected":
            steps.append(PastStep("reject", found + dt.timedelta(hours=3), centre,
                                  reason="经现场核实，不在线路安全保护区内"))
        elif fate != "reported":
            ordered = found + dt.timedelta(hours=rng.randint(1, 20))
            steps.append(PastStep("order", ordered, centre, target_org=target_org, target_user=target_user))
            due = cal.deadline(ordered, days)
            if fate in ("rectified", "verified"):
                late = fate == "verified" and rng.random() < 0.05
                span = max(0.3, min(days, 3) - 0.2) if fate == "rectified" else max(0.3, days - 0.5)
                done = (due + dt.timedelta(days=rng.randint(1, 3)) if late
                        else ordered + dt.timedelta(days=rng.uniform(0.2, span)))
                done = min(done, DEMO_NOW - dt.timedelta(hours=1))
                if late:
                    supervised = (due + dt.timedelta(minutes=30), due + dt.timedelta(hours=20))
                steps.append(PastStep("rectify", done, target_user, data={"result": MEASURES[category]}))
                if fate == "verified":
                    steps.append(PastStep("verify", done + dt.timedelta(days=rng.randint(1, 2)), centre))
        mileage = f"K{rng.randint(600, 720)}+{rng.randint(0, 9)}00"
        items.append(actions.PastRailwayHazard(
            case=PastCase(kind=RAILWAY_HAZARD.code, title=f"{line} {mileage} {RailwayHazardCategory(category).label}",
                          region_id=village.code, opened_at=found, steps=steps, reporter=centre, priority=priority,
                          source="护路巡查", description=f"{village.name}段：{DESCRIPTIONS[category]}",
                          supervised=supervised),
            category=category, line=line, found_on=found.date(), mileage=mileage,
            requirement=f"限期{days}日内整改到位"))
    items.sort(key=lambda i: i.case.opened_at)
    return items


def build(*, scale: float = 1.0, **_kwargs) -> dict[str, int]:
    if DrunkDriving.objects.filter(caught_on__year=YEAR).exists():
        return {"drunk_driving": 0, "waters": 0, "railway_hazards": 0}
    rng = random.Random("hazards-2020")
    names = _townships()
    townships = [names[n] for n in sorted(names)]
    drunk = actions.import_drunk_driving(_drunk(rng, townships), actor=SYSTEM, note="演示环境：酒驾醉驾查处登记")
    waters, drownings = _waters(rng)
    actions.import_waters(records=as_records(waters, WATERS), actor=SYSTEM, note="演示环境：危险水域台账")
    actions.import_inspections(_inspections(rng), actor=SYSTEM, note="演示环境：2020年汛期水域巡查")
    actions.import_drownings(drownings, actor=SYSTEM, note="演示环境：未成年人溺水事故")
    railway = actions.import_railway_hazards(_railway(rng, names), actor=SYSTEM, note="演示环境：铁路沿线安全隐患")
    case_actions.sweep(now=DEMO_NOW)
    return {"drunk_driving": drunk, "waters": len(waters), "railway_hazards": railway}
