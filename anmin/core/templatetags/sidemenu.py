"""``{% side_menu %}``: the left menu, drawn once per process for each set of roles, grants and
language, then only marked where the viewer stands. Every page draws it — some fifty entries, each
with its icon and its reversed address — and it is the same for every user holding the same roles.
"""

from __future__ import annotations

import hashlib

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .. import principal
from ..icons import icon_name, sprite_url
from ..registry import visible_menu

register = template.Library()

_drawn: dict[tuple, str] = {}
_LIMIT = 256  # distinct role-and-grant sets kept (a city has a dozen)


def _key(user) -> tuple:
    facts = principal.facts(user)
    grants = hashlib.blake2b("|".join(sorted(facts.perms)).encode(), digest_size=12).hexdigest()
    return (get_language(), get_script_prefix(), user.is_superuser, tuple(r.code for r in facts.roles), grants,
            sprite_url())


def _draw(user) -> str:
    sprite = sprite_url()
    parts = []
    for section, items in visible_menu(user):
        parts.append(format_html('<div class="menu-section"><div class="menu-title">{}</div><ul>', section.label))
        for item in items:
            parts.append(format_html(
                '<li><a href="{}" class="" data-menu="{}"><svg class="icon" aria-hidden="true" focusable="false">'
                '<use href="{}#{}"></use></svg>{}</a></li>',
                reverse(item.url_name), item.key, sprite, icon_name(item.icon), item.label))
        parts.append("</ul></div>")
    return "".join(parts)


@register.simple_tag(takes_context=True)
def side_menu(context) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    key = _key(user)
    html = _drawn.get(key)
    if html is None:
        if len(_drawn) >= _LIMIT:
            _drawn.clear()
        html = _drawn[key] = _draw(user)
    here = f'href="{escape(request.path)}" class=""'
    return mark_safe(html.replace(here, here[:-2] + '"active"', 1))  # drawn with format_html
