"""What an API field accepts, said once for the server and the OpenAPI schema (``core.schema``).

A plain string field whose value an action checks (a code of a code table, a choice kept as a plain
string, a region code, a phone number) says so with ``accepts(field, enum=…, pattern=…)``: the action
keeps its check and its message, the schema lists the codes or the pattern, so a request valid by
the schema is not refused for a reason the schema could have stated. ``core.schema.Schema`` also
reads what a ``ModelSerializer`` field's model field says (choices, a protected phone or ID number,
the region) without being told.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import suppress
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# A region's code: the 12-digit statistical division code, a grid adds up to four digits
# (``RegionViewSet.lookup_value_regex``). Whether the region exists and is the caller's is the
# action's to say (400), which no schema can.
REGION_CODE = r"^\d{12,16}$"
# What ``core.protected.phones.validate_phone_number`` accepts, written the usual ways: a mobile
# (1[3-9] + 9 digits) or a landline with its area code, "+86"/"0086" and one separator allowed.
PHONE = (r"^(?:(?:\+|00)86[ -]?)?(?:1[3-9]\d{9}|0(?:10|2\d)[ -]?[2-9]\d{7}|0[3-9]\d{2}[ -]?[2-9]\d{6,7})$")
MOBILE = r"^(?:(?:\+|00)86[ -]?)?1[3-9]\d{9}$"
# A resident ID number's shape (GB 11643): address code, birth date, sequence and check character,
# or the old 15 digits. The check character and whether the address code exists no pattern can say.
_DATE = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
ID_NUMBER = rf"^(?:[1-8]\d{{5}}(?:19|20)\d{{2}}{_DATE}\d{{3}}[\dXx]|[1-8]\d{{7}}{_DATE}\d{{3}})$"
# Any text: DRF refuses the NUL character in every string (``CharField``'s own validator); one that
# must not be blank needs a character that is not a space either (DRF strips first: str.strip's
# spaces, which include U+001C–U+001F beyond Unicode's White_Space, so they are named). Written for
# every engine that reads the schema (ECMA, Python, Rust's regex — no lone surrogates).
TEXT = r"^[^\u0000]*$"
NOT_BLANK = r"^[^\u0000]*[^\s\u0000\u001c-\u001f\u0085][^\u0000]*$"

Enum = Iterable[Any] | Callable[[], Iterable[Any]]


class Accepts:
    """A field's note of what it accepts, for the schema (``accepts``). It rides among the field's
    validators, which DRF hands on to every copy of the field (a serializer deep-copies its declared
    fields); as a validator it checks nothing — the action does, with its own message."""

    def __init__(self, enum: Enum | None, pattern: str | None):
        self.enum, self.pattern = enum, pattern

    def __call__(self, value: Any) -> None:
        return None


def accepts(field: serializers.Field, *, enum: Enum | None = None, pattern: str | None = None) -> Any:
    """``field``, marked with what it accepts beyond its type, for the schema: ``enum`` the values (a
    callable is read when the schema is built: ``CATEGORIES.listed``), ``pattern`` a regular expression
    a value must match. The check itself stays where it is (the action, a validator)."""
    note = Accepts(enum, pattern)
    field.validators = [*field.validators, note]
    field._kwargs["validators"] = [*field._kwargs.get("validators", ()), note]
    return field


def accepted(field: serializers.Field) -> dict[str, Any]:
    """What ``accepts`` said of ``field``, with its enum read now ({} if nothing)."""
    note = next((v for v in field.validators if isinstance(v, Accepts)), None)
    if note is None:
        return {}
    out: dict[str, Any] = {}
    if note.enum is not None:
        out["enum"] = list(note.enum() if callable(note.enum) else note.enum)
    if note.pattern:
        out["pattern"] = note.pattern
    return out


def choice_values(choices) -> list[Any]:
    """The values of a Django/DRF choice list (grouped choices flattened)."""
    values: list[Any] = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            values.extend(v for v, _ in label)
        else:
            values.append(value)
    return values


class NumberDecimalField(serializers.DecimalField):
    """A decimal a client sends as a number (a phone's GPS fix, an amount; JSON, or a form's text):
    rounded to the field's places (half up) instead of refused for its tail — 34.1234567 or 0.1 + 0.2
    is not a mistake of the sender — so the schema's bounds (``minimum``/``maximum``) say all it
    accepts."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("coerce_to_string", False)
        super().__init__(*args, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, bool) and self.decimal_places is not None:
            # Not a number, or too large to round: DRF's own checks below refuse it, naming the field.
            with suppress(InvalidOperation, ValueError, TypeError):
                number = Decimal(repr(data) if isinstance(data, float) else str(data).strip())
                if number.is_finite():
                    data = number.quantize(Decimal(1).scaleb(-self.decimal_places), rounding=ROUND_HALF_UP)
        return super().to_internal_value(data)


def coordinate(name: str, **kwargs) -> NumberDecimalField:
    """A latitude or longitude in decimal degrees with six places, within its range (the range
    ``core.geo.check_location`` checks): ``coordinate("latitude", required=False, allow_null=True)``."""
    low, high = {"latitude": (-90, 90), "longitude": (-180, 180)}[name]
    kwargs.setdefault("label", _("纬度") if name == "latitude" else _("经度"))  # (a refusal names it so)
    return NumberDecimalField(max_digits=9, decimal_places=6, min_value=Decimal(low), max_value=Decimal(high),
                              **kwargs)


@extend_schema_field({"type": "object", "additionalProperties": {}})
class JSONObjectField(serializers.JSONField):
    """A JSON object of named inputs (``{"days": 3}``), and nothing else: an array, a string, a
    number or true is refused naming the field, and the schema says ``object``. (A ``JSONField``
    takes any JSON value, so its schema said any type, and the action that read it as a mapping
    failed with a 500 on ``true``.) In a form the value is the object's JSON text, as for a
    ``JSONField``."""

    default_error_messages = {"not_an_object": "须为 JSON 对象（如 {{\"days\": 3}}）"}

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not isinstance(value, dict):
            self.fail("not_an_object")
        return value
