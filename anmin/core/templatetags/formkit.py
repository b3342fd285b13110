"""``{{ form|sections }}``: the form kit's sections of any form (see ``anmin.core.formkit``)."""

from __future__ import annotations

from django import template

from anmin.core import formkit

register = template.Library()


@register.filter
def sections(form):
    return formkit.sections(form)


def _hidden(form, name: str) -> bool:
    field = form.fields.get(name)
    return field is not None and field.widget.is_hidden


@register.filter
def field_error_count(form) -> int:
    """How many fields shown on the page have an error, each marked red where it is (the form's own
    errors and a hidden field's are said in the banner itself: ``banner_errors``)."""
    return sum(1 for name in form.errors if name != "__all__" and not _hidden(form, name))


@register.filter
def banner_errors(form) -> list[str]:
    """What the banner says in words: the form's own errors, then a hidden field's (a key or version
    that came back wrong: there is no field to mark red for it)."""
    out = list(form.non_field_errors())
    for name, errors in form.errors.items():
        if name != "__all__" and _hidden(form, name):
            out += [e for e in errors if e not in out]
    return out
