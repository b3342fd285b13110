"""``{% js_catalog_url LANG as url %}``: the address of the page scripts' message catalogue
(core.views.jsi18n); empty in the source language, which needs none."""

from __future__ import annotations

from django import template

from ..views.jsi18n import catalog_url

register = template.Library()


@register.simple_tag
def js_catalog_url(lang: str) -> str:
    return catalog_url(lang)
