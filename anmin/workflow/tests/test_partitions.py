"""The case timeline partitioned by year on PostgreSQL (migration 0003) and `anmin partitions`."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from anmin.core import clock
from anmin.core.models import Role
from anmin.workflow import partitions

from .conftest import at, open_task, step

postgres_only = pytest.mark.skipif("connection.vendor != 'postgresql'")


def _partition_of(event_ids) -> set[str]:
    with connection.cursor() as cur:
        cur.execute("SELECT DISTINCT tableoid::regclass::text FROM workflow_caseevent WHERE id = ANY(%s)",
                    [list(event_ids)])
        return {row[0] for row in cur.fetchall()}


def _years() -> set[int]:
    return partitions.inspect("workflow_caseevent", "at").years


@postgres_only
def test_the_timeline_is_one_partition_per_year_with_a_default(db):
    state = partitions.inspect("workflow_caseevent", "at")
    assert state.partitioned
    assert state.has_default
    # The migration made this year's and next year's (the test database was migrated just now).
    this_year = timezone.localdate().year
    assert {this_year, this_year + 1} <= state.years


@postgres_only
def test_a_year_without_a_partition_waits_in_default_until_the_command_moves_it(world):
    year = 2011  # far from any partition the migration or another test made
    case = open_task(world, now=at(year, 12, 30, 9))
    case = step(case, world.user(Role.TOWNSHIP_CENTER), "accept", now=at(year, 12, 30, 10))
    ids = list(case.events.values_list("id", flat=True))
    assert _partition_of(ids) == {"workflow_caseevent_default"}
    assert year not in _years()

    with pytest.raises(CommandError, match=f"缺少分区：{year}；默认分区中有 {year} 年 2 行"):
        call_command("partitions", check=True, stdout=io.StringIO())

    out = io.StringIO()
    call_command("partitions", stdout=out)
    assert f"新建 {year} 年分区，从默认分区移入 2 行" in out.getvalue()
    assert _partition_of(ids) == {f"workflow_caseevent_{year}"}
    # The timeline reads the same, and the next step is appended after it.
    assert [e.action for e in case.events.order_by("seq")] == ["open", "accept"]
    case = step(case, world.user(Role.TOWNSHIP_CENTER), "assign", now=at(year, 12, 30, 11),
                target_org=world.orgs["education"])
    assert list(case.events.order_by("seq").values_list("seq", "action")) == [(1, "open"), (2, "accept"), (3, "assign")]
    assert max(case.events.values_list("id", flat=True)) > max(ids)

    check = io.StringIO()
    call_command("partitions", check=True, stdout=check)
    assert "分区齐全" in check.getvalue()


@postgres_only
def test_ahead_creates_the_coming_years_and_running_again_changes_nothing(db):
    this_year = clock.today().year
    call_command("partitions", ahead=3, stdout=io.StringIO())
    assert set(range(this_year, this_year + 4)) <= _years()
    again = io.StringIO()
    call_command("partitions", ahead=3, stdout=again)
    assert "分区齐全，无需新建" in again.getvalue()
    with pytest.raises(CommandError, match=f"缺少分区：{this_year + 4}"):
        call_command("partitions", ahead=4, check=True, stdout=io.StringIO())


@postgres_only
def test_the_scheduler_task_keeps_next_year_ready(db):
    from anmin.core.registry import periodic_tasks
    from anmin.workflow.tasks import partitions_task

    assert "workflow.partitions" in {job.key for job in periodic_tasks}
    next_year = clock.today().year + 1
    with connection.cursor() as cur:  # as if the year had turned since the last run
        cur.execute(f"DROP TABLE workflow_caseevent_{next_year}")
    result = partitions_task.call()
    assert result == {"created": {"workflow_caseevent": [next_year]}}
    assert partitions_task.call() == {"created": {}}


@pytest.mark.skipif("connection.vendor == 'postgresql'")
def test_on_sqlite_the_command_says_there_is_nothing_to_do(db):
    out = io.StringIO()
    call_command("partitions", check=True, stdout=out)
    assert "不是 PostgreSQL" in out.getvalue()
