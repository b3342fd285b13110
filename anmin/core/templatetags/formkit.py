"""``{{ form|sections }}``: the form kit's sections of any form (see ``anmin.core.formkit``)."""

from __future__ import annotations

from django import template

from anmin.core import formkit

register = template.Library()


@register.filter
def sections(form):
    return formkit.sections(form)


@register.filter
def field_error_count(form) -> int:
    """How many fields of ``form`` have an error (the form's own errors are not counted)."""
    return sum(1 for name in form.errors if name != "__all__")
