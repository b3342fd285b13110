"""The business clock (core.clock): a database whose world stands on 2020-12-10 keeps its own "now",
so only the cases that world left overdue are overdue, and what is reported today is dated with it."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from anmin.core import clock
from anmin.core.models import AuditEntry, ClockShift, Role
from anmin.workflow import actions
from anmin.workflow.actions import sweep
from anmin.workflow.models import Case, Supervision

from .conftest import assigned, at


def test_without_a_shift_the_business_clock_is_the_real_clock(db):
    assert abs(clock.now() - timezone.now()) < timedelta(seconds=2)
    assert clock.today() == timezone.localdate()
    assert not clock.is_shifted()


def test_a_shifted_clock_runs_on_from_its_moment_and_the_change_is_audited(db):
    clock.set_business_time(at(2020, 12, 10, 9), note="演示环境")
    assert clock.is_shifted()
    assert clock.today().isoformat() == "2020-12-10"
    assert timedelta(0) <= clock.now() - at(2020, 12, 10, 9) < timedelta(seconds=5)
    entry = AuditEntry.objects.filter(object_type="core.clockshift").latest("pk")
    assert entry.after["business_now"].startswith("2020-12-10T")
    clock.set_business_time(None)
    assert not ClockShift.objects.exists()
    assert clock.today() == timezone.localdate()


def test_on_a_world_dated_2020_only_cases_past_their_limit_then_are_overdue(world):
    late = assigned(world, now=at(2020, 12, 1, 9))  # due at the end of 12-04
    fresh = assigned(world, now=at(2020, 12, 9, 9), title="新事项")  # due at the end of 12-12
    # On the real clock (2026 and after) both are long overdue …
    assert set(Case.objects.overdue()) == {late, fresh}
    # … on the world's own clock only the first one is, and the sweep supervises only that one.
    clock.set_business_time(at(2020, 12, 10, 9))
    assert list(Case.objects.overdue()) == [late]
    assert fresh.sla_state() == ""  # neither warned nor overdue
    result = sweep()
    assert result.overdue == [late.number]
    assert list(Supervision.objects.values_list("case__number", flat=True)) == [late.number]


def test_a_case_reported_on_a_shifted_clock_is_dated_and_numbered_in_that_year(world):
    clock.set_business_time(at(2020, 12, 10, 9))
    case = actions.open_case(kind="JB", region=world.gc_grid, reporter=world.user(Role.GRID_WORKER), title="今日上报")
    assert timezone.localtime(case.opened_at).date().isoformat() == "2020-12-10"
    assert case.number.startswith("JB-2020-")
    assert case.due_at < at(2020, 12, 31)


def test_anmin_clock_sets_shows_and_restores_the_clock(db, capsys):
    call_command("clock", set="2020-12-10T09:00+08:00")
    assert "2020-12-10 09:0" in capsys.readouterr().out
    call_command("clock", real=True)
    assert "真实时钟" in capsys.readouterr().out
    assert not clock.is_shifted()


def test_every_page_says_which_day_a_shifted_world_stands_on(client, world):
    from .test_pages import login

    login(client, world, Role.TOWNSHIP_CENTER)
    assert "业务日期" not in client.get("/workflow/cases/").content.decode()
    clock.set_business_time(at(2020, 12, 10, 9))
    assert "业务日期 2020-12-10" in client.get("/workflow/cases/").content.decode()


def test_a_passing_database_error_never_puts_a_shifted_world_on_the_real_clock(db):
    from unittest import mock

    import pytest
    from django.db import OperationalError
    from django.db.models.query import QuerySet

    clock.set_business_time(at(2020, 12, 10, 9))
    assert clock.today().year == 2020  # read and cached
    clock._cached = (clock._cached[0] - clock._TTL - 1, clock._cached[1])  # due to be read again

    def timeout(self):
        raise OperationalError("canceling statement due to statement timeout")

    with mock.patch.object(QuerySet, "first", timeout):
        assert clock.today().year == 2020  # the last known shift, not the real clock
        clock.forget()
        with pytest.raises(OperationalError):  # nothing known: the caller fails rather than guess
            clock.today()
    assert clock.today().year == 2020
