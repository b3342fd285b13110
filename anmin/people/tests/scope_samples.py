"""How the authorization matrix makes the people registers' records in a region.

Residents and houses: every business role with a jurisdiction sees them inside it. The special
registers and the care records: only roles holding ``people.view_special_population`` — the city
office city-wide, 古城镇's township and village centres, police and the grid worker of the grid.
"""

from __future__ import annotations

import datetime as dt
from functools import wraps
from unittest import mock

from anmin.core.models import Role

from .. import actions
from ..models import (
    CommunityCorrection,
    DrugUser,
    GuardianSubsidy,
    HivRisk,
    House,
    Incident,
    MentalPatient,
    Person,
    ReleasedPrisoner,
    RiskAssessment,
    SubsidyPayment,
    Visit,
    YouthOfConcern,
)
from .factories import make_patient, make_person, make_subsidy, pass_checks

ALL = {"own", "neighbour", "parent"}
OWN = {"own"}
NONE: set[str] = set()

RESIDENTS_SEEN_BY = {
    Role.CITY_OFFICE: ALL,
    Role.LEADER: ALL,
    "crackdown": ALL,
    Role.DEPT_HANDLER: NONE,
    Role.TOWNSHIP_CENTER: OWN,
    Role.VILLAGE_CENTER: OWN,
    Role.GRID_WORKER: OWN,
    "mediator": NONE,
    Role.POLICE: OWN,
    Role.SYSADMIN: NONE,
    Role.AUDITOR: NONE,
}

SPECIAL_SEEN_BY = {
    **RESIDENTS_SEEN_BY,
    Role.LEADER: NONE,
    "crackdown": NONE,
}


def person_sample(region, world) -> Person:
    return make_person(region, name=f"{region.name}居民")


def house_sample(region, world) -> House:
    return actions.create_house(actor=None, address=f"{region.name}幸福路1号", region=region)


def _special(model, **fields):
    def make(region, world):
        return actions.register_special(actor=None, model=model, person=make_person(region), fields=fields)

    return make


def patient_sample(region, world) -> MentalPatient:
    # Registered long ago and never followed up: overdue, and without a care team (so it is listed on
    # the overdue and the incomplete-team pages as well).
    return make_patient(region, level=3)


def assessment_sample(region, world) -> RiskAssessment:
    return actions.assess_risk(
        actor=None, patient=make_patient(region, level=3), level=4, assessed_on=dt.date(2020, 6, 1)
    )


def visit_sample(region, world) -> Visit:
    return actions.record_visit(
        actor=None,
        person=make_person(region),
        visited_at=dt.datetime(2020, 6, 1, 10, 0),
        method="in_person",
        outcome="seen",
    )


def incident_sample(region, world) -> Incident:
    return actions.record_incident(
        actor=None,
        patient=make_patient(region),
        severity="trouble",
        occurred_at=dt.datetime(2019, 5, 1, 10, 0),
        place="村口",
    )


def subsidy_sample(region, world) -> GuardianSubsidy:
    return make_subsidy(make_patient(region))


def payment_sample(region, world) -> SubsidyPayment:
    subsidy = make_subsidy(make_patient(region))
    pass_checks(subsidy, 2019)
    award = actions.decide_subsidy_award(actor=None, subsidy=subsidy, year=2019, approve=True)
    return actions.record_subsidy_payment(actor=None, award=award, amount=award.amount, paid_on=dt.date(2020, 1, 15))


def _quiet(make):
    """Build the sample without audit entries: the matrix checks the audit log's first page for its own
    samples, and the hundred-odd entries these actions would write must not push them off it."""

    @wraps(make)
    def wrapped(region, world):
        with mock.patch("anmin.core.audit.record"):
            return make(region, world)

    return wrapped


_released = _special(ReleasedPrisoner, released_on=dt.date(2019, 3, 1), charge="盗窃罪")
_correction = _special(
    CommunityCorrection, correction_type="probation", starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2021, 6, 30)
)
_drug = _special(DrugUser, control="community_rehab")
_hiv = _special(HivRisk, infection_route="血液")
_youth = _special(YouthOfConcern, youth_type="01", concern_level="1")

SAMPLES = {
    Person: (_quiet(person_sample), RESIDENTS_SEEN_BY),
    House: (_quiet(house_sample), RESIDENTS_SEEN_BY),
    ReleasedPrisoner: (_quiet(_released), SPECIAL_SEEN_BY),
    CommunityCorrection: (_quiet(_correction), SPECIAL_SEEN_BY),
    DrugUser: (_quiet(_drug), SPECIAL_SEEN_BY),
    HivRisk: (_quiet(_hiv), SPECIAL_SEEN_BY),
    YouthOfConcern: (_quiet(_youth), SPECIAL_SEEN_BY),
    MentalPatient: (_quiet(patient_sample), SPECIAL_SEEN_BY),
    RiskAssessment: (_quiet(assessment_sample), SPECIAL_SEEN_BY),
    Visit: (_quiet(visit_sample), SPECIAL_SEEN_BY),
    Incident: (_quiet(incident_sample), SPECIAL_SEEN_BY),
    GuardianSubsidy: (_quiet(subsidy_sample), SPECIAL_SEEN_BY),
    SubsidyPayment: (_quiet(payment_sample), SPECIAL_SEEN_BY),
}
