"""Timestamps read through psycopg's C loader (core.pgtimestamps) come back as Django's did."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from anmin.core import pgtimestamps
from anmin.core.models import IdempotencyKey

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's loader")
def test_timestamps_come_back_aware_in_utc_to_the_microsecond_and_null_as_none():
    if pgtimestamps.loader_for(connection.timezone) is None:
        pytest.skip("psycopg without its C extension: Django's loader stays")
    with connection.cursor() as cursor:
        cursor.execute("SELECT timestamptz '2020-10-01 08:00:00.123456+08', timestamptz '1900-01-01 00:00:00+00', "
                       "NULL::timestamptz")
        shanghai, old, nothing = cursor.fetchone()
    assert type(connection.connection.adapters.get_loader(1184, 0)).__name__ != "SpecificTzLoader"
    assert shanghai == dt.datetime(2020, 10, 1, 0, 0, 0, 123456, tzinfo=dt.UTC)
    assert shanghai.tzinfo is dt.UTC  # what Django's loader set
    assert old == dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
    assert nothing is None


def test_a_moment_saved_is_the_moment_read_on_either_database(world):
    from anmin.core.models import Role

    moment = dt.datetime(2026, 2, 14, 9, 30, 15, 250000, tzinfo=ZoneInfo("Asia/Shanghai"))
    key = IdempotencyKey.objects.create(user=world.user(Role.GRID_WORKER), key="k1", fingerprint="f",
                                        created_at=moment, expires_at=moment + dt.timedelta(days=1))
    again = IdempotencyKey.objects.get(pk=key.pk)
    assert again.created_at == moment
    assert again.expires_at - again.created_at == dt.timedelta(days=1)
