"""The input checks every action repeats, written once: each returns the clean value or raises
``invalid(field, …)`` naming the field and the rule (「标签」…), so a form shows it on the field and the API
answers it in the one error shape.

    title = checks.text(title, "title", "事件标题", 200)
    place = checks.place(region, label="所在网格")
    found_at = checks.moment(found_at, "found_at", "发现时间", now=now, max_age=timedelta(days=366),
                             age_text="一年前")
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from . import references
from .errors import invalid
from .models import Region
from .protected import parse_id_number, validate_phone_number

# A phone's (or another system's) clock may run a little ahead of the server's.
CLOCK_SKEW = timedelta(minutes=10)


def text(value: Any, field: str, label: str, limit: int, *, required: bool = False) -> str:
    """Stripped text of at most ``limit`` characters; empty unless ``required``."""
    value = str(value or "").strip()
    if required and not value:
        raise invalid(field, f"「{label}」为必填项")
    if len(value) > limit:
        raise invalid(field, f"「{label}」不能超过 {limit} 字")
    return value


def place(region: Region | str | None, field: str = "region", label: str = "所在区划", *, hint: str = "") -> Region:
    """The region a code names (with its village and township: pages and API answers show the full
    place name); required. ``hint`` follows the "does not exist" message. The region is the process's
    kept one (``core.references``): assign it, read it, never change it."""
    if region in (None, ""):
        raise invalid(field, f"「{label}」为必填项")
    if isinstance(region, Region):
        return region
    code = str(region).strip()
    found = references.regions([code]).get(code)
    if found is None:
        raise invalid(field, f"「{label}」{region} 不存在{hint}")
    return found


def choice(value: Any, field: str, label: str, choices) -> str:
    """One of a ``TextChoices``' values."""
    if value not in choices.values:
        raise invalid(field, f"「{label}」须为 {'、'.join(str(c) for c in choices.labels)} 之一")
    return value


def priority(value: Any, kind, field: str = "priority", label: str = "紧急程度") -> str:
    """One of the priorities of a case kind's workflow."""
    if value not in dict(kind.workflow.priorities):
        labels = "、".join(str(name) for _code, name in kind.workflow.priorities)
        raise invalid(field, f"「{label}」须为 {labels} 之一")
    return value


def phone(value: Any, field: str, label: str = "联系电话") -> str:
    """A phone number in its normal form, or "" when none is given."""
    value = str(value or "").strip()
    if not value:
        return ""
    try:
        return validate_phone_number(value, label=f"「{label}」")
    except ValidationError as exc:
        raise invalid(field, exc.messages[0]) from exc


def id_number(value: Any, field: str = "id_number", label: str = "身份证号码") -> str:
    """A checked 18-digit ID number, or "" when none is given."""
    value = str(value or "").strip()
    if not value:
        return ""
    try:
        return parse_id_number(value, label=f"「{label}」").number
    except ValidationError as exc:
        raise invalid(field, exc.messages[0]) from exc


def moment(value: datetime | None, field: str, label: str, *, now: datetime, hint: str = "",
           max_age: timedelta | None = None, age_text: str = "") -> datetime | None:
    """A time that has happened: not after ``now`` (with ``CLOCK_SKEW``; ``hint`` follows the message)
    and, with ``max_age``, not before ``now - max_age`` ("不能早于{age_text}"). None stays None; a naive
    time is in the installation's zone."""
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now + CLOCK_SKEW:
        raise invalid(field, f"「{label}」不能晚于现在{hint}")
    if max_age is not None and value < now - max_age:
        raise invalid(field, f"「{label}」不能早于{age_text}")
    return value


def day(value: Any, field: str, label: str, today: date, *, required: bool = True,
        latest: str = "今天") -> date | None:
    """A past or present date (ISO text accepted), not before 2000. A date allowed later than today (a
    time limit) passes its own ceiling as ``today`` and names it in ``latest`` (“2030年底”)."""
    if value in (None, ""):
        if required:
            raise invalid(field, f"「{label}」为必填项")
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError as exc:
            raise invalid(field, f"「{label}」须为日期，如 2020-06-01") from exc
    if value > today:
        raise invalid(field, f"「{label}」不能晚于{latest}")
    if value.year < 2000:
        raise invalid(field, f"「{label}」不能早于2000年")
    return value
