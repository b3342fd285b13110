"""How the authorization matrix makes the people registers' records in a region.

By rule: residents, houses and where they live are seen by every role holding their view permission
inside its jurisdiction (city-level units everywhere, the others in 古城镇); the special registers
only by roles holding ``people.view_special_population`` (never leaders, 扫黑办, department handlers,
mediators, the administrator or the auditor).
"""

from __future__ import annotations

import datetime as dt
from functools import wraps
from unittest import mock

from anmin.core.actors import SYSTEM
from anmin.core.testing.expect import seen_by

from .. import actions
from ..models import (
    SPECIAL_PERM,
    CommunityCorrection,
    DrugUser,
    HivRisk,
    House,
    Person,
    ReleasedPrisoner,
    Residence,
    YouthOfConcern,
)
from .factories import make_person

RESIDENTS_SEEN_BY = seen_by("people.view_person")
HOUSES_SEEN_BY = seen_by("people.view_house")
RESIDENCES_SEEN_BY = seen_by("people.view_residence")
SPECIAL_SEEN_BY = seen_by(SPECIAL_PERM)


def person_sample(region, world) -> Person:
    return make_person(region, name=f"{region.name}居民")


def house_sample(region, world) -> House:
    return actions.create_house(actor=SYSTEM, address=f"{region.name}幸福路1号", region=region)


def residence_sample(region, world) -> Residence:
    return actions.add_residence(actor=SYSTEM, person=make_person(region), house=house_sample(region, world),
                                 relation="head", since=dt.date(2019, 1, 1))


def _special(model, **fields):
    def make(region, world):
        return actions.register_special(actor=SYSTEM, model=model, person=make_person(region), fields=fields)

    return make


def quiet(make):
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
    Person: (quiet(person_sample), RESIDENTS_SEEN_BY),
    House: (quiet(house_sample), HOUSES_SEEN_BY),
    Residence: (quiet(residence_sample), RESIDENCES_SEEN_BY),
    ReleasedPrisoner: (quiet(_released), SPECIAL_SEEN_BY),
    CommunityCorrection: (quiet(_correction), SPECIAL_SEEN_BY),
    DrugUser: (quiet(_drug), SPECIAL_SEEN_BY),
    HivRisk: (quiet(_hiv), SPECIAL_SEEN_BY),
    YouthOfConcern: (quiet(_youth), SPECIAL_SEEN_BY),
}
