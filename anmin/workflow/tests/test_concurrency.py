"""Two people act on the same case at the same moment: exactly one wins, the other gets a conflict.

Needs PostgreSQL (real row locks and concurrent connections); SQLite admits one writer at a time, so
the race cannot happen there.
"""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from anmin.core.models import Role
from anmin.workflow import actions
from anmin.workflow.models import Case, CaseEvent

from .conftest import open_task

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="row locks and concurrent writers need PostgreSQL (set DATABASE_URL=postgres://...)",
    ),
]


def race(n, work):
    """Run ``work(i)`` in n threads released at once; each thread has its own connection."""
    barrier = threading.Barrier(n)
    outcomes: list = [None] * n

    def run(i):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = work(i)
        except Exception as exc:  # the outcome is what the test inspects
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def test_two_simultaneous_steps_one_wins_one_conflicts(world):
    case = open_task(world)
    users = [world.user(Role.TOWNSHIP_CENTER), world.user(Role.CITY_OFFICE)]
    steps = [("accept", ""), ("reject", "不属于受理范围")]

    def work(i):
        name, reason = steps[i]
        return actions.transition_case(case=case.pk, actor=users[i], transition=name,
                                       expected_version=case.version, reason=reason)

    outcomes = race(2, work)
    wins = [o for o in outcomes if isinstance(o, Case)]
    conflicts = [o for o in outcomes if isinstance(o, actions.CaseConflict)]
    assert len(wins) == 1, outcomes
    assert len(conflicts) == 1, outcomes
    assert conflicts[0].current["status"] == wins[0].status
    assert conflicts[0].version == case.version + 1
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.version) == (wins[0].status, case.version + 1)
    assert CaseEvent.objects.filter(case=case).count() == 2  # 上报 + the one step that won


def test_two_simultaneous_api_steps_one_200_one_409(world):
    case = open_task(world)
    users = [world.user(Role.TOWNSHIP_CENTER), world.user(Role.VILLAGE_CENTER)]

    def work(i):
        client = APIClient()
        client.force_authenticate(users[i])
        return client.post(f"/api/v1/cases/{case.pk}/transition/",
                           {"transition": "accept", "version": case.version}, format="json")

    codes = sorted(r.status_code for r in race(2, work))
    assert codes == [200, 409]


def test_numbers_stay_unique_when_many_cases_open_at_once(world):
    reporter = world.user(Role.GRID_WORKER)

    def work(i):
        return actions.open_case(kind="JB", title=f"并发上报{i}", region=world.gc_grid, reporter=reporter).number

    numbers = race(8, work)
    assert all(isinstance(n, str) for n in numbers), numbers
    assert len(set(numbers)) == 8
    # Nobody waited for a counter, and no number was skipped: 1 … 8 of the year.
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == list(range(1, 9))
