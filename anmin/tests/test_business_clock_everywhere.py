"""The business clock everywhere a person reads a date: on a world standing on 2020-12-10, ages,
ID-number checks and export file names are of that day, not of the machine's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from anmin.core import clock
from anmin.core.models import Role
from anmin.core.protected import make_id_number
from anmin.core.protected.idnumbers import parse_id_number
from anmin.people.models import Person

DEMO_DAY = timezone.make_aware(dt.datetime(2020, 12, 10, 9, 0))


@pytest.fixture
def world_of_2020(db):
    clock.set_business_time(DEMO_DAY)
    yield
    clock.set_business_time(None)


def test_ages_are_counted_on_the_business_date(world_of_2020):
    person = Person(name="王某", birth_date=dt.date(1996, 6, 1))
    assert person.age == 24  # not 30, the machine's 2026
    assert Person(name="李某", birth_date=dt.date(1996, 12, 11)).age == 23


def test_an_id_number_is_checked_against_the_business_date(world_of_2020):
    info = parse_id_number(make_id_number(birth_date=dt.date(2020, 11, 30)))
    assert info.birth_date == dt.date(2020, 11, 30)
    with pytest.raises(Exception, match="出生日期"):
        parse_id_number(make_id_number(birth_date=dt.date(2021, 1, 5)))  # after the world's today


def test_an_export_is_named_with_the_business_date(client, world, world_of_2020):
    client.force_login(world.user(Role.CITY_OFFICE))
    resp = client.get("/workflow/cases/", {"export": "xlsx"})
    assert resp.status_code == 200
    assert "20201210-" in resp["Content-Disposition"]


def test_a_person_registered_by_an_import_is_registered_on_the_business_date(world, world_of_2020):
    """The people a dispute import registers from its parties' ID numbers (no date of their own in the
    file) are registered on the world's today, not the machine's: the register's export showed them
    registered in 2026 beside 2020's records."""
    from anmin.people.identity import link_people

    number = make_id_number(birth_date=dt.date(1980, 5, 1))
    ids = link_people(actor=world.user(Role.CITY_OFFICE), wanted=[
        {"id_number": number, "name": "赵甲", "region": world.gc_grid.code[:12]}])
    person = Person.objects.get(pk=ids[parse_id_number(number).number])
    assert person.registered_on == dt.date(2020, 12, 10)
