"""The grid-event part of the Yuzhou demo world: a year of events (2020, "today" 2020-12-10).

About 18,000 events (× ``scale``) over every grid and month: reported by the grid's worker (some on
behalf of a resident), accepted and handed out by the township centre — to the 派出所 for public
order and safety hazards, to the village centre for the rest — fed back, checked and closed, most
with a 回访. A few ran over their limit and got an automatic 督办 on the way; the recent ones are
still open, some of them overdue today, and the sweep run at the end issues their 督办.

Deterministic and idempotent (nothing is added when 2020's events exist). Written through
``actions.import_events`` (bulk, one transaction and one audit entry per batch).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal
from pathlib import Path

from anmin.core.actors import SYSTEM
from anmin.core.i18n import source_text
from anmin.core.models import Region, Role
from anmin.core.models.orgs import OrgKind
from anmin.people.names import person_name
from anmin.workflow import actions as case_actions
from anmin.workflow.actions import PastCase, PastStep
from anmin.workflow.kit import demo as kit

from .actions import PastEvent, import_events
from .categories import CATEGORIES
from .models import EventSource, GridEvent
from .workflows import GRID_EVENT

YEAR = 2020
TODAY = dt.date(2020, 12, 10)
DEMO_NOW = dt.datetime(2020, 12, 10, 9, 0, tzinfo=kit.SHANGHAI)
N_EVENTS = 18_000
# Planned open events on "today" (the rest are closed or not accepted); the figures the platform
# reports are computed from the records, never from these numbers.
OPEN_PLAN = {"reported": 70, "accepted": 40, "in_progress": 300, "overdue": 110, "feedback": 80}
# How far along the lifecycle each fate gets: 0 reported, 1 accepted, 2 assigned, 3 fed back, 4 closed.
REACH = {"reported": 0, "rejected": 0, "accepted": 1, "in_progress": 2, "overdue": 2, "feedback": 3, "closed": 4,
         "late": 4}
REJECTED_SHARE = 0.01
LATE_SHARE = 0.03  # closed, but only after an automatic 督办
VISIT_SHARE = 0.6
MONTH_WEIGHTS = [8, 5, 8, 9, 9, 9, 9, 9, 9, 9, 9, 3]  # February: the epidemic; December: up to the 10th
CATEGORY_WEIGHTS = {"01": 10, "02": 14, "03": 9, "04": 22, "05": 13, "06": 14, "07": 13, "99": 5}
POLICE_CATEGORIES = {"01": 1.0, "02": 0.4}  # share handed to the 派出所; the rest go to the village centre
PRIORITY_WEIGHTS = {"urgent": 10, "normal": 80, "hard": 10}
TEXTS = json.loads((Path(__file__).parent / "data" / "demo_texts.json").read_text(encoding="utf-8"))
CENTRE = (34.14, 113.49)  # 禹州市区, roughly


def _opened_day(fate: str, priority: str, rng: random.Random) -> dt.date:
    """Open ones recently (overdue ones long enough ago to be late today); the rest over the year."""
    if fate == "reported":
        return TODAY - dt.timedelta(days=rng.randint(0, 1))
    if fate == "overdue":
        return TODAY - dt.timedelta(days=rng.randint(9 if priority == "hard" else 5, 20))
    if fate == "accepted":
        return TODAY - dt.timedelta(days=1)
    if fate in ("in_progress", "feedback"):
        return TODAY - dt.timedelta(days=rng.randint(1, 2))
    return kit.day_in_year(rng, YEAR, TODAY, MONTH_WEIGHTS)


def build(*, scale: float = 1.0, **_kwargs) -> dict[str, int]:
    CATEGORIES.load()
    if GridEvent.objects.filter(case__kind=GRID_EVENT.code, case__opened_at__year=YEAR).exists():
        return {"grid_events": 0, "supervisions": 0}
    rng = random.Random("grid-events-2020")
    n = max(20, round(N_EVENTS * scale))
    grids = list(Region.objects.grids().select_related("parent").order_by("code"))
    workers = kit.grid_workers()
    centres, police = kit.first_by_region(Role.TOWNSHIP_CENTER), kit.first_by_region(Role.POLICE)
    village_staff = kit.first_by_region(Role.VILLAGE_CENTER)
    stations, centre_units = kit.units_by_region(OrgKind.POLICE_STATION), kit.units_by_region(OrgKind.CENTER)
    limits = GRID_EVENT.workflow.limit_for("in_progress")
    settled, still_open = kit.plan_fates(rng, total=n, still_open=OPEN_PLAN, scale=n / N_EVENTS, rest="closed",
                                         settled={"late": round(n * LATE_SHARE), "rejected": round(n * REJECTED_SHARE)})
    items: list[PastEvent] = []
    for fate in settled + still_open:
        grid = rng.choice(grids)
        village, township = grid.parent, grid.code[:9] + "000"
        centre = centres.get(township)
        category, priority = kit.pick(rng, CATEGORY_WEIGHTS), kit.pick(rng, PRIORITY_WEIGHTS)
        if fate in ("accepted", "in_progress", "feedback") and priority == "urgent":
            priority = "normal"  # still running today: an urgent one would be overdue since yesterday
        to_police = rng.random() < POLICE_CATEGORIES.get(category, 0.0)
        target_org = stations.get(township) if to_police else centre_units.get(village.code)
        target_user = (police if to_police else village_staff).get(target_org.region_id) if target_org else None
        day = _opened_day(fate, priority, rng)
        opened = kit.at(day, rng, 7, 17) if day < TODAY else kit.at(day, rng, 7, 9)
        if fate == "rejected":
            history = ([PastStep("reject", opened + dt.timedelta(hours=rng.randint(1, 5)), centre,
                                 reason="经核实不属于网格事件受理范围，已告知上报人")], None)
        else:
            history = kit.past_steps(
                kit.Lifecycle(REACH[fate], late=fate == "late", visit_share=VISIT_SHARE), rng=rng, opened=opened,
                centre=centre, target_org=target_org, target_user=target_user,
                handling_days=limits.days_for(priority), now=DEMO_NOW, feedback_open=fate == "feedback",
                result=rng.choice(TEXTS["results"]["police" if to_police else "village"]))
        if history is None:
            continue
        steps, supervised = history
        what = rng.choice(TEXTS["what"][category])
        on_behalf = rng.random() < 0.15
        resident = person_name(rng, male=rng.random() < 0.5) if on_behalf else ""
        description = (f"{village.name}{grid.name}：{what}。" +
                       (f"群众{resident}向网格员反映。" if on_behalf else "网格员巡查发现，现场已拍照记录。"))
        located = rng.random() < 0.5
        source = EventSource.RESIDENT if on_behalf else EventSource.PATROL
        items.append(PastEvent(
            case=PastCase(kind=GRID_EVENT.code, title=f"{village.name}{what}", region_id=grid.code, opened_at=opened,
                          steps=steps, reporter=workers.get(grid.code), reporter_name=resident, priority=priority,
                          source=source_text(source.label), description=description, supervised=supervised),
            category=category, found_at=opened - dt.timedelta(minutes=rng.randint(5, 120)), source=source,
            address=f"{village.name}{rng.randint(1, 12)}组" if rng.random() < 0.7 else "",
            latitude=Decimal(f"{CENTRE[0] + rng.uniform(-0.25, 0.25):.6f}") if located else None,
            longitude=Decimal(f"{CENTRE[1] + rng.uniform(-0.3, 0.3):.6f}") if located else None,
            resident_name=resident,
            resident_phone=f"13{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}" if on_behalf else "",
        ))
    items.sort(key=lambda item: item.case.opened_at)  # numbers follow the report time
    created = import_events(items, actor=SYSTEM, note="演示环境：2020年网格事件台账")
    result = case_actions.sweep(now=DEMO_NOW)  # today's warnings and automatic 督办 for what is overdue
    return {"grid_events": created, "supervisions": result.supervisions + sum(1 for i in items if i.case.supervised)}
