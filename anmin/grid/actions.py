"""Every write of the grid domain: reporting an event (with its photos) and importing past events.

Steps after the report (受理, 交办, 反馈, 核查 …) are the case engine's: ``anmin.workflow.actions.
transition_case`` through the case pages and the case API.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from anmin.core import audit, clock
from anmin.core.actors import as_user
from anmin.core.attachments.photos import clean_photos, discard, write_photos
from anmin.core.errors import invalid
from anmin.core.geo import check_location
from anmin.core.guards import action
from anmin.core.i18n import source_text
from anmin.core.models import Region, User
from anmin.core.protected import validate_phone_number
from anmin.workflow import actions as case_actions
from anmin.workflow.actions import PastCase

from .categories import category_name, is_active_category
from .models import EventPhoto, EventSource, GridEvent
from .workflows import GRID_EVENT

log = logging.getLogger("anmin.grid")

ADD_PERM = "grid.add_gridevent"
# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = timedelta(minutes=10)
# How long a report may wait in a phone's outbox (docs/offline.md).
RECORDED_MAX_AGE = timedelta(days=30)
MAX_ACCURACY = 100_000


def _place(region: Region | str | None) -> Region:
    if region in (None, ""):
        raise invalid("region", "「所在网格」为必填项")
    if isinstance(region, Region):
        return region
    # With its village and township: the event's page and API answer show the full place name.
    found = Region.objects.select_related("parent__parent").filter(pk=str(region).strip()).first()
    if found is None:
        raise invalid("region", f"「所在网格」{region} 不存在")
    return found


def _text(value: str, field: str, label: str, limit: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise invalid(field, f"「{label}」为必填项")
    if len(value) > limit:
        raise invalid(field, f"「{label}」不能超过 {limit} 字")
    return value


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
    after now (by the business clock, with a phone's skew), not more than ``RECORDED_MAX_AGE`` ago; it
    is also the default 发现时间. ``gps_accuracy`` is the phone's position accuracy in metres.
    """
    now = now or clock.now()
    recorded_at = _recorded_at(recorded_at, now)
    gps_accuracy = _accuracy(gps_accuracy)
    place = _place(region)
    category = (category or "").strip()
    if not is_active_category(category):
        raise invalid("category", f"「事件类别」{category or '（空）'} 不在网格事件类别表中")
    description = _text(description, "description", "情况描述", 5000, required=True)
    title = _text(title, "title", "事件标题", 200) or _title_from(description, category)
    if source not in EventSource.values:
        raise invalid("source", "「来源」无效")
    if priority not in dict(GRID_EVENT.workflow.priorities):
        labels = "、".join(label for _code, label in GRID_EVENT.workflow.priorities)
        raise invalid("priority", f"「紧急程度」须为 {labels} 之一")
    found_at = found_at or recorded_at or now
    if found_at > now + CLOCK_SKEW:
        raise invalid("found_at", "「发现时间」不能晚于现在")
    if found_at < now - timedelta(days=366):
        raise invalid("found_at", "「发现时间」不能早于一年前")
    lat, lon = check_location(latitude, longitude)
    address = _text(address, "address", "详细地址", 200)
    resident_name = _text(resident_name, "resident_name", "反映群众姓名", 64)
    resident_phone = (resident_phone or "").strip()
    if resident_phone:
        try:
            resident_phone = validate_phone_number(resident_phone, label="「反映群众联系电话」")
        except ValidationError as exc:
            raise invalid("resident_phone", exc.messages[0]) from exc
        if not resident_name:
            raise invalid("resident_name", "填写了「反映群众联系电话」须同时填写「反映群众姓名」")
    cleaned = clean_photos(photos)

    saved: list[str] = []
    try:
        photo_rows = write_photos(cleaned, EventPhoto, saved=saved)
        with transaction.atomic(), audit.batch():
            case = case_actions.open_case(
                kind=GRID_EVENT, title=title, region=place, reporter=actor, priority=priority,
                source=source_text(EventSource(source).label), description=description, now=now,
                reporter_name=resident_name,
            )
            event = GridEvent.objects.create(
                case=case, category=category, source=source, found_at=found_at, address=address,
                latitude=lat, longitude=lon, resident_name=resident_name, resident_phone=resident_phone,
                photo_count=len(cleaned), recorded_at=recorded_at, gps_accuracy=gps_accuracy,
            )
            for row in photo_rows:
                row.event, row.uploaded_by, row.uploaded_at = event, as_user(actor), now
            EventPhoto.objects.bulk_create(photo_rows)
            audit.record(actor=actor, action="create", obj=event,
                         after={**audit.snapshot(event), "number": case.number, "photos": len(cleaned)})
    except BaseException:
        discard(saved)
        raise
    return event


def _recorded_at(value: datetime | None, now: datetime) -> datetime | None:
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now + CLOCK_SKEW:
        raise invalid("recorded_at", "「记录时间」不能晚于现在（请检查手机时间）")
    if value < now - RECORDED_MAX_AGE:
        raise invalid("recorded_at", f"「记录时间」不能早于 {RECORDED_MAX_AGE.days} 天前")
    return value


def _accuracy(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        metres = round(float(value))
    except (TypeError, ValueError):
        raise invalid("gps_accuracy", "「定位精度」须为米数") from None
    if not 0 <= metres <= MAX_ACCURACY:
        raise invalid("gps_accuracy", f"「定位精度」应在 0 至 {MAX_ACCURACY} 米之间")
    return metres


def _title_from(description: str, category: str) -> str:
    first = description.splitlines()[0].strip()
    head = first if len(first) <= 30 else first[:29] + "…"
    return f"{category_name(category)}：{head}"


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
    extra: dict = field(default_factory=dict)


@action(perm=ADD_PERM, what="导入网格事件")
def import_events(items: Sequence[PastEvent], *, actor, note: str = "", batch_size: int = 2000) -> int:
    """Register past grid events in bulk: per batch one transaction, the cases and their timelines
    through the case engine's ``import_cases`` (numbers from the same counters, steps replayed through
    the workflow, past automatic 督办, one audit entry per batch), then the detail rows."""
    total = 0
    for start in range(0, len(items), batch_size):
        batch = items[start:start + batch_size]
        for item in batch:
            if item.case.kind != GRID_EVENT.code:
                raise invalid("kind", f"「{item.case.title}」不是网格事件")
            if not is_active_category(item.category):
                raise invalid("category", f"「{item.case.title}」的事件类别 {item.category} 不在类别表中")
        with transaction.atomic():
            cases = case_actions.import_cases([item.case for item in batch], actor=actor, note=note)
            GridEvent.objects.bulk_create(
                [GridEvent(case=case, category=item.category, source=item.source, found_at=item.found_at,
                           address=item.address, latitude=item.latitude, longitude=item.longitude,
                           resident_name=item.resident_name, resident_phone=item.resident_phone)
                 for case, item in zip(cases, batch, strict=True)],
                batch_size=1000,
            )
        total += len(cases)
    return total
