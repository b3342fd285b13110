"""How the authorization matrix makes the hazards domain's records in a region."""

from __future__ import annotations

from anmin.core.models import Role
from anmin.core.testing.expect import seen_by
from anmin.hazards import actions
from anmin.hazards.models import RailwayHazard


def railway_sample(region, world) -> RailwayHazard:
    return actions.report_railway_hazard(actor=world.user(Role.CITY_OFFICE), region=region, category="tree",
                                         line="郑万高铁", description=f"{region.name}段线路旁危树")


SAMPLES = {
    RailwayHazard: (railway_sample, seen_by("hazards.view_railwayhazard")),
}
