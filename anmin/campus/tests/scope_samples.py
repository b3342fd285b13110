"""How the authorization matrix makes the campus domain's records in a region."""

from __future__ import annotations

import datetime as dt
import itertools

from anmin.campus import actions
from anmin.campus.models import CampusIncident, GuardCheckin, GuardPost, SafetyCheck, School
from anmin.core.actors import SYSTEM
from anmin.core.testing.expect import seen_by

_n = itertools.count(1)


def school_sample(region, world) -> School:
    # Directly: the "parent" placement is the city itself, coarser than the registry accepts.
    return School.objects.create(region=region, name=f"{region.name}第{next(_n)}小学", kind="primary")


def check_sample(region, world) -> SafetyCheck:
    return actions.record_check(actor=SYSTEM, school=school_sample(region, world), term="2020-2",
                                items=["guard", "alarm"], checked_on=dt.date(2020, 9, 1))


def post_sample(region, world) -> GuardPost:
    school = school_sample(region, world)
    return GuardPost.objects.create(school=school, region=region, place="校门口", peak="morning", on_duty="民警 张某")


def checkin_sample(region, world) -> GuardCheckin:
    return actions.check_in(actor=SYSTEM, post=post_sample(region, world))


def incident_sample(region, world) -> CampusIncident:
    school = school_sample(region, world)
    actions.import_incidents([CampusIncident(school=school, region_id=school.region_id, occurred_on=dt.date(2020, 5, 1),
                                             kind="vendor", description="校门口流动摊贩")], actor=SYSTEM)
    return CampusIncident.objects.get(school=school)


SAMPLES = {
    School: (school_sample, seen_by("campus.view_school")),
    SafetyCheck: (check_sample, seen_by("campus.view_safetycheck")),
    GuardPost: (post_sample, seen_by("campus.view_guardpost")),
    GuardCheckin: (checkin_sample, seen_by("campus.view_guardcheckin")),
    CampusIncident: (incident_sample, seen_by("campus.view_campusincident")),
}
