"""Registers other apps keep on a person, and what they add to the person's page.

People holds the shared identity; a registry app above it (care: 严重精神障碍患者) keeps its own register
on a person and tells people about it here, in its ``AppConfig.ready()``, so the person page, the
"列入重点人群" page and the category filter show it without people importing that app:

* ``SpecialRegister`` — a register whose records extend ``SpecialRecord`` (one in force per person);
  its form and the action that registers a person on it;
* ``PersonPanel`` — what the app adds to a person's page: summary lines, buttons and timeline events.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from anmin.core.registry import Registry

from .models import SPECIAL_MODELS


@dataclass(frozen=True)
class SpecialRegister:
    model: type  # a concrete SpecialRecord
    form: Callable[..., Any]  # form(data=None) → the form of the register's items
    register: Callable[..., Any]  # register(*, actor, person, request, **cleaned_data) → the record (an @action)


@dataclass(frozen=True)
class PersonPanel:
    key: str
    # context(person, user) → {"summary": [(label, text, url)], "buttons": [(label, url, data_action)],
    #                          "events": [{"at", "actor", "label", "reason"}], "tab": (key, label)}
    context: Callable[..., dict[str, Any]]
    order: int = 50


special_registers: Registry[SpecialRegister] = Registry("special registers on a person")
person_panels: Registry[PersonPanel] = Registry("person page panels")


def special_models() -> tuple[type, ...]:
    """Every register on a person: people's own and those other apps keep."""
    return (*SPECIAL_MODELS, *(r.model for r in special_registers))


def register_of(model) -> SpecialRegister | None:
    return next((r for r in special_registers if r.model is model), None)


def add_perm(model) -> str:
    return f"{model._meta.app_label}.add_{model._meta.model_name}"
