"""``{{ value|money }}``: a sum of money as pages show it (1,234,567.00; ``core.money``)."""

from __future__ import annotations

from django import template

from anmin.core.money import money as _money

register = template.Library()


@register.filter
def money(value) -> str:
    return _money(value)
