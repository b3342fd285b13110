"""Factories for the people tests: persons with valid synthetic ID numbers."""

from __future__ import annotations

import datetime as dt
import itertools

from anmin.core.actors import SYSTEM
from anmin.core.protected import make_id_number

from .. import actions
from ..models import Person

_seq = itertools.count(1)


def new_id_number(*, birth_date: dt.date | None = None, sex: str | None = None) -> str:
    n = next(_seq)
    birth_date = birth_date or dt.date(1960, 1, 1) + dt.timedelta(days=(n * 37) % 15000)
    return make_id_number(birth_date=birth_date, region_code="411081", sequence=(n * 7) % 1000, sex=sex)


def make_person(region, *, actor=SYSTEM, name: str = "张伟", **fields) -> Person:
    fields.setdefault("id_number", new_id_number())
    fields.setdefault("phone", f"138{next(_seq):08d}"[-11:])
    return actions.create_person(actor=actor, name=name, region=region, **fields)
