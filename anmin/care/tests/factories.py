"""Factories for the care tests: patients, care teams, subsidies (persons from people's factories)."""

from __future__ import annotations

import datetime as dt

from anmin.core.actors import SYSTEM
from anmin.people.tests.factories import make_person, new_id_number  # noqa: F401  (re-exported for the tests)

from .. import actions
from ..models import MentalPatient


def make_patient(
    region,
    *,
    level: int = 3,
    registered_on: dt.date | None = None,
    history: bool = True,
    name: str = "李强",
    actor=SYSTEM,
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
        actions.add_team_member(actor=SYSTEM, patient=patient, role=role, name=name)


def make_subsidy(patient: MentalPatient, *, enrolled_on: dt.date = dt.date(2018, 1, 1)):
    return actions.enroll_subsidy(
        actor=SYSTEM, patient=patient, guardian_name="李母", guardian_relation="母亲", enrolled_on=enrolled_on
    )


def pass_checks(subsidy, year: int) -> None:
    for q in (1, 2, 3, 4):
        actions.record_care_log_check(
            actor=SYSTEM, subsidy=subsidy, year=year, quarter=q, checked_on=dt.date(year, 3 * q, 5), passed=True
        )
