"""How the authorization matrix makes care's records in a region.

By rule: every care record is seen by the roles holding ``people.view_special_population`` (visits:
``care.view_visit``, held by the same roles) inside their jurisdiction — the city office everywhere,
古城镇's township and village centres, police and the grid worker of the grid in 古城镇.
"""

from __future__ import annotations

import datetime as dt

from anmin.core.actors import SYSTEM
from anmin.core.testing.expect import seen_by
from anmin.people.models import SPECIAL_PERM
from anmin.people.tests.factories import make_person
from anmin.people.tests.scope_samples import quiet

from .. import actions
from ..models import (
    CareTeamMember,
    GuardianSubsidy,
    Incident,
    MentalPatient,
    RiskAssessment,
    SubsidyAward,
    SubsidyPayment,
    Visit,
)
from .factories import make_patient, make_subsidy, pass_checks

CARE_SEEN_BY = seen_by(SPECIAL_PERM)
VISITS_SEEN_BY = seen_by("care.view_visit")


def patient_sample(region, world) -> MentalPatient:
    # Registered long ago and never followed up: overdue, and without a care team (so it is listed on
    # the overdue and the incomplete-team pages as well).
    return make_patient(region, level=3)


def assessment_sample(region, world) -> RiskAssessment:
    return actions.assess_risk(
        actor=SYSTEM, patient=make_patient(region, level=3), level=4, assessed_on=dt.date(2020, 6, 1)
    )


def visit_sample(region, world) -> Visit:
    return actions.record_visit(
        actor=SYSTEM,
        person=make_person(region),
        visited_at=dt.datetime(2020, 6, 1, 10, 0),
        method="in_person",
        outcome="seen",
    )


def incident_sample(region, world) -> Incident:
    return actions.record_incident(
        actor=SYSTEM,
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
    award = actions.decide_subsidy_award(actor=SYSTEM, subsidy=subsidy, year=2019, approve=True)
    return actions.record_subsidy_payment(actor=SYSTEM, award=award, amount=award.amount, paid_on=dt.date(2020, 1, 15))


def member_sample(region, world) -> CareTeamMember:
    return actions.add_team_member(actor=SYSTEM, patient=make_patient(region), role="cadre", name="王村长")


def award_sample(region, world) -> SubsidyAward:
    subsidy = make_subsidy(make_patient(region))
    pass_checks(subsidy, 2019)
    return actions.decide_subsidy_award(actor=SYSTEM, subsidy=subsidy, year=2019, approve=True)


SAMPLES = {
    MentalPatient: (quiet(patient_sample), CARE_SEEN_BY),
    RiskAssessment: (quiet(assessment_sample), CARE_SEEN_BY),
    Visit: (quiet(visit_sample), VISITS_SEEN_BY),
    CareTeamMember: (quiet(member_sample), CARE_SEEN_BY),
    Incident: (quiet(incident_sample), CARE_SEEN_BY),
    GuardianSubsidy: (quiet(subsidy_sample), CARE_SEEN_BY),
    SubsidyAward: (quiet(award_sample), CARE_SEEN_BY),
    SubsidyPayment: (quiet(payment_sample), CARE_SEEN_BY),
}
