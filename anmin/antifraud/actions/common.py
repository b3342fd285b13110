"""Checks shared by the anti-fraud actions: places, code-table values, sums, numbers (texts, phones and
ID numbers: ``anmin.core.checks``)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from anmin.core import checks
from anmin.core.codes import code_names
from anmin.core.errors import invalid
from anmin.core.models import Region

from ..normalize import normalize

MAX_AMOUNT = Decimal("999999999999.99")


def place(region: Region | str | None, field: str = "region", label: str = "所在区划") -> Region:
    return checks.place(region, field, label, hint="，请填写禹州市的区划代码")


def fraud_type(code: str, field: str = "fraud_type", names: dict[str, str] | None = None) -> str:
    """The code, checked against the fraud-type table (``names``: the table as a batch read it once)."""
    code = (code or "").strip()
    names = code_names("fraud_type") if names is None else names
    if code not in names:
        choices = "、".join(f"{c} {n}" for c, n in names.items())
        raise invalid(field, f"「诈骗类型」{code or '（空）'} 不在诈骗类型代码表中（可选：{choices}）")
    return code


def amount(value: Any, field: str, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        out = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise invalid(field, f"「{label}」须为金额（元）") from None
    if out < 0 or out > MAX_AMOUNT:
        raise invalid(field, f"「{label}」须在 0 到 {MAX_AMOUNT} 元之间")
    return out


def normalized(kind: str, value: Any, field: str) -> str:
    value = str(value or "").strip()
    if not value:
        return ""
    try:
        return normalize(kind, value)
    except ValueError as exc:
        raise invalid(field, str(exc)) from exc
