"""The drunk-driving figures come from the register: one record more or changed moves its figure, and
the accidents' year-on-year change needs the earlier year in the register."""

from __future__ import annotations

import datetime as dt

import pytest

from anmin.core.actors import SYSTEM
from anmin.core.errors import Invalid
from anmin.hazards import actions, kpis
from anmin.hazards.models import DrunkDriving


def row(world, day, **kw):
    return DrunkDriving(region=world.gucheng, caught_on=day, driver_name="张某", **{
        "offence": "drunk", "penalty": "admin", **kw})


def test_changing_one_record_moves_the_matching_figure(world):
    actions.import_drunk_driving([
        row(world, dt.date(2019, 5, 1), caused_accident=True), row(world, dt.date(2019, 6, 1), caused_accident=True),
        row(world, dt.date(2020, 5, 1), penalty="criminal", caused_accident=True), row(world, dt.date(2020, 7, 1)),
    ], actor=SYSTEM)
    assert kpis.drunk_driving_handled(year=2020) == 2
    assert kpis.drunk_driving_criminal(year=2020) == 1
    assert kpis.drunk_driving_accidents(year=2020) == 1
    assert kpis.drunk_driving_accidents(year=2019) == 2
    DrunkDriving.objects.filter(caught_on=dt.date(2020, 7, 1)).update(penalty="criminal")
    assert kpis.drunk_driving_criminal(year=2020) == 2
    assert kpis.drunk_driving_handled(year=2020, region=world.wuliang.code) == 0
    assert kpis.drunk_driving_handled(year=2020, region=world.gucheng.code) == 2


def test_a_bad_row_is_refused_with_its_field(world):
    with pytest.raises(Invalid) as err:
        actions.import_drunk_driving([row(world, dt.date(2020, 5, 1), penalty="fine")], actor=SYSTEM)
    assert err.value.field == "penalty"
    assert not DrunkDriving.objects.exists()
