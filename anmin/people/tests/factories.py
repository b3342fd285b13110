"""Factories for the people tests: persons with valid synthetic ID numbers, patients, subsidies."""

from __future__ import annotations

import datetime as dt
import itertools

from anmin.core.protected import make_id_number

from .. import actions
from ..models import MentalPatient, Person

_seq = itertools.count(1)


def new_id_number(*, birth_date: dt.date | None = None, sex: str | None = None) -> str:
    n = next(_seq)
    birth_date = birth_date or dt.date(1960, 1, 1) + dt.timedelta(days=(n * 37) % 15000)
    return make_id_number(birth_date=birth_date, region_code="411081", sequence=(n * 7) % 1000, sex=sex)


def make_person(region, *, actor=None, name: str = "张伟", **fields) -> Person:
    fields.setdefault("id_number", new_id_number())
    fields.setdefault("phone", f"138{next(_seq):08d}"[-11:])
    return actions.create_person(actor=actor, name=name, region=region, **fields)


def make_patient(
    region,
    *,
    level: int = 3,
    registered_on: dt.date | None = None,
    history: bool = True,
    name: str = "李强",
    actor=None,
    **fields,
) -> MentalPatient:
    person = make_person(region, name=name)
    return actions.register_patient(
        actor=actor,
        person=person,
        risk_level=level,
        registered_on=registered_on or dt.date(2019, 1, 2),
        has_incident_history=history,
        guardian_name="李母",
        **fields,
    )


def complete_team(patient: MentalPatient) -> None:
    for role, name in (
        ("cadre", "王村长"),
        ("grid_worker", "张网格"),
        ("police", "陈民警"),
        ("village_doctor", "赵村医"),
        ("guardian", "李母"),
    ):
        actions.add_team_member(actor=None, patient=patient, role=role, name=name)


def make_subsidy(patient: MentalPatient, *, enrolled_on: dt.date = dt.date(2018, 1, 1)):
    return actions.enroll_subsidy(
        actor=None, patient=patient, guardian_name="李母", guardian_relation="母亲", enrolled_on=enrolled_on
    )


def pass_checks(subsidy, year: int) -> None:
    for q in (1, 2, 3, 4):
        actions.record_care_log_check(
            actor=None, subsidy=subsidy, year=year, quarter=q, checked_on=dt.date(year, 3 * q, 5), passed=True
        )
