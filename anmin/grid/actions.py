"""Every write of the grid domain: reporting an event (with its photos) and importing past events.

Steps after the report (受理, 交办, 反馈, 核查 …) are the case engine's: ``anmin.workflow.actions.
transition_case`` through the case pages and the case API.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from anmin.core import audit, bulkcopy, checks, clock, txn
from anmin.core.attachments.photos import attach, clean_photos, stored
from anmin.core.errors import invalid
from anmin.core.geo import check_location
from anmin.core.guards import action
from anmin.core.i18n import source_text
from anmin.core.models import Region, User
from anmin.core.offline import check_accuracy, check_recorded_at
from anmin.workflow import actions as case_actions
from anmin.workflow.actions import PastCase

from .categories import CATEGORIES
from .models import EventPhoto, EventSource, GridEvent
from .workflows import GRID_EVENT

VIEW_PERM, ADD_PERM = "grid.view_gridevent", "grid.add_gridevent"


@action(perm=ADD_PERM, region="region", region_label="所在网格", what="上报网格事件")
def report_event(
    *,
    actor: User,
    category: str,
    region: Region | str,
    description: str,
    title: str = "",
    address: str = "",
    latitude: Any = None,
    longitude: Any = None,
    priority: str = "normal",
    source: str = EventSource.PATROL,
    found_at: datetime | None = None,
    resident_name: str = "",
    resident_phone: str = "",
    photos: Iterable[Any] = (),
    recorded_at: datetime | None = None,
    gps_accuracy: Any = None,
    now: datetime | None = None,
) -> GridEvent:
    """上报网格事件: a case of kind WG in 待受理 at the township centre, its detail row and photos.

    The place must be the reporter's own grid (a grid worker) or inside their jurisdiction (a centre);
    ``photos`` are uploaded files (or bytes), each re-encoded without metadata (``photos.py``).
    ``recorded_at`` is when the worker recorded it on the phone (an offline report arrives later): not
    after now (by the business clock, with a phone's skew), not more than 30 days ago (``core.offline``); it
    is also the default 发现时间. ``gps_accuracy`` is the phone's position accuracy in metres.
    """
    now = now or clock.now()
    recorded_at = check_recorded_at(recorded_at, now)
    gps_accuracy = check_accuracy(gps_accuracy)
    place = checks.place(region, label="所在网格")
    category = CATEGORIES.check(category)
    description = checks.text(description, "description", "情况描述", 5000, required=True)
    title = checks.text(title, "title", "事件标题", 200) or _title_from(description, category)
    if source not in EventSource.values:
        raise invalid("source", "「来源」无效")
    checks.priority(priority, GRID_EVENT)
    found_at = checks.moment(found_at or recorded_at or now, "found_at", "发现时间", now=now,
                             max_age=timedelta(days=366), age_text="一年前")
    lat, lon = check_location(latitude, longitude)
    address = checks.text(address, "address", "详细地址", 200)
    resident_name = checks.text(resident_name, "resident_name", "反映群众姓名", 64)
    resident_phone = checks.phone(resident_phone, "resident_phone", "反映群众联系电话")
    if resident_phone and not resident_name:
        raise invalid("resident_name", "填写了「反映群众联系电话」须同时填写「反映群众姓名」")
    cleaned = clean_photos(photos)

    with stored(cleaned, EventPhoto) as photo_rows, txn.part(), audit.batch():
        case = case_actions.open_case(
            kind=GRID_EVENT, title=title, region=place, reporter=actor, priority=priority,
            source=source_text(EventSource(source).label), description=description, now=now,
            reporter_name=resident_name,
        )
        event = bulkcopy.insert(GridEvent(
            case=case, category=category, source=source, found_at=found_at, address=address,
            latitude=lat, longitude=lon, resident_name=resident_name, resident_phone=resident_phone,
            photo_count=len(cleaned), recorded_at=recorded_at, gps_accuracy=gps_accuracy,
        ))
        attach(photo_rows, event, actor=actor, now=now)
        audit.record(actor=actor, action="create", obj=event,
                     after={**audit.snapshot(event), "number": case.number, "photos": len(cleaned)})
    return event


def _title_from(description: str, category: str) -> str:
    first = description.splitlines()[0].strip()
    head = first if len(first) <= 30 else first[:29] + "…"
    return f"{CATEGORIES.name(category)}：{head}"


# -- Past events (a ledger import, the demo world) ---------------------------------------------------
@dataclass
class PastEvent:
    """A grid event whose history already happened: the case with its steps, and the detail."""

    case: PastCase
    category: str
    found_at: datetime
    source: str = EventSource.PATROL
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    resident_name: str = ""
    resident_phone: str = ""


@action(perm=ADD_PERM, what="导入网格事件")
def import_events(items: Sequence[PastEvent], *, actor, note: str = "", batch_size: int = 2000) -> int:
    """Register past grid events in bulk through the kit's ``import_details``: per batch one
    transaction, the cases and their timelines through the case engine's ``import_cases`` (numbers from
    the same counters, steps replayed through the workflow, past automatic 督办, one audit entry per
    batch), then the detail rows."""
    return len(case_actions.import_details(
        items, kind=GRID_EVENT, model=GridEvent, actor=actor, note=note, check=_check_past, batch_size=batch_size))


def _check_past(item: PastEvent) -> None:
    if not CATEGORIES.is_active(item.category):
        raise invalid("category", f"「{item.case.title}」的事件类别 {item.category} 不在类别表中")
