"""Indicators of the people registers, computed from the records.

``compute(year=, region=, user=None)``: ``region`` is a region code or a Region (its subtree counts)
or None for the whole installation; ``user`` (when given) limits the figures to what that user may
see. Registers (residents, houses, special populations) count the records in force. Care's indicators
(``care.kpis``) are built on the helpers here (``scoped``, ``inside``, ``as_of``, ``register_count``).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from anmin.core.registry import Kpi, kpis

from .calendar import today
from .models import SPECIAL_MODELS, House, Person, region_prefix
from .models.choices import PersonStatus, RecordStatus


def scoped(model, user):
    return model.objects.visible_to(user) if user is not None else model.objects.all()


def inside(qs, region, path: str):
    prefix = region_prefix(region)
    return qs.filter(**{f"{path}__code__startswith": prefix}) if prefix else qs


def as_of(year: int) -> dt.date:
    """The day a year's register figures are taken: the year's end, or today within the year."""
    return min(today(), dt.date(year, 12, 31))


# --- residents ------------------------------------------------------------------------------------------


def residents(*, year, region=None, user=None) -> int:
    qs = scoped(Person, user).filter(status=PersonStatus.ACTIVE, registered_on__lte=dt.date(year, 12, 31))
    return inside(qs, region, "region").count()


def _flag(flag):
    def compute(*, year, region=None, user=None) -> int:
        qs = scoped(Person, user).filter(status=PersonStatus.ACTIVE, **{flag: True})
        return inside(qs, region, "region").count()

    return compute


def houses(*, year, region=None, user=None) -> int:
    return inside(scoped(House, user), region, "region").count()


def rented_houses(*, year, region=None, user=None) -> int:
    return inside(scoped(House, user).filter(is_rented=True), region, "region").count()


# --- special populations -----------------------------------------------------------------------------------


def register_count(model):
    def compute(*, year, region=None, user=None) -> int:
        qs = scoped(model, user).filter(status=RecordStatus.ACTIVE, registered_on__lte=dt.date(year, 12, 31))
        return inside(qs, region, "person__region").count()

    return compute


def register() -> None:
    items = [
        ("people.residents", _("实有人口"), residents, "人"),
        ("people.migrants", _("流动人口"), _flag("is_migrant"), "人"),
        ("people.left_behind", _("留守人员"), _flag("is_left_behind"), "人"),
        ("people.foreign", _("境外人员"), _flag("is_foreign"), "人"),
        ("people.houses", _("实有房屋"), houses, "处"),
        ("people.rented_houses", _("出租房屋"), rented_houses, "处"),
    ]
    for model in SPECIAL_MODELS:
        items.append((f"people.{model.kind_key}_count", model._meta.verbose_name, register_count(model), "人"))
    for key, label, fn, unit in items:
        kpis.register(key, Kpi(key, label, fn, unit, "people"))
