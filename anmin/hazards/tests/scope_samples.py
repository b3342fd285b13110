"""How the authorization matrix makes the hazards domain's records in a region."""

from __future__ import annotations

import datetime as dt

from anmin.core.actors import SYSTEM
from anmin.core.models import Role
from anmin.core.testing.expect import seen_by
from anmin.hazards import actions
from anmin.hazards.models import DrowningIncident, DrunkDriving, RailwayHazard, Water, WaterInspection


def railway_sample(region, world) -> RailwayHazard:
    return actions.report_railway_hazard(actor=world.user(Role.CITY_OFFICE), region=region, category="tree",
                                         line="郑万高铁", description=f"{region.name}段线路旁危树")


def water_sample(region, world) -> Water:
    actions.import_waters([Water(name=f"{region.name}{region.code}坑塘", kind="pond", region=region)], actor=SYSTEM)
    return Water.objects.get(name=f"{region.name}{region.code}坑塘")


def inspection_sample(region, world) -> WaterInspection:
    w = water_sample(region, world)
    actions.import_inspections([WaterInspection(water=w, region=region, inspected_on=dt.date(2020, 7, 1),
                                                inspector="王某")], actor=SYSTEM)
    return WaterInspection.objects.get(water=w)


def drowning_sample(region, world) -> DrowningIncident:
    actions.import_drownings([DrowningIncident(region=region, occurred_on=dt.date(2020, 7, 1), age=10, sex="M",
                                               circumstances=region.code)], actor=SYSTEM)
    return DrowningIncident.objects.get(circumstances=region.code)


def drunk_sample(region, world) -> DrunkDriving:
    actions.import_drunk_driving([DrunkDriving(region=region, caught_on=dt.date(2020, 7, 1), driver_name=region.code,
                                               offence="drunk", penalty="admin")], actor=SYSTEM)
    return DrunkDriving.objects.get(driver_name=region.code)


SAMPLES = {
    Water: (water_sample, seen_by("hazards.view_water")),
    WaterInspection: (inspection_sample, seen_by("hazards.view_waterinspection")),
    DrowningIncident: (drowning_sample, seen_by("hazards.view_drowningincident")),
    DrunkDriving: (drunk_sample, seen_by("hazards.view_drunkdriving")),
    RailwayHazard: (railway_sample, seen_by("hazards.view_railwayhazard")),
}
