"""Small helpers shared by the crackdown actions (no writes here)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError

from anmin.core.errors import invalid
from anmin.core.models import OrgUnit, Region
from anmin.core.models.orgs import OrgKind
from anmin.core.protected import parse_id_number, validate_phone_number
from anmin.workflow import actions as case_actions
from anmin.workflow.definitions import HANDLER
from anmin.workflow.rules import may_take

from ..workflows import CRACKDOWN


def text(value, field: str, label: str, limit: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise invalid(field, f"「{label}」为必填项")
    if len(value) > limit:
        raise invalid(field, f"「{label}」不能超过 {limit} 字")
    return value


def choice(value, field: str, label: str, choices) -> str:
    if value not in choices.values:
        raise invalid(field, f"「{label}」须为 {'、'.join(str(c) for c in choices.labels)} 之一")
    return value


def place(region, field: str = "region", label: str = "所在区划") -> Region:
    if region in (None, ""):
        raise invalid(field, f"「{label}」为必填项")
    if isinstance(region, Region):
        return region
    found = Region.objects.filter(pk=str(region).strip()).first()
    if found is None:
        raise invalid(field, f"「{label}」{region} 不存在")
    return found


def day(value, field: str, label: str, today: date, *, required: bool = True) -> date | None:
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
        raise invalid(field, f"「{label}」不能晚于今天")
    if value.year < 2000:
        raise invalid(field, f"「{label}」不能早于2000年")
    return value


def office(region: Region) -> OrgUnit | None:
    """The 扫黑办 responsible for a place: the nearest one at or above it (the city's)."""
    codes = [region.code[:n] + "0" * (12 - n) for n in (12, 9, 6)]
    return (OrgUnit.objects.filter(kind=OrgKind.CRACKDOWN_OFFICE, region_id__in=codes, is_active=True)
            .order_by("-region_id", "pk").first())


def require_handler(actor, case, what: str) -> None:
    """The unit the case is handed to (its handler) or the 扫黑办 may take the domain's step."""
    if not may_take(actor, case, (HANDLER, CRACKDOWN)):
        raise case_actions.TransitionNotAllowed(f"只有承办单位或扫黑办可以{what}")


def check_version(case, expected_version) -> None:
    if expected_version is not None and case.version != expected_version:
        raise case_actions.CaseConflict(case, expected_version)


def id_number(value: str, field: str = "id_number") -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return parse_id_number(value, label="「身份证号码」").number
    except ValidationError as exc:
        raise invalid(field, exc.messages[0]) from exc


def phone(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return validate_phone_number(value, label=f"「{label}」")
    except ValidationError as exc:
        raise invalid(field, exc.messages[0]) from exc
