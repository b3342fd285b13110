"""Sums of money (元): a model field that says a decimal is money, and how pages show one.

Pages show a sum with thousands separators and two places (1,234,567.00); an Excel export keeps the
number (a number cell, summable), never the text. ``MoneyField`` is a ``DecimalField`` for the
database and the migrations (it deconstructs as one), so declaring a field money changes no schema.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models


class MoneyField(models.DecimalField):
    """A sum in 元 (``max_digits``/``decimal_places`` as a ``DecimalField``'s, two places usually)."""

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs


def money(value: Any, unit: str = "") -> str:
    """``1234567`` → ``1,234,567.00`` (with `` 元`` when ``unit`` is given); nothing → ``""``."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = f"{amount:,.2f}"
    return f"{text} {unit}" if unit else text


def is_money(model_or_obj: Any, name: str) -> bool:
    """Whether ``name`` is a money field of the model (of the object's model)."""
    meta = getattr(model_or_obj, "_meta", None)
    if meta is None or "." in name or "__" in name:
        return False
    try:
        return isinstance(meta.get_field(name), MoneyField)
    except FieldDoesNotExist:
        return False
