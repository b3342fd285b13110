"""Time limits in minutes (``TimeLimit.minutes``): a stage whose priority is counted in minutes runs
from the moment it starts; other priorities keep counting days."""

from __future__ import annotations

import datetime as dt

import pytest

from anmin.workflow.calendar import Calendar
from anmin.workflow.definitions import DEFAULT_WORKFLOW as WF
from anmin.workflow.definitions import NATURAL, WORKING, TimeLimit, Workflow

START = dt.datetime(2020, 12, 10, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def test_minutes_per_priority_and_days_for_the_rest():
    limit = TimeLimit("contact", "首次联系", ("reported",), days={"normal": 1}, minutes={"urgent": 10})
    assert limit.minutes_for("urgent") == 10
    assert limit.minutes_for("normal") is None
    assert limit.days_for("normal") == 1
    only_minutes = TimeLimit("contact", "首次联系", ("reported",), minutes={"a": 10, "b": 30})
    assert only_minutes.minutes_for("unknown") == 30  # the longest, when nothing counts in days


def test_a_workflow_refuses_bad_minute_limits():
    with pytest.raises(ValueError, match="minutes"):
        WF.replace(time_limits=(TimeLimit("x", "x", ("reported",), minutes={"urgent": 0}),))
    with pytest.raises(ValueError, match="neither days nor minutes"):
        Workflow(states=WF.states, transitions=WF.transitions, time_limits=(TimeLimit("x", "x", ("reported",)),))


def test_minutes_advance_the_clock_in_either_calendar():
    assert Calendar(NATURAL).advance(START, 600) == START + dt.timedelta(minutes=10)
    saturday = dt.datetime(2020, 12, 12, 9, 0, tzinfo=START.tzinfo)
    # In the working calendar, 10 minutes asked on a Saturday run from Monday 00:00.
    assert Calendar(WORKING, {}).advance(saturday, 600) == dt.datetime(2020, 12, 14, 0, 10, tzinfo=START.tzinfo)
