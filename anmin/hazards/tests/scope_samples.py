"""How the authorization matrix makes the hazards domain's records in a region."""

from __future__ import annotations

import datetime as dt

from anmin.core.models import Role
from anmin.core.testing.expect import seen_by
from anmin.hazards import actions
from anmin.hazards.models import DrowningIncident, DrunkDriving, RailwayHazard, Water, WaterInspection


def railway_sample(region, world) -> RailwayHazard:
    return actions.report_railway_hazard(actor=world.user(Role.CITY_OFFICE), region=region, category="tree",
                                         line="郑万高铁", description=f"{region.name}段线路旁危树")


def water_sample(region, world) -> Water:
    return Water.objects.create(name=f"{region.name}{region.code}坑塘{Water.objects.count()}", kind="pond",
                                region=region)


def inspection_sample(region, world) -> WaterInspection:
    return WaterInspection.objects.create(water=water_sample(region, world), region=region,
                                          inspected_on=dt.date(2020, 7, 1), inspector="王某")


def drowning_sample(region, world) -> DrowningIncident:
    return DrowningIncident.objects.create(region=region, occurred_on=dt.date(2020, 7, 1), age=10, sex="M")


def drunk_sample(region, world) -> DrunkDriving:
    return DrunkDriving.objects.create(region=region, caught_on=dt.date(2020, 7, 1), driver_name="张某",
                                       offence="drunk", penalty="admin")


SAMPLES = {
    Water: (water_sample, seen_by("hazards.view_water")),
    WaterInspection: (inspection_sample, seen_by("hazards.view_waterinspection")),
    DrowningIncident: (drowning_sample, seen_by("hazards.view_drowningincident")),
    DrunkDriving: (drunk_sample, seen_by("hazards.view_drunkdriving")),
    RailwayHazard: (railway_sample, seen_by("hazards.view_railwayhazard")),
}
