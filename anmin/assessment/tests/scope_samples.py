"""How the authorization matrix makes an assessment scheme and a unit assessed in a region."""

from __future__ import annotations

import itertools

from anmin.assessment.models import Appeal, Scheme, Target, UnitType, Veto
from anmin.core import clock
from anmin.core.models import Role
from anmin.core.testing.expect import ALL, OWN, only

_n = itertools.count(2000)


def scheme_sample(region, world) -> Scheme:
    return Scheme.objects.create(year=next(_n), unit_type=UnitType.TOWNSHIP, name=f"{region.name}考核方案",
                                 region=region)


def target_sample(region, world) -> Target:
    scheme = Scheme.objects.create(year=next(_n), unit_type=UnitType.TOWNSHIP, name="方案", region=world.city)
    return Target.objects.create(scheme=scheme, name=f"{region.name}", region=region)


def veto_sample(region, world) -> Veto:
    return Veto.objects.create(target=target_sample(region, world), reason="发生命案", proposed_at=clock.now())


def appeal_sample(region, world) -> Appeal:
    return Appeal.objects.create(target=target_sample(region, world), reason="数据有误", filed_at=clock.now())


# Only the city office and leaders (everywhere) and a township centre (its own) see them.
SEEN_BY = only({Role.CITY_OFFICE: ALL, Role.LEADER: ALL, Role.TOWNSHIP_CENTER: OWN})

SAMPLES = {Scheme: (scheme_sample, SEEN_BY), Target: (target_sample, SEEN_BY), Veto: (veto_sample, SEEN_BY),
           Appeal: (appeal_sample, SEEN_BY)}
