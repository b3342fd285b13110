"""``get_FOO_display()`` from a per-field, per-language table instead of Django's rebuild on each call.

Django's ``Model._get_FIELD_display`` builds ``dict(make_hashable(field.flatchoices))`` on every
call, and hashing each lazy label translates it: a 50-row ledger with three choice columns made
~1,200 ``gettext`` calls, a sixth of the page's CPU (measured 2026-12-05, ``docs/scaling.md``). The
labels of a field do not change while the process runs, so :func:`install` (``CoreConfig.ready``)
gives every model field with choices a ``get_FOO_display`` that looks its value up in a table made
once per active language. A model's own ``get_FOO_display`` (defined in its class) is left alone.
"""

from __future__ import annotations

from functools import partialmethod
from typing import Any

from django.apps import apps
from django.utils.encoding import force_str

from .i18n import language

_labels: dict[tuple[int, str | None], dict[Any, str]] = {}


def _table(field) -> dict[Any, str]:
    key = (id(field), language())
    table = _labels.get(key)
    if table is None:
        table = _labels[key] = {value: force_str(label) for value, label in field.flatchoices}
    return table


def display(obj, field) -> Any:
    """What ``obj.get_<field>_display()`` answers: the label of the value, or the value itself."""
    value = getattr(obj, field.attname)
    try:
        label = _table(field).get(value)
    except TypeError:  # an unhashable value (a list in a JSON field): Django's own way
        return obj._get_FIELD_display(field)
    return value if label is None else label


def install() -> int:
    """Replace Django's generated ``get_FOO_display`` of every loaded model; returns how many."""
    n = 0
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.local_fields:
            name = f"get_{field.name}_display"
            if field.choices and isinstance(model.__dict__.get(name), partialmethod):
                setattr(model, name, partialmethod(display, field=field))
                n += 1
    return n
