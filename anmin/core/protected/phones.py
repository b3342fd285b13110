"""Mainland China phone numbers: mobiles (11 digits, 1[3-9]…) and landlines with their area code.

Numbers are stored and indexed as digits only, so "138 0013 8000", "138-0013-8000" and
"+86 13800138000" are one number for search. Extensions and service numbers (95xxx, 400…) are not
personal phone numbers and are not accepted.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Area codes: 010 and 02x have 3 digits and 8-digit local numbers; the others have 4 digits and 7 or
# 8-digit local numbers. Local numbers never start with 0 or 1.
LANDLINE_RE = re.compile(r"^(?:0(?:10|2\d)[2-9]\d{7}|0[3-9]\d{2}[2-9]\d{6,7})$")
DEFAULT_LABEL = "联系电话"

_COUNTRY_PREFIX_RE = re.compile(r"^(?:\+|00)86")


def normalize_phone(raw: str) -> str:
    """Digits only, without the +86/0086 country code (a landline gets its trunk 0 back); never fails."""
    value = unicodedata.normalize("NFKC", str(raw)).strip()
    international = bool(_COUNTRY_PREFIX_RE.match(value))
    digits = re.sub(r"\D", "", _COUNTRY_PREFIX_RE.sub("", value))
    if not international and len(digits) == 13 and digits.startswith("86") and MOBILE_RE.match(digits[2:]):
        return digits[2:]  # "8613800138000": a country code typed without the plus
    if international and digits and not digits.startswith(("0", "1")):
        return "0" + digits  # "+86 374 8123456" -> "03748123456"
    return digits


def is_mobile(number: str) -> bool:
    return bool(MOBILE_RE.match(number))


def is_landline(number: str) -> bool:
    return bool(LANDLINE_RE.match(number))


def validate_phone_number(raw: str, *, label: str = DEFAULT_LABEL, mobile_only: bool = False) -> str:
    """Return the normalised number or raise ``ValidationError`` naming ``label`` and the rule."""
    if not str(raw or "").strip():
        raise ValidationError(f"请填写{label}", code="phone_required")
    number = normalize_phone(raw)
    if is_mobile(number) or (not mobile_only and is_landline(number)):
        return number
    if mobile_only or number.startswith("1"):
        raise ValidationError(f"{label}应为11位手机号码（以13–19开头）", code="phone_mobile")
    raise ValidationError(f"{label}应为11位手机号码或带区号的固定电话（如0374-8123456）", code="phone_format")
