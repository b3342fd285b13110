"""Every write of the grid domain: reporting an event (with its photos) and importing past events.

Steps after the report (受理, 交办, 反馈, 核查 …) are the case engine's: ``anmin.workflow.actions.
transition_case`` through the case pages and the case API.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from anmin.core import audit, clock
from anmin.core.i18n import source_text
from anmin.core.models import Region, User
from anmin.core.protected import validate_phone_number
from anmin.workflow import actions as case_actions
from anmin.workflow.actions import PastCase
from anmin.workflow.models import Supervision

from .categories import category_name, is_active_category
from .models import EventPhoto, EventSource, GridEvent
from .photos import CleanPhoto, clean_photos
from .workflows import GRID_EVENT

log = logging.getLogger("anmin.grid")

ADD_PERM = "grid.add_gridevent"
# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = timedelta(minutes=10)
COORDINATE = Decimal("0.000001")


def _err(field_name: str, message: str) -> ValidationError:
    return ValidationError({field_name: message})


def _region(region: Region | str | None) -> Region:
    if isinstance(region, Region):
        return region
    # With its village and township: the event's page and API answer show the full place name.
    found = Region.objects.select_related("parent__parent").filter(pk=str(region or "").strip()).first()
    if found is None:
        raise _err("region", f"「所在网格」{region or '（空）'} 不存在")
    return found


def check_place(actor: User, region: Region | str | None) -> Region:
    """The region, if it lies in the reporter's own area: a grid worker's own grids, a centre's
    jurisdiction. Errors name the field."""
    if region in (None, ""):
        raise _err("region", "「所在网格」为必填项")
    region = _region(region)
    if not any(region.code.startswith(prefix) for prefix in actor.scope.prefixes):
        raise _err("region", f"「所在网格」{region.name} 不在您负责的网格或辖区内")
    return region


def _coordinate(value: Any, field_name: str, label: str, low: int, high: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(COORDINATE)
    except (InvalidOperation, ValueError) as exc:
        raise _err(field_name, f"「{label}」须为数字（十进制度，如 34.1405）") from exc
    if not low <= number <= high:
        raise _err(field_name, f"「{label}」须在 {low} 到 {high} 之间")
    return number


def check_location(latitude: Any, longitude: Any) -> tuple[Decimal | None, Decimal | None]:
    lat = _coordinate(latitude, "latitude", "纬度", -90, 90)
    lon = _coordinate(longitude, "longitude", "经度", -180, 180)
    if (lat is None) != (lon is None):
        missing = "longitude" if lon is None else "latitude"
        raise _err(missing, "「经度」和「纬度」须同时填写，或都不填")
    return lat, lon


def _write_photos(photos: Sequence[CleanPhoto], *, saved: list[str]) -> list[EventPhoto]:
    """Write the files before the transaction (file I/O stays out of the locked part of the write);
    the rows are created inside it. A random name: the stored path says nothing about the event,
    the place or the person."""
    rows = []
    for photo in photos:
        row = EventPhoto(content_type=photo.content_type, width=photo.width, height=photo.height, size=photo.size,
                         sha256=photo.sha256)
        row.file.save(f"{uuid.uuid4().hex}.jpg", ContentFile(photo.data), save=False)
        saved.append(row.file.name)
        rows.append(row)
    return rows


def _discard(names: Iterable[str]) -> None:
    for name in names:
        try:
            EventPhoto._meta.get_field("file").storage.delete(name)
        except OSError:  # pragma: no cover - nothing more to do than log it
            log.warning("grid.photo.discard_failed name=%s", name)


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
    now: datetime | None = None,
) -> GridEvent:
    """上报网格事件: a case of kind WG in 待受理 at the township centre, its detail row and photos.

    ``photos`` are uploaded files (or bytes); each is re-encoded without metadata (``photos.py``).
    Raises ``ValidationError`` naming the field, ``PermissionDenied`` without the add permission.
    """
    now = now or clock.now()
    if not actor.has_perm(ADD_PERM):
        raise PermissionDenied("您没有上报网格事件的权限")
    place = check_place(actor, region)
    category = (category or "").strip()
    if not is_active_category(category):
        raise _err("category", f"「事件类别」{category or '（空）'} 不在网格事件类别表中")
    description = (description or "").strip()
    if not description:
        raise _err("description", "「情况描述」为必填项")
    title = (title or "").strip() or _title_from(description, category)
    if len(title) > 200:
        raise _err("title", "「事件标题」不能超过 200 字")
    if source not in EventSource.values:
        raise _err("source", "「来源」无效")
    if priority not in dict(GRID_EVENT.workflow.priorities):
        labels = "、".join(label for _code, label in GRID_EVENT.workflow.priorities)
        raise _err("priority", f"「紧急程度」须为 {labels} 之一")
    found_at = found_at or now
    if found_at > now + CLOCK_SKEW:
        raise _err("found_at", "「发现时间」不能晚于现在")
    if found_at < now - timedelta(days=366):
        raise _err("found_at", "「发现时间」不能早于一年前")
    lat, lon = check_location(latitude, longitude)
    address = (address or "").strip()
    if len(address) > 200:
        raise _err("address", "「详细地址」不能超过 200 字")
    resident_name = (resident_name or "").strip()
    if len(resident_name) > 64:
        raise _err("resident_name", "「反映群众姓名」不能超过 64 字")
    resident_phone = (resident_phone or "").strip()
    if resident_phone:
        try:
            resident_phone = validate_phone_number(resident_phone, label="「反映群众联系电话」")
        except ValidationError as exc:
            raise _err("resident_phone", exc.messages[0]) from exc
        if not resident_name:
            raise _err("resident_name", "填写了「反映群众联系电话」须同时填写「反映群众姓名」")
    cleaned = clean_photos(photos)

    saved: list[str] = []
    try:
        photo_rows = _write_photos(cleaned, saved=saved)
        with transaction.atomic(), audit.batch():
            try:
                case = case_actions.open_case(
                    kind=GRID_EVENT, title=title, region=place, reporter=actor, priority=priority,
                    source=source_text(EventSource(source).label), description=description, now=now,
                    reporter_name=resident_name,
                )
            except case_actions.WorkflowError as exc:
                raise ValidationError({exc.field or NON_FIELD_ERRORS: exc.message}) from exc
            event = GridEvent.objects.create(
                case=case, category=category, source=source, found_at=found_at, address=address,
                latitude=lat, longitude=lon, resident_name=resident_name, resident_phone=resident_phone,
                photo_count=len(cleaned),
            )
            for row in photo_rows:
                row.event, row.uploaded_by, row.uploaded_at = event, actor, now
            EventPhoto.objects.bulk_create(photo_rows)
            audit.record(actor=actor, action="create", obj=event,
                         after={**audit.snapshot(event), "number": case.number, "photos": len(cleaned)})
    except BaseException:
        _discard(saved)
        raise
    return event


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
    # An automatic 督办 the event got when it ran over its handling limit: (issued at, replied at).
    supervised: tuple[datetime, datetime | None] | None = None
    extra: dict = field(default_factory=dict)


def import_events(items: Sequence[PastEvent], *, actor: User | None = None, note: str = "",
                  batch_size: int = 2000) -> int:
    """Register past grid events in bulk: per batch one transaction, the cases and their timelines
    through the case engine's ``import_cases`` (numbers from the same counters, steps replayed through
    the workflow, one audit entry per batch), then the detail rows and any past automatic 督办."""
    total = 0
    for start in range(0, len(items), batch_size):
        batch = items[start:start + batch_size]
        for item in batch:
            if item.case.kind != GRID_EVENT.code:
                raise _err("kind", f"「{item.case.title}」不是网格事件")
            if not is_active_category(item.category):
                raise _err("category", f"「{item.case.title}」的事件类别 {item.category} 不在类别表中")
        with transaction.atomic():
            cases = case_actions.import_cases([item.case for item in batch], actor=actor, note=note)
            GridEvent.objects.bulk_create(
                [GridEvent(case=case, category=item.category, source=item.source, found_at=item.found_at,
                           address=item.address, latitude=item.latitude, longitude=item.longitude,
                           resident_name=item.resident_name, resident_phone=item.resident_phone)
                 for case, item in zip(cases, batch, strict=True)],
                batch_size=1000,
            )
            notices = []
            for case, item in zip(cases, batch, strict=True):
                if item.supervised is None or case.handling_org_id is None:
                    continue
                issued, replied = item.supervised
                notices.append(Supervision(
                    case=case, automatic=True, auto_key="overdue:import", issued_at=issued,
                    to_org_id=case.handling_org_id, centre_org_id=case.center_org_id,
                    reason=f"「{case.number} {case.title}」已超过处置期限，请抓紧办理并回复。",
                    reply_due_at=issued + timedelta(days=GRID_EVENT.workflow.escalation.reply_days),
                    served_at=replied, reply="已督促承办人加快办理，现已处置完毕。" if replied else "",
                    replied_at=replied,
                ))
            Supervision.objects.bulk_create(notices, batch_size=1000)
        total += len(cases)
    return total
