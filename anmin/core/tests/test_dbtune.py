"""Parallel plans only while a cached figure is counted (decision 0018)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from anmin.core.dbtune import parallel_plans

pytestmark = pytest.mark.django_db


def _workers() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_the_app_runs_serial_and_a_figure_may_run_parallel_then_serial_again():
    assert _workers() == "0"  # the connection's own setting (settings.DATABASES options)
    with parallel_plans(workers=2):
        assert _workers() == "2"
    assert _workers() == "0"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_a_failure_inside_leaves_the_connection_serial_and_usable():
    def fail_inside():
        with transaction.atomic(), parallel_plans(workers=2):
            assert _workers() == "2"
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        fail_inside()
    assert _workers() == "0"


def test_on_sqlite_nothing_happens():
    with parallel_plans(workers=2):
        pass
