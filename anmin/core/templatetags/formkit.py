"""``{{ form|sections }}``: the form kit's sections of any form (see ``anmin.core.formkit``)."""

from __future__ import annotations

from django import template

from anmin.core import formkit

register = template.Library()


@register.filter
def sections(form):
    return formkit.sections(form)
