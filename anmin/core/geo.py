"""Coordinates as people type them (decimal degrees), checked once for every record with a place."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import invalid

COORDINATE = Decimal("0.000001")


def parse_coordinate(value: Any, label: str, low: int, high: int) -> Decimal | None:
    """A coordinate in decimal degrees with six places, or None when blank; ``ValueError`` with a
    message naming the field (「纬度」须在 -90 到 90 之间) otherwise."""
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip()).quantize(COORDINATE)
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"「{label}」须为数字（十进制度，如 34.1405）") from exc
    if not number.is_finite() or not low <= number <= high:
        raise ValueError(f"「{label}」须在 {low} 到 {high} 之间")
    return number


def _coordinate(value: Any, field: str, label: str, low: int, high: int) -> Decimal | None:
    try:
        return parse_coordinate(value, label, low, high)
    except ValueError as exc:
        raise invalid(field, str(exc)) from exc


def check_location(latitude: Any, longitude: Any) -> tuple[Decimal | None, Decimal | None]:
    """(latitude, longitude) as decimals with six places, both or neither; errors name the field."""
    lat = _coordinate(latitude, "latitude", "纬度", -90, 90)
    lon = _coordinate(longitude, "longitude", "经度", -180, 180)
    if (lat is None) != (lon is None):
        raise invalid("longitude" if lon is None else "latitude", "「经度」和「纬度」须同时填写，或都不填")
    return lat, lon
