"""How the authorization matrix makes an assessment scheme and a unit assessed in a region."""

from __future__ import annotations

import itertools

from anmin.assessment.models import Scheme, Target, UnitType
from anmin.core.models import Role

ALL = {"own", "neighbour", "parent"}
OWN = {"own"}
NONE: set[str] = set()
_n = itertools.count(2000)


def scheme_sample(region, world) -> Scheme:
    return Scheme.objects.create(year=next(_n), unit_type=UnitType.TOWNSHIP, name=f"{region.name}考核方案",
                                 region=region)


def target_sample(region, world) -> Target:
    scheme = Scheme.objects.create(year=next(_n), unit_type=UnitType.TOWNSHIP, name="方案", region=world.city)
    return Target.objects.create(scheme=scheme, name=f"{region.name}", region=region)


SEEN_BY = {
    Role.CITY_OFFICE: ALL, Role.LEADER: ALL, Role.TOWNSHIP_CENTER: OWN,
    Role.VILLAGE_CENTER: NONE, Role.GRID_WORKER: NONE, Role.MEDIATOR: NONE, Role.POLICE: NONE,
    Role.CRACKDOWN: NONE, Role.DEPT_HANDLER: NONE, Role.SYSADMIN: NONE, Role.AUDITOR: NONE,
}

SAMPLES = {Scheme: (scheme_sample, SEEN_BY), Target: (target_sample, SEEN_BY)}
