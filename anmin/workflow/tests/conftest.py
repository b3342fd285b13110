"""Helpers for the case-engine tests: a frozen "now", shortcuts to open and move cases, and a
test-only case kind on the working-day calendar."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from anmin.core.models import Role
from anmin.workflow import actions
from anmin.workflow.definitions import DEFAULT_WORKFLOW, WORKING
from anmin.workflow.registry import CaseKind, case_kinds, register_kind

TZ = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    """A local (Asia/Shanghai) moment: at(2020, 9, 30, 10)."""
    return datetime(*args, tzinfo=TZ)


def open_task(world, *, region=None, now=None, kind="JB", **kwargs):
    kwargs.setdefault("title", "测试事项")
    return actions.open_case(kind=kind, region=region or world.gc_grid, reporter=world.user(Role.GRID_WORKER),
                             now=now or at(2020, 12, 1, 9), **kwargs)


def step(case, user, name, *, now=None, **kwargs):
    """Take a step with the version the user just saw."""
    return actions.transition_case(case=case, actor=user, transition=name, expected_version=case.version,
                                   now=now or at(2020, 12, 1, 10), **kwargs)


def assigned(world, *, now=None, org="education", region=None, **kwargs):
    """A case accepted by the township centre and handed to a unit (default: 市教育局)."""
    now = now or at(2020, 12, 1, 9)
    centre = world.user(Role.TOWNSHIP_CENTER)
    case = open_task(world, region=region, now=now, **kwargs)
    case = step(case, centre, "accept", now=now)
    return step(case, centre, "assign", now=now, target_org=world.orgs[org])


@pytest.fixture
def working_kind():
    """A kind on the working-day calendar (registered for one test only)."""
    kind = CaseKind(code="TW", key="test_working", label="工作日测试", view_perm="workflow.view_case",
                    workflow=DEFAULT_WORKFLOW.replace(calendar=WORKING))
    register_kind(kind)
    yield kind
    case_kinds._items.pop(kind.code, None)
