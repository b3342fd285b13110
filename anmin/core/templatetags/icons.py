"""``{% icon "alarm-clock" %}`` (or a menu item's legacy symbol): an inline SVG from the vendored sprite."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from ..icons import icon_name, sprite_url

register = template.Library()


@register.simple_tag
def icon(name: str, css: str = "icon"):
    return format_html('<svg class="{}" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
                       css, sprite_url(), icon_name(name))
